// How the actions domain refuses a change: its codes, and what the person is told for each. The
// item forms show a refusal beside the due date or the owners; the update form beside its text.
import { DomainError, refusals } from "../../lib/domain-error";

export type ActionErrorCode = "not_found" | "due_in_past" | "unknown_owner" | "no_owner" | "not_owner" | "needs_note" | "invalid_transition" | "already_owner";

export const ACTION_REFUSALS = refusals<ActionErrorCode>({
  not_found: { key: "errors.page.notFound", field: "people" },
  due_in_past: { key: "errors.dueInPast", field: "dueOn" },
  unknown_owner: { key: "errors.unknownOwner", field: "people" },
  no_owner: { key: "errors.chooseOwner", field: "people" },
  not_owner: { key: "errors.notOwner", field: "text" },
  needs_note: { key: "errors.needsNote", field: "text" },
  invalid_transition: { key: "errors.invalidTransition", field: "text" },
  already_owner: { key: "forms14.alreadyOwner", field: "owner" },
});

export class ActionError extends DomainError<ActionErrorCode> {
  constructor(code: ActionErrorCode, status: number) {
    super(code, status, ACTION_REFUSALS);
    this.name = "ActionError";
  }
}
