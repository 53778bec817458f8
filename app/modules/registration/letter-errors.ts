// How visa letter requests and templates are refused: their codes, and what the person is told.
import { DomainError, refusals } from "../../lib/domain-error";
import { messageWith, type FieldErrors } from "../../lib/forms";

export type LetterErrorCode = "unknown_placeholder" | "no_template" | "not_registered" | "already_approved" | "birth_date" | "not_found" | "already_decided" | "erased";

export const LETTER_REFUSALS = refusals<LetterErrorCode>({
  unknown_placeholder: { key: "badgesLetters.errors.unknownPlaceholder", field: "body" },
  no_template: "badgesLetters.errors.noTemplate",
  not_registered: "badgesLetters.errors.notRegistered",
  already_approved: "badgesLetters.errors.alreadyApproved",
  birth_date: { key: "badgesLetters.errors.birthDate", field: "birthDate" },
  not_found: "badgesLetters.errors.notFound",
  already_decided: "badgesLetters.errors.alreadyDecided",
  erased: "badgesLetters.errors.erased",
});

export class LetterError extends DomainError<LetterErrorCode> {
  constructor(code: LetterErrorCode, status: number, detail: string | null = null) {
    super(code, status, LETTER_REFUSALS, detail);
    this.name = "LetterError";
  }

  /** An unknown placeholder is named in the sentence beside the body, with the ones that exist. */
  override fieldErrors(): FieldErrors {
    if (this.code !== "unknown_placeholder" || !this.detail) return super.fieldErrors();
    return { [this.refusal.field]: [messageWith(this.refusal.key, { names: this.detail })] };
  }
}
