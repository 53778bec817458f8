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
  | "not_registered";

export const PROPOSAL_REFUSALS = refusals<ProposalErrorCode>({
  closed: "errors.cfpClosed",
  not_found: "errors.page.notFound",
  not_editable: "errors.notEditable",
  // "errors.invalidTransition" speaks of a registration; a proposal is told in its own words.
  invalid_transition: "forms14.proposalTransition",
  unknown_track: { key: "errors.unknownTrack", field: "primaryTrack" },
  unknown_format: { key: "errors.chooseFormat", field: "format" },
  unknown_length: { key: "errors.chooseLength", field: "length" },
  incomplete: "errors.fixBelow",
  invitation_used: "errors.invitationUsed",
  not_registered: "errors.registerFirst",
});

export class ProposalError extends DomainError<ProposalErrorCode> {
  constructor(code: ProposalErrorCode, status: number) {
    super(code, status, PROPOSAL_REFUSALS);
    this.name = "ProposalError";
  }
}
