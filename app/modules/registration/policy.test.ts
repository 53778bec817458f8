import { describe, expect, it } from "vitest";
import { REGISTRATION_STATUSES } from "../../../db/schema";
import { canSeeEarlySessions, canRecordOutcomes, canSeeOutcomes } from "../proposals/policy";
import { ANONYMOUS, type Viewer } from "../people/viewer";
import { canSeePeople, isListable, peopleHeld, VETTED_STATUSES } from "./policy";
import { ACTIVE_STATUSES } from "./states";

const registered = (registration: Viewer["registration"]): Viewer => ({ ...ANONYMOUS, id: 7, registration, participant: registration !== null && ACTIVE_STATUSES.includes(registration) });

describe("who sees the other participants (vetting)", () => {
  it("lets only confirmed participants and organizers see people, whatever else the registration says", () => {
    const rows = [null, ...REGISTRATION_STATUSES].map((status) => [status ?? "none", canSeePeople(registered(status)), canSeePeople({ ...registered(status), organizer: true })]);
    expect(rows).toEqual([
      ["none", false, true],
      ["pending", false, true],
      ["confirmed", true, true],
      ["waitlisted", false, true],
      ["declined", false, true],
      ["cancelled", false, true],
    ]);
    expect(canSeePeople(ANONYMOUS)).toBe(false);
    expect(VETTED_STATUSES).toEqual(["confirmed"]);
  });

  it("lists only confirmed registrations that agreed to be listed", () => {
    const rows = REGISTRATION_STATUSES.map((status) => [status, isListable({ status, consent_directory: 1 }), isListable({ status, consent_directory: 0 })]);
    expect(rows).toEqual([
      ["pending", false, false],
      ["confirmed", true, false],
      ["waitlisted", false, false],
      ["declined", false, false],
      ["cancelled", false, false],
    ]);
  });

  it("says why people are held from a viewer, for the sentence the page shows, and nothing to those who see them", () => {
    expect([null, ...REGISTRATION_STATUSES].map((status) => peopleHeld(registered(status)))).toEqual([
      "not_registered",
      "awaiting_confirmation",
      null,
      "waitlisted",
      "declined",
      "cancelled",
    ]);
    expect(peopleHeld(ANONYMOUS)).toBe("not_registered");
    expect(peopleHeld({ ...registered("pending"), organizer: true })).toBeNull();
  });

  it("holds what names people by the same rule: early sessions, a session's outcomes, and recording them", () => {
    const open = { interestOpen: true };
    const rows = [null, ...REGISTRATION_STATUSES].map((status) => {
      const viewer = registered(status);
      return [
        status ?? "none",
        canSeeEarlySessions(viewer, open),
        canSeeEarlySessions(viewer, { interestOpen: false }),
        canSeeOutcomes(viewer),
        canRecordOutcomes(viewer, { phase: "accepted", facilitatedByViewer: true }),
      ];
    });
    expect(rows).toEqual([
      ["none", false, false, false, false],
      ["pending", false, false, false, false],
      ["confirmed", true, false, true, true],
      ["waitlisted", false, false, false, false],
      ["declined", false, false, false, false],
      ["cancelled", false, false, false, false],
    ]);
    const organizer: Viewer = { ...ANONYMOUS, id: 1, organizer: true };
    expect([canSeeEarlySessions(organizer, open), canSeeOutcomes(organizer), canRecordOutcomes(organizer, { phase: "accepted", facilitatedByViewer: false })]).toEqual([true, true, true]);
    expect(canRecordOutcomes(registered("confirmed"), { phase: "under_review", facilitatedByViewer: true })).toBe(false);
  });
});
