import { describe, expect, it } from "vitest";
import { evaluate, fixedItemConflicts } from "./conflicts";
import { instanceSchema } from "./instance";

const instance = instanceSchema.parse({
  slots: [
    { id: "am", start: "2027-06-14T09:00:00Z", minutes: 60 },
    { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 90 },
  ],
  rooms: [
    { id: "hall", capacity: 3, features: ["step_free", "projector"] },
    { id: "small", capacity: 2, features: [] },
  ],
  sessions: [
    { id: "a", track: "t1", minutes: 60, facilitators: ["f1"], needs: [] },
    { id: "b", track: "t1", minutes: 60, facilitators: ["f1"], needs: ["projector"] },
    { id: "c", track: "t2", minutes: 90, facilitators: ["f2"], needs: [] },
    { id: "d", track: "t2", minutes: 60, facilitators: [], needs: [] },
  ],
  people: [
    { id: "f1", group: "advocate", unavailable: [] },
    { id: "f2", group: "advocate", unavailable: ["am"] },
    { id: "p1", group: "sex_worker_or_community_member", unavailable: [] },
    { id: "p2", group: "sex_worker_or_community_member", unavailable: [] },
    { id: "p3", group: "donor", unavailable: [] },
  ],
  interest: [
    { person: "p1", sessions: ["a", "b", "c"] },
    { person: "p2", sessions: ["a", "b"] },
    { person: "p3", sessions: ["a", "d"] },
    { person: "f1", sessions: ["a"] },
  ],
});

describe("conflict checks", () => {
  it("report every hard rule that a placement breaks, with exactly what is involved", () => {
    const result = evaluate(instance, [
      { session: "a", slot: "am", room: "small" },
      { session: "b", slot: "am", room: "small" },
      { session: "c", slot: "am", room: "hall" },
    ]);
    expect(result.hard).toEqual([
      { kind: "missing_feature", session: "b", room: "small", features: ["projector"] },
      { kind: "too_long", session: "c", slot: "am", minutes: 90, slotMinutes: 60 },
      { kind: "facilitator_unavailable", slot: "am", facilitator: "f2", session: "c" },
      { kind: "room_double_booked", slot: "am", room: "small", sessions: ["a", "b"] },
      { kind: "facilitator_double_booked", slot: "am", facilitator: "f1", sessions: ["a", "b"] },
    ]);
    expect(result.score.hardViolations).toBe(5);
  });

  it("counts soft conflicts with numbers: capacity, same track, attendee clashes per pair and per constituency, lost sessions", () => {
    const result = evaluate(instance, [
      { session: "a", slot: "pm", room: "small" },
      { session: "b", slot: "pm", room: "hall" },
      { session: "c", slot: "am", room: "hall" },
      { session: "d", slot: "am", room: "small" },
    ]);
    expect(result.soft).toEqual([
      { kind: "over_capacity", session: "a", room: "small", interest: 4, capacity: 2 },
      { kind: "same_track", slot: "pm", track: "t1", sessions: ["a", "b"] },
      { kind: "same_track", slot: "am", track: "t2", sessions: ["c", "d"] },
      { kind: "attendee_clash", slot: "pm", sessions: ["a", "b"], people: 2, byGroup: { sex_worker_or_community_member: 2 } },
    ]);
    expect(result.score).toEqual({ attendeeClashes: 2, overflow: 2, sameTrackOverlaps: 2, hardViolations: 3 });
    expect(result.hard.map((h) => h.kind)).toEqual(["too_long", "facilitator_unavailable", "facilitator_double_booked"]);
    expect(result.clashesByGroup).toEqual({ sex_worker_or_community_member: 2 });
    expect(result.lostSessions).toBe(2);
    expect(result.lostByGroup).toEqual({ sex_worker_or_community_member: 2 });
  });

  it("counts a person who wants three sessions at once as three clashing pairs and two lost sessions", () => {
    const result = evaluate(instance, [
      { session: "a", slot: "pm", room: "small" },
      { session: "b", slot: "pm", room: "hall" },
      { session: "c", slot: "pm", room: "hall" },
    ]);
    // p1 wants a, b and c (3 pairs, 2 lost); p2 wants a and b (1 pair, 1 lost).
    expect(result.score.attendeeClashes).toBe(4);
    expect(result.lostSessions).toBe(3);
  });

  it("name every session placed where a fixed item is: a whole-venue item takes every room of its slot, a room's item only that room", () => {
    const fixed = [
      { id: 1, slot: "am", room: null },
      { id: 2, slot: "pm", room: "hall" },
    ];
    expect(
      fixedItemConflicts(fixed, [
        { session: "a", slot: "am", room: "small" },
        { session: "b", slot: "am", room: "hall" },
        { session: "c", slot: "pm", room: "hall" },
        { session: "d", slot: "pm", room: "small" },
        // the scheduler's stand-in for the room's fixed item itself is not a conflict
        { session: "fixed-2", slot: "pm", room: "hall" },
      ]),
    ).toEqual([
      { kind: "fixed_item_taken", slot: "am", room: "small", session: "a", fixed: 1 },
      { kind: "fixed_item_taken", slot: "am", room: "hall", session: "b", fixed: 1 },
      { kind: "fixed_item_taken", slot: "pm", room: "hall", session: "c", fixed: 2 },
    ]);
  });

  it("say when a plenary or a session marked alone has company in its slot, and when a plenary is not in the largest room it fits", () => {
    const formats = instanceSchema.parse({
      slots: [{ id: "am", start: "2027-06-14T09:00:00Z", minutes: 90 }, { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 90 }],
      rooms: [
        { id: "hall", capacity: 100, features: [] },
        { id: "booths", capacity: 60, features: ["interpretation"] },
        { id: "small", capacity: 25, features: ["interpretation"] },
      ],
      sessions: [
        { id: "plenary", minutes: 60, plenary: true },
        { id: "caucus", minutes: 60, alone: true },
        { id: "interpreted", minutes: 60, plenary: true, needs: ["interpretation"] },
        { id: "w1", minutes: 60 },
        { id: "w2", minutes: 60 },
      ],
    });
    const hardOf = (placements: Array<{ session: string; slot: string; room: string }>) => evaluate(formats, placements).hard;
    expect(
      hardOf([
        { session: "plenary", slot: "am", room: "small" },
        { session: "w1", slot: "am", room: "hall" },
        { session: "caucus", slot: "pm", room: "booths" },
        { session: "w2", slot: "pm", room: "small" },
      ]),
    ).toEqual([
      { kind: "plenary_room", session: "plenary", room: "small", largest: "hall" },
      { kind: "not_alone", slot: "am", session: "plenary", others: ["w1"] },
      { kind: "not_alone", slot: "pm", session: "caucus", others: ["w2"] },
    ]);
    // Alone, in the largest room that has what it needs: no conflict. The largest room with
    // interpretation is enough for a plenary that needs it, though the hall is larger.
    expect(hardOf([{ session: "plenary", slot: "am", room: "hall" }, { session: "interpreted", slot: "pm", room: "booths" }])).toEqual([]);
    expect(hardOf([{ session: "interpreted", slot: "pm", room: "small" }])).toEqual([{ kind: "plenary_room", session: "interpreted", room: "small", largest: "booths" }]);
  });
});
