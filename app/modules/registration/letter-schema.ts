// Visa invitation letters: the placeholders a template may hold, filling them, and the forms
// (template, request, decision). Client-safe: the pages read the limits and the placeholder list.
import { z } from "zod";
import { idNumber, optionalText, requiredText } from "../../lib/forms";

/** What a letter's body may name, each written {name}. */
export const LETTER_PLACEHOLDERS = ["fullName", "nationality", "passportNumber", "birthDate", "conveningTitle", "dates", "venue"] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];
export type LetterValues = Record<LetterPlaceholder, string>;

export const LETTER_LIMITS = { letterhead: 600, signerName: 120, signerRole: 120, body: 8000, passportName: 200, nationality: 80, passportNumber: 40, note: 1000, message: 2000 } as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholders of a body that are not on the list, each once, as written. */
export function unknownPlaceholders(body: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of body.matchAll(PLACEHOLDER)) if (!(LETTER_PLACEHOLDERS as readonly string[]).includes(name!)) unknown.add(`{${name}}`);
  return [...unknown];
}

/** The body with every placeholder replaced by its value (the template was checked when saved). */
export function fillLetter(body: string, values: LetterValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => ((LETTER_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as LetterPlaceholder] : whole));
}

/** Line breaks as one "\n", whatever the browser sent. */
const text = (max: number) => z.preprocess((v) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : v), requiredText(max));

export const letterTemplateSchema = z.object({
  letterhead: text(LETTER_LIMITS.letterhead),
  signerName: requiredText(LETTER_LIMITS.signerName),
  signerRole: requiredText(LETTER_LIMITS.signerRole),
  body: text(LETTER_LIMITS.body),
});
export type LetterTemplateInput = z.output<typeof letterTemplateSchema>;

export const letterRequestSchema = z.object({
  passportName: requiredText(LETTER_LIMITS.passportName),
  nationality: requiredText(LETTER_LIMITS.nationality),
  passportNumber: requiredText(LETTER_LIMITS.passportNumber),
  /** YYYY-MM-DD, checked by the domain (a real day in the past) */
  birthDate: optionalText(10),
  note: optionalText(LETTER_LIMITS.note),
});
export type LetterRequestInput = z.output<typeof letterRequestSchema>;

export const letterDecisionSchema = z.object({
  id: idNumber(),
  decision: z.enum(["approve", "decline"], "errors.chooseDecision"),
  message: optionalText(LETTER_LIMITS.message),
});
export type LetterDecisionInput = z.output<typeof letterDecisionSchema>;
