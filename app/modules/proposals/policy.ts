// Who may do what with a proposal or session: pure rules of a Viewer and the thing, used by
// loaders (to show) and actions (to allow) alike.
import type { Viewer } from "../people/viewer";
import { isMember } from "../people/viewer";
import type { ParticipantPhase } from "./states";

/** Sessions not yet accepted (interest open early) are for the convening's participants only. */
export function canSeeEarlySessions(viewer: Viewer, convening: { interest_open: number }): boolean {
  return convening.interest_open === 1 && viewer.participant;
}

/** A session's notes and action items are for the working group, never the public. */
export function canSeeOutcomes(viewer: Viewer): boolean {
  return isMember(viewer);
}

/** Outcomes are recorded for accepted sessions, by their facilitators and the convening's organizers. */
export function canRecordOutcomes(viewer: Viewer, session: { phase: ParticipantPhase; facilitatedByViewer: boolean }): boolean {
  return session.phase === "accepted" && (viewer.organizer || session.facilitatedByViewer);
}
