// A decision held by organizers reaches no participant: the sessions participants see carry a
// phase ("under_review" until accepted and released), never the proposal's status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { createConvening, listTracks } from "../convenings/convenings.server";
import { findOrCreatePerson, updateProfile } from "../people/people.server";
import { submitRegistration, updateRegistrationSettings } from "../registration/registration.server";
import { loadViewer } from "../registration/viewer.server";
import { createProposal, decideProposals, releaseDecisions } from "./proposals.server";
import { canRecordOutcomes, canSeeEarlySessions } from "./policy";
import { getSession, listSessions } from "./sessions.server";
import { updateCfpSettings } from "./settings.server";

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
    const person = async (name: string) => {
      const { id } = await findOrCreatePerson(t.db, `${name.toLowerCase()}-${kind}@example.org`);
      await updateProfile(t.db, id, { publicName: name, fullName: `${name} Secretname`, languages: [] });
      return id;
    };
    const organizerId = await person("Organizer");
    const conveningId = await createConvening(t.db, { slug: `held-${kind}`, title: "Held", startsOn: "2027-06-01", endsOn: "2027-06-03", timeZone: "Europe/Lisbon", status: "published" });
    const tracks = (await listTracks(t.db, conveningId)).map((tr) => tr.id);
    await updateCfpSettings(t.db, { conveningId, organizerId, opensAt: "2027-01-01T00:00:00.000Z", closesAt: "2027-03-01T00:00:00.000Z", formats: ["workshop"], lengths: [60], reviewAnonymous: false, interestOpen: true });
    await updateRegistrationSettings(t.db, { conveningId, organizerId, opensAt: null, closesAt: null, capacity: null, approvalRequired: false });
    const ana = await person("Ana");
    const other = await person("Other");
    for (const id of [ana, other]) {
      await submitRegistration(t.db, { conveningId, personId: id, answers: { displayName: "Someone", attendance: "remote", tracks: [tracks[0]!], languages: [], interpretation: [], accessNeeds: [], supportRequested: "no", consentDirectory: false, consentContact: false, consentPhotos: false } });
    }
    const answers = (title: string) => ({ title, abstract: "About.", description: "How.", format: "workshop" as const, length: 60, primaryTrack: tracks[0]!, linkedTracks: [], languages: ["English"], needs: [], coFacilitators: [] });
    const ids: Record<string, number> = {};
    for (const title of ["Accepted held", "Declined held", "Waitlisted held", "Still submitted"]) {
      ids[title] = (await createProposal(t.db, { conveningId, proposerId: ana, answers: answers(title), submit: true, now: OPEN })).id;
    }
    await decideProposals(t.db, { conveningId, organizerId, ids: [ids["Accepted held"]!], decision: "accepted", now: OPEN });
    await decideProposals(t.db, { conveningId, organizerId, ids: [ids["Declined held"]!], decision: "declined", now: OPEN });
    await decideProposals(t.db, { conveningId, organizerId, ids: [ids["Waitlisted held"]!], decision: "waitlisted", now: OPEN });
    const convening = { interest_open: 1 };

    for (const personId of [ana, other]) {
      const viewer = await loadViewer(t.db, { id: personId, roles: [] }, conveningId);
      expect(viewer.participant).toBe(true);
      expect(canSeeEarlySessions(viewer, convening)).toBe(true);
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

    await releaseDecisions(t.db, { conveningId, organizerId, now: OPEN });
    const released = await listSessions(t.db, conveningId, true, other);
    expect(released.map((s) => [s.title, s.phase])).toEqual([
      ["Accepted held", "accepted"],
      ["Still submitted", "under_review"],
      ["Waitlisted held", "under_review"],
    ]);
    const anaViewer = await loadViewer(t.db, { id: ana, roles: [] }, conveningId);
    expect(canRecordOutcomes(anaViewer, { phase: "accepted", facilitatedByViewer: true })).toBe(true);
    expect(canRecordOutcomes(await loadViewer(t.db, { id: other, roles: [] }, conveningId), { phase: "accepted", facilitatedByViewer: false })).toBe(false);
    expect(canSeeEarlySessions(await loadViewer(t.db, null, conveningId), convening)).toBe(false);
  });
});
