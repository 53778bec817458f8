// How the proposals domain refuses a change: its codes, and what the person is told for each.
import { DomainError, refusals } from "../../lib/domain-error";

export type ProposalErrorCode =
  | "closed"
  | "not_found"
  | "not_editable"
  | "invalid_transition"
  | "unknown_track"
  | "unknown_format"
  | "unknown_length"
  | "incomplete"
  | "invitation_used"
  | "not_registered"
  | "preview_stale";

export const PROPOSAL_REFUSALS = refusals<ProposalErrorCode>({
  closed: "errors.cfpClosed",
  not_found: "errors.page.notFound",
  not_editable: "errors.notEditable",
  invalid_transition: "decisions14.errors.invalidTransition",
  unknown_track: { key: "errors.unknownTrack", field: "primaryTrack" },
  unknown_format: { key: "errors.chooseFormat", field: "format" },
  unknown_length: { key: "errors.chooseLength", field: "length" },
  incomplete: "errors.fixBelow",
  invitation_used: "errors.invitationUsed",
  not_registered: "errors.registerFirst",
  preview_stale: "decisions14.errors.previewStale",
});

export class ProposalError extends DomainError<ProposalErrorCode> {
  /** detail: the title of the proposal refused, where one was */
  constructor(code: ProposalErrorCode, status: number, detail: string | null = null) {
    super(code, status, PROPOSAL_REFUSALS, detail);
    this.name = "ProposalError";
  }
}
