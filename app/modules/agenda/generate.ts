// Seeded synthetic instances for the scheduler's tests and benchmarks: people prefer one or two
// tracks and some sessions are far more popular than others, as at real meetings. The options
// vary what makes instances hard (how steep popularity is, the mix of room sizes, interpretation
// in a fifth of the rooms, facilitators running several sessions, how many tracks people follow),
// so the scheduler is held to more than one shape; without them the instance is the original one.
import type { Instance } from "./instance";
import { random } from "../../lib/random";

export interface GenerateOptions {
  sessions: number;
  people: number;
  slots: number;
  rooms: number;
  seed?: number;
  marksPerPerson?: number;
  tracks?: number;
  /** share of sessions pinned to a place */
  pinned?: number;
  /** popularity is rnd^skew: 2 by default; higher means a few sessions draw most marks */
  skew?: number;
  /** room sizes: "mixed" (20–150, the default), "small" (mostly 15–40 and one hall), "large" (60–300) */
  roomMix?: "mixed" | "small" | "large";
  /** every fifth room has interpretation (and only those), and this share of sessions needs it */
  interpretation?: number;
  /** facilitators come from a pool of this many people, so some run several sessions */
  facilitatorPool?: number;
  /** people follow exactly this many tracks (by default one or two, half each) */
  tracksPerPerson?: 1 | 2 | 3;
}

const ROOM_SIZES = { mixed: [20, 30, 40, 60, 80, 150], small: [15, 20, 25, 30, 40, 200], large: [60, 80, 100, 150, 200, 300] };

const GROUPS = ["sex_worker_or_community_member", "advocate", "service_provider", "researcher", "donor", "other"];
const FEATURES = ["step_free", "interpretation", "captioning", "projector"];

export function generateInstance(o: GenerateOptions): Instance {
  const rnd = random(o.seed ?? 7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const tracks = o.tracks ?? 6;
  const perDay = 4;
  const slots = Array.from({ length: o.slots }, (_, i) => {
    const day = Math.floor(i / perDay);
    const hour = [9, 11, 14, 16][i % perDay]!;
    return { id: `slot-${i + 1}`, start: new Date(Date.UTC(2027, 5, 14 + day, hour, 0)).toISOString(), minutes: 90 };
  });
  const rooms = Array.from({ length: o.rooms }, (_, i) => ({
    id: `room-${i + 1}`,
    capacity: ROOM_SIZES[o.roomMix ?? "mixed"][i % 6]!,
    // Every room is step-free except one in four; interpretation and captioning are rarer.
    features: FEATURES.filter((f, k) => (k === 0 ? i % 4 !== 3 : f === "interpretation" && o.interpretation !== undefined ? i % 5 === 4 : (i + k) % 3 === 0)),
  }));
  const people = Array.from({ length: o.people }, (_, i) => ({
    id: `p${i + 1}`,
    group: GROUPS[i % GROUPS.length]!,
    unavailable: [] as string[],
  }));
  const popularity = Array.from({ length: o.sessions }, () => Math.pow(rnd(), o.skew ?? 2));
  const pool = Math.min(people.length, o.facilitatorPool ?? people.length);
  const sessions = Array.from({ length: o.sessions }, (_, i) => {
    const facilitator = people[Math.floor(rnd() * pool)]!;
    const second = rnd() < 0.3 ? people[Math.floor(rnd() * pool)]! : null;
    const needs = rnd() < 0.15 ? [pick(["step_free", "projector"])] : [];
    if (o.interpretation !== undefined && rnd() < o.interpretation) needs.push("interpretation");
    return {
      id: `s${i + 1}`,
      track: `t${(i % tracks) + 1}`,
      minutes: rnd() < 0.7 ? 60 : 90,
      facilitators: [...new Set([facilitator.id, ...(second ? [second.id] : [])])],
      needs,
      pinned: null as { slot: string; room: string } | null,
    };
  });
  // A few facilitators cannot make one slot.
  for (const s of sessions) {
    if (rnd() < 0.1) {
      const person = people.find((p) => p.id === s.facilitators[0])!;
      person.unavailable = [...new Set([...person.unavailable, pick(slots).id])];
    }
  }
  const pinCount = Math.floor((o.pinned ?? 0) * o.sessions);
  const used = new Set<string>();
  for (let i = 0; i < pinCount; i++) {
    const s = sessions[i]!;
    const slot = slots[i % slots.length]!;
    const room = rooms.find((r) => s.needs.every((n) => r.features.includes(n)) && !used.has(`${slot.id}/${r.id}`));
    if (room && !s.facilitators.some((f) => people.find((p) => p.id === f)!.unavailable.includes(slot.id))) {
      s.pinned = { slot: slot.id, room: room.id };
      used.add(`${slot.id}/${room.id}`);
    }
  }
  const marks = o.marksPerPerson ?? 10;
  const byTrack = Array.from({ length: tracks }, (_, t) => sessions.map((s, i) => ({ s, i })).filter(({ i }) => i % tracks === t));
  // Each person follows one or two tracks (as registration asks) and marks mostly there.
  const all = sessions.map((s, i) => ({ s, i }));
  const interest = people.map((person) => {
    const followed = [Math.floor(rnd() * tracks), Math.floor(rnd() * tracks)];
    const share = rnd();
    if (o.tracksPerPerson === 3) followed.push(Math.floor(rnd() * tracks));
    const favourites = followed.slice(0, o.tracksPerPerson ?? (share < 0.5 ? 1 : 2));
    const chosen = new Set<string>();
    const want = Math.max(1, Math.round(marks * (0.5 + rnd())));
    for (let tries = 0; chosen.size < Math.min(want, sessions.length) && tries < want * 20; tries++) {
      const favourite = favourites[Math.floor(rnd() * favourites.length)]!;
      const pool = rnd() < 0.8 && byTrack[favourite]!.length ? byTrack[favourite]! : all;
      const candidate = pool[Math.floor(rnd() * pool.length)]!;
      if (rnd() < 0.25 + popularity[candidate.i]!) chosen.add(candidate.s.id);
    }
    return { person: person.id, sessions: [...chosen] };
  });
  return { slots, rooms, sessions, people, interest };
}
