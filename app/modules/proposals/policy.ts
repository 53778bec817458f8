// Who may do what with a proposal or session: pure rules of a Viewer and the thing, used by
// loaders (to show) and actions (to allow) alike.
import type { Viewer } from "../people/viewer";
import { isMember } from "../people/viewer";
import type { ProposalStatus } from "../../../db/schema";
import { ACCEPTED_STATUSES, EDITABLE_STATUSES, isCfpOpen, WITHDRAWABLE_STATUSES, type ParticipantPhase } from "./states";

type CfpWindow = Parameters<typeof isCfpOpen>[0];

/** Sessions not yet accepted (interest open early) are for the convening's participants only. */
export function canSeeEarlySessions(viewer: Viewer, convening: { interestOpen: boolean }): boolean {
  return convening.interestOpen && viewer.participant;
}

/** A session's notes and action items are for the working group, never the public. */
export function canSeeOutcomes(viewer: Viewer): boolean {
  return isMember(viewer);
}

/** Outcomes are recorded for accepted sessions, by their facilitators and the convening's organizers. */
export function canRecordOutcomes(viewer: Viewer, session: { phase: ParticipantPhase; facilitatedByViewer: boolean }): boolean {
  return session.phase === "accepted" && (viewer.organizer || session.facilitatedByViewer);
}

interface OwnProposal {
  proposer_id: number | null;
  status: ProposalStatus;
}

/** A proposer edits their proposal while the call is open and the proposal is still theirs to change. */
export function canEditProposal(viewer: Viewer, proposal: OwnProposal, convening: CfpWindow, now: Date): boolean {
  return viewer.id !== null && viewer.id === proposal.proposer_id && EDITABLE_STATUSES.includes(proposal.status) && isCfpOpen(convening, now);
}

/** A proposer withdraws their proposal until it is declined, withdrawn or over. */
export function canWithdrawProposal(viewer: Viewer, proposal: OwnProposal): boolean {
  return viewer.id !== null && viewer.id === proposal.proposer_id && WITHDRAWABLE_STATUSES.includes(proposal.status);
}

/** Facilitators of an accepted session say which slots they cannot make, for the scheduler. */
export function canGiveAvailability(statusShown: ProposalStatus): boolean {
  return ACCEPTED_STATUSES.includes(statusShown);
}

/** Reviewers of a convening with anonymous review see no facilitator's name; organizers always do. */
export function seesFacilitatorNames(viewer: Viewer, convening: { reviewAnonymous: boolean }): boolean {
  return viewer.organizer || !convening.reviewAnonymous;
}
