// Conflict checks for a set of placements: the hard rules a schedule must keep, and the soft
// figures it tries to make small. Pure; the grid page, the scheduler and the tests all use it.
import type { Id, Instance, Placement, Score } from "./instance";

export type HardConflict =
  | { kind: "room_double_booked"; slot: Id; room: Id; sessions: Id[] }
  | { kind: "facilitator_double_booked"; slot: Id; facilitator: Id; sessions: Id[] }
  | { kind: "facilitator_unavailable"; slot: Id; facilitator: Id; session: Id }
  | { kind: "missing_feature"; session: Id; room: Id; features: string[] }
  | { kind: "too_long"; session: Id; slot: Id; minutes: number; slotMinutes: number }
  | { kind: "not_alone"; slot: Id; session: Id; others: Id[] }
  | { kind: "plenary_room"; session: Id; room: Id; largest: Id }
  | FixedItemConflict;

export type SoftConflict =
  | { kind: "over_capacity"; session: Id; room: Id; interest: number; capacity: number }
  | { kind: "same_track"; slot: Id; track: Id; sessions: Id[] }
  | { kind: "attendee_clash"; slot: Id; sessions: [Id, Id]; people: number; byGroup: Record<string, number> };

export interface Evaluation {
  hard: HardConflict[];
  soft: SoftConflict[];
  score: Score;
  /** attendee clashes counted per constituency (people's group) */
  clashesByGroup: Record<string, number>;
  /** for each person and slot, the wanted sessions beyond the one they can attend */
  lostSessions: number;
  lostByGroup: Record<string, number>;
}

const key = (id: Id) => String(id);

export function evaluate(instance: Instance, placements: Placement[]): Evaluation {
  const slots = new Map(instance.slots.map((s) => [key(s.id), s]));
  const rooms = new Map(instance.rooms.map((r) => [key(r.id), r]));
  const sessions = new Map(instance.sessions.map((s) => [key(s.id), s]));
  const people = new Map(instance.people.map((p) => [key(p.id), p]));
  const hard: HardConflict[] = [];
  const soft: SoftConflict[] = [];

  const interestCount = new Map<string, number>();
  for (const entry of instance.interest) for (const s of new Set(entry.sessions.map(key))) interestCount.set(s, (interestCount.get(s) ?? 0) + 1);

  const bySlot = new Map<string, Placement[]>();
  const slotOf = new Map<string, string>();
  for (const p of placements) {
    const list = bySlot.get(key(p.slot)) ?? [];
    list.push(p);
    bySlot.set(key(p.slot), list);
    slotOf.set(key(p.session), key(p.slot));
  }

  let overflow = 0;
  for (const p of placements) {
    const session = sessions.get(key(p.session));
    const room = rooms.get(key(p.room));
    const slot = slots.get(key(p.slot));
    if (!session || !room || !slot) continue;
    const missing = session.needs.filter((n) => !room.features.includes(n));
    if (session.plenary) {
      // A plenary takes the largest room that has what it needs.
      const largest = instance.rooms.filter((r) => session.needs.every((n) => r.features.includes(n))).reduce<Instance["rooms"][number] | null>((best, r) => (best === null || r.capacity > best.capacity ? r : best), null);
      if (largest && largest.capacity > room.capacity) hard.push({ kind: "plenary_room", session: session.id, room: room.id, largest: largest.id });
    }
    if (missing.length) hard.push({ kind: "missing_feature", session: session.id, room: room.id, features: missing });
    if (session.minutes > slot.minutes) hard.push({ kind: "too_long", session: session.id, slot: slot.id, minutes: session.minutes, slotMinutes: slot.minutes });
    for (const f of session.facilitators) {
      if (people.get(key(f))?.unavailable.some((u) => key(u) === key(slot.id))) hard.push({ kind: "facilitator_unavailable", slot: slot.id, facilitator: f, session: session.id });
    }
    const interest = interestCount.get(key(session.id)) ?? 0;
    if (interest > room.capacity) {
      overflow += interest - room.capacity;
      soft.push({ kind: "over_capacity", session: session.id, room: room.id, interest, capacity: room.capacity });
    }
  }

  let sameTrackOverlaps = 0;
  for (const [slotKey, list] of bySlot) {
    const slotId = slots.get(slotKey)?.id ?? slotKey;
    const byRoom = new Map<string, Id[]>();
    const byFacilitator = new Map<string, { id: Id; sessions: Id[] }>();
    const byTrack = new Map<string, { id: Id; sessions: Id[] }>();
    for (const p of list) {
      byRoom.set(key(p.room), [...(byRoom.get(key(p.room)) ?? []), p.session]);
      const session = sessions.get(key(p.session));
      if (!session) continue;
      for (const f of new Set(session.facilitators.map(key))) {
        const entry = byFacilitator.get(f) ?? { id: session.facilitators.find((x) => key(x) === f)!, sessions: [] };
        entry.sessions.push(session.id);
        byFacilitator.set(f, entry);
      }
      if (session.track !== null) {
        const entry = byTrack.get(key(session.track)) ?? { id: session.track, sessions: [] };
        entry.sessions.push(session.id);
        byTrack.set(key(session.track), entry);
      }
    }
    // A plenary, or a session marked alone, runs with nothing beside it.
    for (const p of list) {
      const session = sessions.get(key(p.session));
      if (session && (session.alone || session.plenary) && list.length > 1) {
        hard.push({ kind: "not_alone", slot: slotId, session: session.id, others: list.filter((o) => key(o.session) !== key(p.session)).map((o) => o.session) });
      }
    }
    for (const [roomKey, ids] of byRoom) if (ids.length > 1) hard.push({ kind: "room_double_booked", slot: slotId, room: rooms.get(roomKey)?.id ?? roomKey, sessions: ids });
    for (const entry of byFacilitator.values()) if (entry.sessions.length > 1) hard.push({ kind: "facilitator_double_booked", slot: slotId, facilitator: entry.id, sessions: entry.sessions });
    for (const entry of byTrack.values()) {
      if (entry.sessions.length > 1) {
        sameTrackOverlaps += (entry.sessions.length * (entry.sessions.length - 1)) / 2;
        soft.push({ kind: "same_track", slot: slotId, track: entry.id, sessions: entry.sessions });
      }
    }
  }

  // Attendee clashes: for each person, every pair of their wanted sessions in the same slot.
  const pairs = new Map<string, { slot: string; a: Id; b: Id; people: number; byGroup: Record<string, number> }>();
  const clashesByGroup: Record<string, number> = {};
  const lostByGroup: Record<string, number> = {};
  let attendeeClashes = 0;
  let lostSessions = 0;
  for (const entry of instance.interest) {
    const group = people.get(key(entry.person))?.group ?? "unknown";
    const perSlot = new Map<string, Id[]>();
    for (const s of new Set(entry.sessions.map(key))) {
      const slot = slotOf.get(s);
      if (slot === undefined) continue;
      perSlot.set(slot, [...(perSlot.get(slot) ?? []), sessions.get(s)!.id]);
    }
    for (const [slot, ids] of perSlot) {
      if (ids.length < 2) continue;
      lostSessions += ids.length - 1;
      lostByGroup[group] = (lostByGroup[group] ?? 0) + ids.length - 1;
      const sorted = [...ids].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          attendeeClashes += 1;
          clashesByGroup[group] = (clashesByGroup[group] ?? 0) + 1;
          const pairKey = `${key(sorted[i]!)}\u0000${key(sorted[j]!)}`;
          const pair = pairs.get(pairKey) ?? { slot, a: sorted[i]!, b: sorted[j]!, people: 0, byGroup: {} };
          pair.people += 1;
          pair.byGroup[group] = (pair.byGroup[group] ?? 0) + 1;
          pairs.set(pairKey, pair);
        }
      }
    }
  }
  for (const pair of [...pairs.values()].sort((x, y) => y.people - x.people)) {
    soft.push({ kind: "attendee_clash", slot: slots.get(pair.slot)?.id ?? pair.slot, sessions: [pair.a, pair.b], people: pair.people, byGroup: pair.byGroup });
  }

  return {
    hard,
    soft,
    score: { attendeeClashes, overflow, sameTrackOverlaps, hardViolations: hard.length },
    clashesByGroup,
    lostSessions,
    lostByGroup,
  };
}

// Fixed items (lunch, breaks, a plenary) hold their slot: one room, or with no room the whole
// venue. The scheduler never sees a whole-venue slot, so a session placed there by hand would be
// in no list at all; this check names it so the grid shows it and publishing refuses.
export type FixedItemConflict = { kind: "fixed_item_taken"; slot: Id; room: Id; session: Id; fixed: Id };

export interface FixedHold {
  id: Id;
  slot: Id;
  /** null: the whole venue */
  room: Id | null;
}

/** Every placement in a slot and room that a fixed item holds, once per placement. */
export function fixedItemConflicts(fixed: FixedHold[], placements: Placement[]): FixedItemConflict[] {
  const out: FixedItemConflict[] = [];
  for (const p of placements) {
    if (typeof p.session === "string" && p.session.startsWith("fixed-")) continue;
    const holder = fixed.find((f) => key(f.slot) === key(p.slot) && (f.room === null || key(f.room) === key(p.room)));
    if (holder) out.push({ kind: "fixed_item_taken", slot: p.slot, room: p.room, session: p.session, fixed: holder.id });
  }
  return out;
}
