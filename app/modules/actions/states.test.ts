import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Viewer } from "../people/viewer";
import { canChangeStatus, canChooseAnyOwner, canEditAction, canSeeAction, visibleVisibilities } from "./policy";
import { ACTION_STATUSES, canTransition, CANCELLED_STATUSES, CLOSED_STATUSES, countByStatus, isOverdue, needsNote, OPEN_STATUSES } from "./states";

describe("action-item statuses", () => {
  it("splits every status into open or closed, once", () => {
    expect([...OPEN_STATUSES, ...CLOSED_STATUSES].sort()).toEqual([...ACTION_STATUSES].sort());
    expect(CANCELLED_STATUSES.every((s) => CLOSED_STATUSES.includes(s))).toBe(true);
  });

  it("moves an open item anywhere, a closed one only back to work, and asks a note for reopening", () => {
    const moves = ACTION_STATUSES.flatMap((from) => ACTION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}${needsNote(from, to) ? " (note)" : ""}`));
    expect(moves).toEqual(["open>in_progress", "open>done", "open>dropped", "in_progress>open", "in_progress>done", "in_progress>dropped", "done>open (note)", "done>in_progress (note)", "dropped>open (note)", "dropped>in_progress (note)"]);
  });

  it("is overdue only when still open and past its due day", () => {
    expect(ACTION_STATUSES.map((status) => isOverdue({ status, due_on: "2027-06-10" }, "2027-06-11"))).toEqual([true, true, false, false]);
    expect(isOverdue({ status: "open", due_on: "2027-06-10" }, "2027-06-10")).toBe(false);
    expect(countByStatus()).toEqual({ open: 0, in_progress: 0, done: 0, dropped: 0 });
  });
});

describe("who may do what with an action item", () => {
  const organizer: Viewer = { ...ANONYMOUS, id: 1, organizer: true };
  const participant: Viewer = { ...ANONYMOUS, id: 2, registration: "confirmed", participant: true };

  it("shows organizers-only items to organizers alone", () => {
    expect([organizer, participant, ANONYMOUS].map((v) => [visibleVisibilities(v), canSeeAction(v, { visibility: "organizers" }), canSeeAction(v, { visibility: "group" })])).toEqual([
      [["group", "organizers"], true, true],
      [["group"], false, true],
      [["group"], false, true],
    ]);
  });

  it("lets organizers edit and move any item and choose any owner; owners only move their own", () => {
    expect([canEditAction(organizer), canEditAction(participant)]).toEqual([true, false]);
    expect([canChangeStatus(organizer, { ownedByViewer: false }), canChangeStatus(participant, { ownedByViewer: true }), canChangeStatus(participant, { ownedByViewer: false })]).toEqual([true, true, false]);
    expect([canChooseAnyOwner(organizer), canChooseAnyOwner(participant)]).toEqual([true, false]);
  });
});
