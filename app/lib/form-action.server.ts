// The one way a route answers a form: parse it with zod, call one domain function, and answer.
// A form that does not parse answers 400 with its errors next to their fields and what was typed;
// a domain refusal answers with its own status and its words next to its field; anything else is
// a bug and is thrown. Nothing is changed when the answer is an error.
import { data } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "./domain-error";
import { formValues, parseSubmission, type FieldErrors, type FormValues } from "./forms";

/** A request's form, or a 400 when its body is not one (a broken or hostile client). */
export async function requestForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: "errors.formUnreadable" }, { status: 400 });
  }
}

export interface FormRefusal {
  ok: false;
  errors: FieldErrors;
  values: FormValues;
  /** the first error's key, for pages that answer with one notice instead of fields */
  message: string;
  /** the domain's words beside a refusal (what clashed), when it gave any */
  detail: string | null;
}

export interface AnswerOptions<Echo extends object> {
  /** sent back with any error: which of a page's forms it was (its intent), say */
  echo?: Echo;
  /** where this page shows a field under another name: a domain's "primaryTrack" is this form's "track"; a hidden "id" is the whole "form" */
  fields?: Record<string, string>;
  /** the notice above a form that does not parse ("correct the fields below"); else its first error */
  summary?: string;
}

function answerError<Echo extends object>(errors: FieldErrors, values: FormValues, detail: string | null, status: number, options: AnswerOptions<Echo>, summary?: string) {
  const shown: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) (shown[options.fields?.[field] ?? field] ??= []).push(...messages);
  const message = summary ?? Object.values(shown)[0]?.[0] ?? "errors.invalid";
  return data({ ...(options.echo as Echo), ok: false as const, errors: shown, values, message, detail } satisfies FormRefusal & Echo, { status });
}

/** A domain refusal answered as form errors, with its status. Anything else is thrown on (a redirect stays a redirect). */
export function refused<Echo extends object = object>(error: unknown, form: FormData, options: AnswerOptions<Echo> = {}) {
  if (!(error instanceof DomainError)) throw error;
  return answerError(error.fieldErrors(), formValues(form), error.detail, error.status, options);
}

/** The answer to a form that does not parse, or to one a route refuses itself (400). */
export function invalid<Echo extends object = object>(errors: FieldErrors, form: FormData, options: AnswerOptions<Echo> = {}) {
  return answerError(errors, formValues(form), null, 400, options, options.summary);
}

/**
 * Parses form with schema, then runs call with the value and answers with what it returns or
 * throws (a redirect, or data); a refusal is answered as form errors.
 */
export async function formAction<S extends z.ZodType, Out, Echo extends object = object>(
  form: FormData,
  schema: S,
  call: (value: z.output<S>) => Promise<Out>,
  options: AnswerOptions<Echo> = {},
) {
  const submission = parseSubmission(schema, form);
  if (!submission.ok) return invalid(submission.errors, form, options);
  try {
    return await call(submission.value);
  } catch (error) {
    return refused(error, form, options);
  }
}
