// How the convenings domain refuses a change: its codes, and what the organizer is told for each.
import { DomainError, refusals } from "../../lib/domain-error";

export type ConveningErrorCode = "slug_taken" | "not_offered" | "not_found" | "status_changed" | "not_over";

export const CONVENING_REFUSALS = refusals<ConveningErrorCode>({
  slug_taken: { key: "errors.slugTaken", field: "slug" },
  not_offered: { key: "errors.invalidChoice", field: "copyFrom" },
  not_found: "conveningLife.refused.notFound",
  status_changed: "conveningLife.refused.statusChanged",
  not_over: "conveningLife.refused.notOver",
});

export class ConveningError extends DomainError<ConveningErrorCode> {
  constructor(code: ConveningErrorCode, status: number) {
    super(code, status, CONVENING_REFUSALS);
    this.name = "ConveningError";
  }
}
