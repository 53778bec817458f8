// A decision held by organizers reaches no participant: the sessions participants see carry a
// phase ("under_review" until accepted and released), never the proposal's status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, proposal } from "../../../tests/factories";
import { loadViewer } from "../registration/viewer.server";
import { releaseDecisions, releasePreview } from "./decisions.server";
import { canRecordOutcomes, canSeeEarlySessions } from "./policy";
import { getSession, listSessions } from "./sessions.server";

const OPEN = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("held decisions on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("shows participants a proposal under decision as under review, with no status in what they receive", async () => {
    const held = await convening(t.db, { slug: `held-${kind}`, title: "Held", registration: {}, cfp: { interestOpen: true } });
    const { id: conveningId, organizerId } = held;
    const registered = (name: string) => participant(t.db, conveningId, { name, fullName: `${name} Secretname`, answers: { displayName: "Someone", attendance: "remote" } });
    const ana = (await registered("Ana")).id;
    const other = (await registered("Other")).id;
    const ids: Record<string, number> = {};
    for (const [title, status] of [["Accepted held", "pending_accepted"], ["Declined held", "pending_declined"], ["Waitlisted held", "pending_waitlisted"], ["Still submitted", "submitted"]] as const) {
      ids[title] = (await proposal(t.db, { conveningId, proposerId: ana, status, now: OPEN, answers: { title, abstract: "About.", description: "How.", languages: ["English"] } })).id;
    }
    const interest = { interestOpen: true };

    for (const personId of [ana, other]) {
      const viewer = await loadViewer(t.db, { id: personId, roles: [] }, conveningId);
      expect(viewer.participant).toBe(true);
      expect(canSeeEarlySessions(viewer, interest)).toBe(true);
      const sessions = await listSessions(t.db, conveningId, true, personId);
      expect(sessions.map((s) => [s.title, s.phase])).toEqual([
        ["Accepted held", "under_review"],
        ["Declined held", "under_review"],
        ["Still submitted", "under_review"],
        ["Waitlisted held", "under_review"],
      ]);
      const sent = JSON.stringify(sessions);
      expect(sent).not.toMatch(/pending|declined"|accepted"|waitlisted"|status/);
      for (const id of Object.values(ids)) {
        const session = await getSession(t.db, conveningId, id, true);
        expect(session?.phase).toBe("under_review");
        expect(JSON.stringify(session)).not.toMatch(/pending|status/);
        // No form for outcomes on a session under decision, even for its facilitator.
        expect(canRecordOutcomes(viewer, { phase: session!.phase, facilitatedByViewer: personId === ana })).toBe(false);
      }
    }

    await releaseDecisions(t.db, { conveningId, organizerId, fingerprint: (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN });
    const released = await listSessions(t.db, conveningId, true, other);
    expect(released.map((s) => [s.title, s.phase])).toEqual([
      ["Accepted held", "accepted"],
      ["Still submitted", "under_review"],
      ["Waitlisted held", "under_review"],
    ]);
    const anaViewer = await loadViewer(t.db, { id: ana, roles: [] }, conveningId);
    expect(canRecordOutcomes(anaViewer, { phase: "accepted", facilitatedByViewer: true })).toBe(true);
    expect(canRecordOutcomes(await loadViewer(t.db, { id: other, roles: [] }, conveningId), { phase: "accepted", facilitatedByViewer: false })).toBe(false);
    expect(canSeeEarlySessions(await loadViewer(t.db, null, conveningId), interest)).toBe(false);
  });
});
