// Parsing forms with zod, shared by actions and components. Messages in schemas are keys of
// the translation catalogue ("errors.required"), so they are translated where they are shown.
import { z } from "zod";

export type FieldErrors = Record<string, string[]>;
export type FormValues = Record<string, string | string[]>;

export type Submission<T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors; values: FormValues };

export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const key of new Set(form.keys())) {
    if (key === "csrf") continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = all.length === 1 ? all[0]! : all;
  }
  return values;
}

/**
 * A message that names something (the line it is about): its key and the values for its
 * placeholders in one string, as schemas and form errors carry them ("forms14.emailLine?line=2").
 */
export function messageWith(key: string, values: Record<string, string | number>): string {
  return `${key}?${new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)]))}`;
}

/** A message's key and placeholder values (none for a plain key). */
export function readMessage(message: string): { key: string; values: Record<string, string> } {
  const at = message.indexOf("?");
  if (at < 0) return { key: message, values: {} };
  return { key: message.slice(0, at), values: Object.fromEntries(new URLSearchParams(message.slice(at + 1))) };
}

/** Messages are keys of the catalogue's error sections; anything else (zod's own words) is said generically. */
function isMessageKey(message: string): boolean {
  return message.startsWith("errors.") || message.startsWith("forms14.") || message.startsWith("registrationQuestions.errors.") || message.startsWith("travelSupport.") || message.startsWith("registrationsTable.");
}

export function parseSubmission<S extends z.ZodType>(schema: S, form: FormData): Submission<z.output<S>> {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    const message = isMessageKey(issue.message) ? issue.message : "errors.invalid";
    // Two checks of one field failing alike (a date that is empty and so not a date) say it once.
    const messages = (errors[key] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return { ok: false, errors, values };
}

/** The largest id a row can have (ids are 32-bit integers on PostgreSQL). */
export const MAX_ID = 2 ** 31 - 1;

/** A field naming a row by id: a whole number from 1 to MAX_ID. A larger one names nothing, and is refused here rather than by the database. */
export function idNumber(message = "errors.invalid") {
  return z.coerce.number(message).int(message).positive(message).max(MAX_ID, message);
}

/** A text field: trimmed, empty means absent, longer than max is refused. */
export function optionalText(max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() || undefined : v),
    z.string("errors.invalid").max(max, "errors.tooLong").optional(),
  );
}

export function requiredText(max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string("errors.required").min(1, "errors.required").max(max, "errors.tooLong"),
  );
}

/** A list of values from repeated fields (checkboxes) or one comma-separated text field. */
export function textList(maxItems: number, maxLength: number) {
  return z.preprocess(
    (v) => {
      const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : v === undefined ? [] : v;
      return Array.isArray(list) ? list.map((s) => (typeof s === "string" ? s.trim() : s)).filter((s) => s !== "") : list;
    },
    z.array(z.string("errors.invalid").max(maxLength, "errors.tooLong"), "errors.invalid").max(maxItems, "errors.tooMany"),
  );
}

/** A day that exists (2027-02-28, not 2027-02-31): a YYYY-MM-DD shape alone lets impossible days through. */
export function isCalendarDate(value: string): boolean {
  return z.iso.date().safeParse(value).success;
}

/**
 * A datetime-local value (YYYY-MM-DDTHH:MM) naming a real day and time; empty means absent.
 * Checked here so that converting it to an instant later cannot fail.
 */
export function localDateTime() {
  return z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string("errors.dateTime")
      .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "errors.dateTime")
      .refine((v) => isCalendarDate(v.slice(0, 10)), "errors.dateTime")
      .optional(),
  );
}

export function valueOf(values: FormValues | undefined, name: string): string | undefined {
  const v = values?.[name];
  return Array.isArray(v) ? v.join(", ") : v;
}
