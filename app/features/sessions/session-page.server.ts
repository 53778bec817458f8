// A session's page: what the proposals, agenda and action-items domains each give it, for one
// viewer, decided by the proposals policy. Routes call these and hold no rule of their own.
import type { Executor } from "../../platform/db.server";
import { onPublishedAgenda, publishedPlace } from "../../modules/agenda/published.server";
import { ownerChoices } from "../../modules/actions/owners.server";
import { facilitates, sessionOutcomes } from "../../modules/actions/queries.server";
import { listTracks } from "../../modules/convenings/convenings.server";
import type { Viewer } from "../../modules/people/viewer";
import { canRecordOutcomes, canSeeEarlySessions, canSeeOutcomes } from "../../modules/proposals/policy";
import { getSession } from "../../modules/proposals/sessions.server";
import { peopleHeld } from "../../modules/registration/policy";

interface PageConvening {
  id: number;
  interestOpen: boolean;
}

/** What the session page shows this viewer, or null when there is no such session for them. */
export async function sessionPage(db: Executor, convening: PageConvening, viewer: Viewer, proposalId: number) {
  const session = await getSession(db, convening.id, proposalId, canSeeEarlySessions(viewer, convening));
  if (!session) return null;
  const [tracks, published, place, facilitatedByViewer] = await Promise.all([
    listTracks(db, convening.id),
    onPublishedAgenda(db, convening.id, proposalId),
    publishedPlace(db, convening.id, proposalId),
    viewer.id === null ? false : facilitates(db, proposalId, viewer.id),
  ]);
  const canRecord = canRecordOutcomes(viewer, { phase: session.phase, facilitatedByViewer });
  const [outcomes, owners] = await Promise.all([
    canSeeOutcomes(viewer) ? sessionOutcomes(db, proposalId, viewer) : null,
    canRecord ? ownerChoices(db, convening.id, viewer) : null,
  ]);
  // A registered person not (or no longer) confirmed is told why the outcomes, which name people, are not shown.
  const held = peopleHeld(viewer);
  const outcomesHeld = session.phase === "accepted" && held !== null && held !== "not_registered" ? held : null;
  return { session, published, place, tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })), outcomes, outcomesHeld, owners, canRecord };
}

/** Whether this viewer may record the session's outcomes: "not_found" when there is no accepted session to record for. */
export async function outcomeRecording(db: Executor, conveningId: number, viewer: Viewer, proposalId: number): Promise<"allowed" | "forbidden" | "not_found"> {
  const session = await getSession(db, conveningId, proposalId, false);
  if (!session || session.phase !== "accepted") return "not_found";
  const facilitatedByViewer = viewer.id === null ? false : await facilitates(db, proposalId, viewer.id);
  return canRecordOutcomes(viewer, { phase: session.phase, facilitatedByViewer }) ? "allowed" : "forbidden";
}
