// Who may do what with a proposal or session: pure rules of a Viewer and the thing, used by
// loaders (to show) and actions (to allow) alike.
import type { Viewer } from "../people/viewer";
import { canSeePeople, type PeopleViewer } from "../registration/policy";
import type { ProposalStatus } from "../../../db/schema";
import { ACCEPTED_STATUSES, EDITABLE_STATUSES, isCfpOpen, WITHDRAWABLE_STATUSES, type ParticipantPhase } from "./states";

type CfpWindow = Parameters<typeof isCfpOpen>[0];

/**
 * Sessions not yet accepted (interest open early) are for the convening's confirmed participants
 * only: they name people (proposers, co-facilitators) the public does not see yet, so they follow
 * the vetting rule of the people they name.
 */
export function canSeeEarlySessions(viewer: PeopleViewer, convening: { interestOpen: boolean }): boolean {
  return convening.interestOpen && canSeePeople(viewer);
}

/** A session's notes and action items (with their owners and authors) are for the vetted working group, never the public. */
export function canSeeOutcomes(viewer: PeopleViewer): boolean {
  return canSeePeople(viewer);
}

/** Outcomes are recorded for accepted sessions, by their facilitators who may see the outcomes and the convening's organizers. */
export function canRecordOutcomes(viewer: Viewer, session: { phase: ParticipantPhase; facilitatedByViewer: boolean }): boolean {
  return session.phase === "accepted" && (viewer.organizer || (session.facilitatedByViewer && canSeeOutcomes(viewer)));
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
