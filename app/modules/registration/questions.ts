// Organizers' own registration questions: their kinds, the editor's schema, and the schema of a
// form's answers, built from the list of questions. Client-safe: pages read limits and shapes here.
import { z } from "zod";
import { idNumber } from "../../lib/forms";
import { QUESTION_KINDS, type QuestionKind } from "../../../db/schema";
import { isCalendarDate, optionalText, requiredText } from "../../lib/forms";

export { QUESTION_KINDS, type QuestionKind };

export const QUESTION_LIMITS = {
  label: 300,
  help: 500,
  option: 120,
  options: 30,
  questions: 50,
  shortText: 200,
  longText: 2000,
} as const;

export const CHOICE_KINDS: readonly QuestionKind[] = ["one_choice", "several_choices"];
/** The kinds a registrations table can filter by ("question = option"). */
export const FILTERABLE_KINDS: readonly QuestionKind[] = ["one_choice", "several_choices", "yes_no"];

export interface QuestionOption {
  /** stable: answers name the option by it, whatever its label becomes */
  id: string;
  label: string;
  /** a retired option leaves the form; answers that chose it keep its label */
  retired: boolean;
}

/** A question as pages and the form's schema see it. */
export interface Question {
  id: number;
  kind: QuestionKind;
  label: string;
  help: string | null;
  required: boolean;
  sensitive: boolean;
  options: QuestionOption[];
  position: number;
  retired: boolean;
}

/** The form field that carries a question's answer. */
export function fieldName(questionId: number): string {
  return `q${questionId}`;
}

/** An answer as stored: text, a date, "yes"/"no", or the ids of the chosen options. */
export type AnswerValue = string | string[];

function answerSchema(question: Question): z.ZodType<AnswerValue | undefined> {
  const open = question.options.filter((o) => !o.retired).map((o) => o.id);
  const missing = question.kind === "short_text" || question.kind === "long_text" || question.kind === "date" ? "errors.required" : "errors.invalidChoice";
  // One value (trimmed; empty is no answer), checked by kind; a required question needs one.
  const single = (message: string, valid: (v: string) => boolean, max?: number) => {
    let text = z.string(message);
    if (max !== undefined) text = text.max(max, "errors.tooLong");
    return z
      .preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), text.refine(valid, message).optional())
      .superRefine((v, ctx) => {
        if (question.required && v === undefined) ctx.addIssue({ code: "custom", message: missing });
      });
  };
  switch (question.kind) {
    case "short_text":
      return single("errors.invalid", () => true, QUESTION_LIMITS.shortText);
    case "long_text":
      return single("errors.invalid", () => true, QUESTION_LIMITS.longText);
    case "date":
      return single("errors.date", isCalendarDate);
    case "yes_no":
      return single("errors.invalidChoice", (v) => v === "yes" || v === "no");
    case "one_choice":
      return single("errors.invalidChoice", (v) => open.includes(v));
    case "several_choices":
      return z.preprocess(
        (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]),
        z
          .array(z.string("errors.invalidChoice").refine((v) => open.includes(v), "errors.invalidChoice"), "errors.invalidChoice")
          .max(QUESTION_LIMITS.options, "errors.tooMany")
          .refine((ids) => !question.required || ids.length > 0, missing)
          .transform((ids) => (ids.length ? [...new Set(ids)] : undefined)),
      );
  }
}

/** One answer as a page shows it: with the question's current wording, and the one it was answered to when that differs. */
export interface AnswerView {
  questionId: number;
  kind: QuestionKind;
  label: string;
  /** the wording the person answered, when the question has been reworded since */
  answeredLabel: string | null;
  /** text, a date (YYYY-MM-DD) or "yes"/"no"; the chosen options' labels for the choice kinds */
  text: string | null;
  choices: string[];
  retired: boolean;
  answeredAt: string;
}

/** A form's answers to the organizers' questions, by field (`q<id>`), as the form's schema gives them. */
export type QuestionValues = { [field: `q${number}`]: AnswerValue | undefined };

/** The schema of a form's answers to these questions (the active ones, on the form): one field each, `q<id>`. */
export function answersSchema(questions: readonly Question[]) {
  const shape: Record<string, z.ZodType<AnswerValue | undefined>> = {};
  for (const question of questions) if (!question.retired) shape[fieldName(question.id)] = answerSchema(question);
  // A question left blank sends no field at all (an unticked radio): give it an empty one, so its
  // own check runs and a required question is missed rather than skipped.
  return z.preprocess((v) => (v && typeof v === "object" ? { ...Object.fromEntries(Object.keys(shape).map((k) => [k, ""])), ...v } : v), z.object(shape));
}

/** The answers in a parsed form, by question id; a question left empty is absent. */
export function answersOf(questions: readonly Question[], values: Record<string, unknown>): Map<number, AnswerValue> {
  const answers = new Map<number, AnswerValue>();
  for (const question of questions) {
    const value = values[fieldName(question.id)];
    if (typeof value === "string" || Array.isArray(value)) answers.set(question.id, value as AnswerValue);
  }
  return answers;
}

const lines = (v: unknown) => (typeof v === "string" ? v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : Array.isArray(v) ? v : []);
const checkbox = z.preprocess((v) => v === "on" || v === "yes" || v === "true", z.boolean());

/** The editor's form for a new question: options one a line. */
export const newQuestionSchema = z
  .object({
    kind: z.enum(QUESTION_KINDS, "errors.invalidChoice"),
    label: requiredText(QUESTION_LIMITS.label),
    help: optionalText(QUESTION_LIMITS.help),
    required: checkbox,
    sensitive: checkbox,
    options: z.preprocess(lines, z.array(z.string().max(QUESTION_LIMITS.option, "errors.tooLong"), "errors.invalid").max(QUESTION_LIMITS.options, "errors.tooMany")),
  })
  .superRefine((value, ctx) => {
    if (CHOICE_KINDS.includes(value.kind) && value.options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "registrationQuestions.errors.twoOptions" });
  });
export type NewQuestionInput = z.output<typeof newQuestionSchema>;

/**
 * The editor's form for an existing question: its kind stays (answers were given to it); each
 * kept option is a field `option-<id>` (emptied, it is retired), new options one a line.
 */
export const editQuestionSchema = z
  .looseObject({
    id: z.coerce.number().int().positive(),
    label: requiredText(QUESTION_LIMITS.label),
    help: optionalText(QUESTION_LIMITS.help),
    required: checkbox,
    sensitive: checkbox,
    newOptions: z.preprocess(lines, z.array(z.string().max(QUESTION_LIMITS.option, "errors.tooLong"), "errors.invalid").max(QUESTION_LIMITS.options, "errors.tooMany")),
  })
  .transform((value, ctx) => {
    const options: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!key.startsWith("option-") || typeof v !== "string") continue;
      const label = v.trim();
      if (label.length > QUESTION_LIMITS.option) ctx.addIssue({ code: "custom", path: [key], message: "errors.tooLong" });
      options[key.slice("option-".length)] = label;
    }
    return { id: value.id, label: value.label, help: value.help, required: value.required, sensitive: value.sensitive, newOptions: value.newOptions, options };
  });
export type EditQuestionInput = z.output<typeof editQuestionSchema>;

export const questionIdSchema = z.object({ id: idNumber() });
export const moveQuestionSchema = questionIdSchema.extend({ direction: z.enum(["up", "down"], "errors.invalidChoice") });

/** The table's filter "question = option", as the query string carries it: `<question id>:<option id>`. */
export const answerFilterSchema = z
  .string()
  .regex(/^\d{1,9}:[a-z0-9]{1,20}$/)
  .optional()
  .catch(undefined);
