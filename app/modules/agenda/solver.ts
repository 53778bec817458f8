// The automatic scheduler. Pure: an instance in, placements and figures out; no database, and
// the same seed (and iteration budget) gives the same schedule. See docs/decisions/008-scheduler.md.
//
// solve(instance, options) → SolveReport
//   options: seed (1), fairness (false), iterations (by default from the instance's size),
//     timeLimitMs (a safety cap; 90 s), keep (default: on when any session has a `published`
//     place), onProgress (called at most every ~250 ms with { elapsedMs, timeLimitMs, best,
//     iterations, phase }), shouldStop (checked every few thousand steps: solve then returns the
//     best schedule found so far, `stopped: true`).
//   report: placements, unplaced (with the reason), score (the conflict evaluator's figures),
//     moves (each published session whose place changed: from → to, or to null), optimal (the
//     exact search finished: nothing has better figures), iterations, stopped.
//   `best` in progress reports has the score's figures plus `moves` (how many published sessions
//     are away from their place).
//
// Hard rules are never broken by what it places: room used once, facilitators in one place and
// available, room features, slot length, pins, sessions marked `alone` and plenaries alone in
// their slot, plenaries in the largest room they fit. The objective is lexicographic: with keep
// on, moves of published sessions first (so a re-solve changes only what it must), then attendee
// clashes (plus, with fairness, the spread between constituencies), capacity overflow, same-track
// overlaps.
//
// Search: greedy construction (published places first, then the hardest sessions); simulated
// annealing over (slot, room) positions with relocations and swaps, every step's cost change
// O(1) from a per-session, per-slot clash table, a temperature calibrated from sampled changes,
// and reheats from the best schedule; then rooms are reassigned within each slot by an optimal
// assignment (rooms do not change clashes, only overflow and moves). Instances with fewer than
// 20 sessions to place are solved exactly by branch and bound over slots, rooms by assignment.
import { evaluate } from "./conflicts";
import type { Id, Instance, Move, Placement, Result, Score } from "./instance";
import { random } from "../../lib/random";

export interface Figures extends Score {
  moves: number;
}

export interface Progress {
  elapsedMs: number;
  timeLimitMs: number;
  best: Figures;
  iterations: number;
  phase: "anneal" | "exact";
}

export interface SolveOptions {
  seed?: number;
  /** balance clashes across constituencies (people's groups) before minimising their total */
  fairness?: boolean;
  /** annealing steps; by default proportional to the instance */
  iterations?: number;
  /** a safety cap on the search time; the best schedule found by then is returned */
  timeLimitMs?: number;
  /** keep published sessions where they are unless a hard rule forces a move (default: on when any is published) */
  keep?: boolean;
  onProgress?: (progress: Progress) => void;
  shouldStop?: () => boolean;
  /** instances with at most this many sessions to place are solved exactly (default 19) */
  exactUpTo?: number;
  /** node budget for the exact search before it settles for the best found */
  exactNodeLimit?: number;
}

export interface SolveReport extends Result {
  moves: Move[];
  /** true when the exact search finished: no schedule has better figures */
  optimal: boolean;
  iterations: number;
  /** true when shouldStop or the time limit ended the search early */
  stopped: boolean;
}

/** [moves, clashes (+ fairness), overflow, same-track] */
type Cost = [number, number, number, number];

const less = (a: Cost, b: Cost) => (a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] !== b[2] ? a[2] < b[2] : a[3] < b[3]);

/** The instance compiled to arrays indexed by number, with the co-interest matrix. */
export interface Model {
  S: number;
  T: number;
  R: number;
  G: number;
  sessionIds: Id[];
  slotIds: Id[];
  roomIds: Id[];
  groups: string[];
  groupSize: number[];
  capacity: Int32Array;
  track: Int32Array;
  interest: Int32Array;
  /** feasible positions (slot·R + room) for each session */
  options: Int32Array[];
  /** feasible[s·T·R + p]: 1 when position p keeps the static rules for session s */
  feasible: Uint8Array;
  /** why a session has no feasible position at all, or null */
  impossible: Array<string | null>;
  facilitators: Int32Array[];
  F: number;
  pinned: Int32Array;
  /** 1 for sessions that run alone in their slot (marked alone, or plenaries) */
  alone: Uint8Array;
  /** published position, -1 when not published, -2 when its slot or room is gone */
  published: Int32Array;
  /** co-interest: people who marked both sessions, S×S */
  co: Uint16Array | Int32Array;
  /** co-interest per group, G×S×S (only with fairness) */
  coGroup: Int32Array | null;
  tracks: number;
  totalInterest: number;
  /** the people (by index) who marked each session, and how many sessions each person marked */
  wantedBy: Int32Array[];
  marks: Int32Array;
}

const k = (id: Id) => String(id);

export function compile(instance: Instance, withGroups = false): Model {
  const S = instance.sessions.length;
  const T = instance.slots.length;
  const R = instance.rooms.length;
  const P = T * R;
  const slotIndex = new Map(instance.slots.map((s, i) => [k(s.id), i]));
  const roomIndex = new Map(instance.rooms.map((r, i) => [k(r.id), i]));
  const sessionIndex = new Map(instance.sessions.map((s, i) => [k(s.id), i]));
  const personIndex = new Map(instance.people.map((p, i) => [k(p.id), i]));
  const groups: string[] = [];
  const groupOf = instance.people.map((p) => {
    const g = p.group ?? "unknown";
    let i = groups.indexOf(g);
    if (i < 0) i = groups.push(g) - 1;
    return i;
  });
  if (groups.length === 0) groups.push("unknown");
  const G = groups.length;
  const groupSize = new Array<number>(G).fill(0);
  for (const g of groupOf) groupSize[g]! += 1;

  const trackIndex = new Map<string, number>();
  const track = new Int32Array(S).fill(-1);
  instance.sessions.forEach((s, i) => {
    if (s.track === null) return;
    if (!trackIndex.has(k(s.track))) trackIndex.set(k(s.track), trackIndex.size);
    track[i] = trackIndex.get(k(s.track))!;
  });

  const facilitatorIndex = new Map<string, number>();
  const facilitators = instance.sessions.map((s) => {
    const list = [...new Set(s.facilitators.map(k))].map((f) => {
      if (!facilitatorIndex.has(f)) facilitatorIndex.set(f, facilitatorIndex.size);
      return facilitatorIndex.get(f)!;
    });
    return Int32Array.from(list);
  });
  const unavailable = new Map<string, Set<number>>();
  for (const p of instance.people) unavailable.set(k(p.id), new Set(p.unavailable.map((u) => slotIndex.get(k(u))!)));

  const capacity = Int32Array.from(instance.rooms.map((r) => r.capacity));
  const options: Int32Array[] = [];
  const feasible = new Uint8Array(S * P);
  const impossible: Array<string | null> = [];
  instance.sessions.forEach((s, i) => {
    const fitsTime = instance.slots.map((slot) => slot.minutes >= s.minutes);
    let fitsRoom = instance.rooms.map((room) => s.needs.every((n) => room.features.includes(n)));
    if (s.plenary) {
      // A plenary takes the largest room it fits, and only that size.
      const largest = Math.max(-1, ...instance.rooms.filter((_, r) => fitsRoom[r]).map((room) => room.capacity));
      fitsRoom = fitsRoom.map((ok, r) => ok && capacity[r] === largest);
    }
    const free = instance.slots.map((_, t) => s.facilitators.every((f) => !unavailable.get(k(f))?.has(t)));
    const list: number[] = [];
    for (let t = 0; t < T; t++) {
      if (!fitsTime[t] || !free[t]) continue;
      for (let r = 0; r < R; r++) {
        if (!fitsRoom[r]) continue;
        list.push(t * R + r);
        feasible[i * P + t * R + r] = 1;
      }
    }
    options.push(Int32Array.from(list));
    if (list.length > 0) impossible.push(null);
    else if (!fitsTime.some(Boolean)) impossible.push(`longer (${s.minutes} minutes) than every slot`);
    else if (!fitsRoom.some(Boolean)) impossible.push(`no room has ${s.needs.join(", ")}`);
    else if (!fitsTime.some((ok, t) => ok && free[t])) impossible.push("facilitators are unavailable in every slot long enough");
    else impossible.push("no slot long enough has a room with the features it needs");
  });

  const pinned = new Int32Array(S).fill(-1);
  const alone = new Uint8Array(S);
  const published = new Int32Array(S).fill(-1);
  instance.sessions.forEach((s, i) => {
    if (s.pinned) pinned[i] = slotIndex.get(k(s.pinned.slot))! * R + roomIndex.get(k(s.pinned.room))!;
    if (s.alone || s.plenary) alone[i] = 1;
    if (s.published) {
      const t = slotIndex.get(k(s.published.slot));
      const r = roomIndex.get(k(s.published.room));
      published[i] = t === undefined || r === undefined ? -2 : t * R + r;
    }
  });

  const interest = new Int32Array(S);
  const big = instance.people.length > 65_000 || instance.interest.length > 65_000;
  const co = big ? new Int32Array(S * S) : new Uint16Array(S * S);
  const coGroup = withGroups ? new Int32Array(G * S * S) : null;
  let totalInterest = 0;
  const wantedBy: number[][] = Array.from({ length: S }, () => []);
  const marks = new Int32Array(instance.interest.length);
  for (const [e, entry] of instance.interest.entries()) {
    const list = [...new Set(entry.sessions.map((s) => sessionIndex.get(k(s))!))];
    for (const s of list) wantedBy[s]!.push(e);
    marks[e] = list.length;
    const p = personIndex.get(k(entry.person));
    const g = p === undefined ? 0 : groupOf[p]!;
    for (const s of list) interest[s]! += 1;
    totalInterest += list.length;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        co[a * S + b]! += 1;
        co[b * S + a]! += 1;
        if (coGroup) {
          coGroup[g * S * S + a * S + b]! += 1;
          coGroup[g * S * S + b * S + a]! += 1;
        }
      }
    }
  }

  return {
    S,
    T,
    R,
    G,
    sessionIds: instance.sessions.map((s) => s.id),
    slotIds: instance.slots.map((s) => s.id),
    roomIds: instance.rooms.map((r) => r.id),
    groups,
    groupSize,
    capacity,
    track,
    interest,
    options,
    feasible,
    impossible,
    facilitators,
    F: facilitatorIndex.size,
    pinned,
    alone,
    published,
    co,
    coGroup,
    tracks: trackIndex.size,
    totalInterest,
    wantedBy: wantedBy.map((list) => Int32Array.from(list)),
    marks,
  };
}

/** A schedule being built or improved, with the counters that make cost changes cheap to compute. */
class State {
  pos: Int32Array;
  occupant: Int32Array;
  slotCount: Int32Array;
  aloneCount: Int32Array;
  facCount: Uint16Array;
  trackCount: Int32Array;
  clashes = 0;
  overflow = 0;
  sameTrack = 0;
  moves = 0;
  groupClashes: Float64Array;
  /** each slot's sessions: members[t·R + i] for i < slotCount[t] */
  members: Int32Array;
  memberIndex: Int32Array;
  /**
   * With tables (construction, exact search): the clash weight of each session with each slot's
   * sessions, D[t·S + s], and per group DG[g·S·T + t·S + s], so a cost lookup is O(1) and a
   * placement O(S). Without (annealing): a lookup sums over the slot's sessions, and a placement
   * is O(1); annealing accepts many steps, so this is the faster trade there.
   */
  D: Int32Array | null;
  DG: Int32Array | null;

  constructor(
    readonly m: Model,
    readonly keep: boolean,
    tables = true,
  ) {
    this.pos = new Int32Array(m.S).fill(-1);
    this.occupant = new Int32Array(m.T * m.R).fill(-1);
    this.slotCount = new Int32Array(m.T);
    this.aloneCount = new Int32Array(m.T);
    this.facCount = new Uint16Array(m.T * Math.max(1, m.F));
    this.trackCount = new Int32Array(m.T * Math.max(1, m.tracks));
    this.groupClashes = new Float64Array(m.G);
    this.members = new Int32Array(m.T * m.R);
    this.memberIndex = new Int32Array(m.S).fill(-1);
    this.D = tables ? new Int32Array(m.S * m.T) : null;
    this.DG = tables && m.coGroup ? new Int32Array(m.G * m.S * m.T) : null;
  }

  /** Clash weight between session s and the sessions of slot t (s itself excluded). */
  clashWith(s: number, t: number): number {
    const { S, R, co } = this.m;
    if (this.D) return this.D[t * S + s]!;
    const row = s * S;
    const base = t * R;
    let sum = 0;
    for (let i = 0, n = this.slotCount[t]!; i < n; i++) {
      const x = this.members[base + i]!;
      if (x !== s) sum += co[row + x]!;
    }
    return sum;
  }

  /** The same for group g. */
  groupClashWith(s: number, t: number, g: number): number {
    const { S, T, R, coGroup } = this.m;
    if (this.DG) return this.DG[g * S * T + t * S + s]!;
    const row = g * S * S + s * S;
    const base = t * R;
    let sum = 0;
    for (let i = 0, n = this.slotCount[t]!; i < n; i++) {
      const x = this.members[base + i]!;
      if (x !== s) sum += coGroup![row + x]!;
    }
    return sum;
  }

  /** Moves the keep rule counts for session s at position p (0 or 1). */
  moveAt(s: number, p: number): number {
    const pub = this.m.published[s]!;
    return this.keep && pub !== -1 && pub !== p ? 1 : 0;
  }

  overflowAt(s: number, p: number): number {
    return Math.max(0, this.m.interest[s]! - this.m.capacity[p % this.m.R]!);
  }

  /** Can session s sit in slot t without a facilitator being twice in it (ignoring `except`)? */
  facilitatorsFree(s: number, t: number, except = -1): boolean {
    const { F, facilitators } = this.m;
    for (const f of facilitators[s]!) {
      let count = this.facCount[t * F + f]!;
      if (except >= 0 && facilitators[except]!.includes(f)) count -= 1;
      if (count > 0) return false;
    }
    return true;
  }

  /** The alone rule for s joining slot t while `except` (in t) leaves it. */
  aloneFree(s: number, t: number, except = -1): boolean {
    const leaving = except >= 0 && this.pos[except]! >= 0 && Math.floor(this.pos[except]! / this.m.R) === t;
    if (this.m.alone[s]) return this.slotCount[t]! - (leaving ? 1 : 0) === 0;
    return this.aloneCount[t]! - (leaving && this.m.alone[except]! ? 1 : 0) === 0;
  }

  /** Every hard rule for placing s at free position p. */
  canPlace(s: number, p: number): boolean {
    const t = Math.floor(p / this.m.R);
    return this.occupant[p] === -1 && this.m.feasible[s * this.m.T * this.m.R + p] === 1 && this.facilitatorsFree(s, t) && this.aloneFree(s, t);
  }

  private spread(s: number, t: number, sign: 1 | -1): void {
    const { S, T, co, coGroup, G } = this.m;
    const row = s * S;
    const D = this.D;
    if (D) {
      const out = t * S;
      if (sign === 1) for (let x = 0; x < S; x++) D[out + x]! += co[row + x]!;
      else for (let x = 0; x < S; x++) D[out + x]! -= co[row + x]!;
    }
    if (coGroup && this.DG) {
      for (let g = 0; g < G; g++) {
        const base = g * S * S + row;
        const to = g * S * T + t * S;
        for (let x = 0; x < S; x++) this.DG[to + x]! += sign * coGroup[base + x]!;
      }
    }
  }

  place(s: number, p: number): void {
    const { R, F, facilitators, tracks, track, G, coGroup } = this.m;
    const t = Math.floor(p / R);
    this.clashes += this.clashWith(s, t);
    if (coGroup) for (let g = 0; g < G; g++) this.groupClashes[g]! += this.groupClashWith(s, t, g);
    this.overflow += this.overflowAt(s, p);
    this.moves += this.moveAt(s, p);
    if (track[s]! >= 0) {
      this.sameTrack += this.trackCount[t * tracks + track[s]!]!;
      this.trackCount[t * tracks + track[s]!]! += 1;
    }
    for (const f of facilitators[s]!) this.facCount[t * F + f]! += 1;
    this.spread(s, t, 1);
    this.pos[s] = p;
    this.occupant[p] = s;
    this.members[t * R + this.slotCount[t]!] = s;
    this.memberIndex[s] = this.slotCount[t]!;
    this.slotCount[t]! += 1;
    if (this.m.alone[s]) this.aloneCount[t]! += 1;
  }

  remove(s: number): void {
    const { R, F, facilitators, tracks, track, G, coGroup } = this.m;
    const p = this.pos[s]!;
    const t = Math.floor(p / R);
    const last = this.slotCount[t]! - 1;
    const moved = this.members[t * R + last]!;
    this.members[t * R + this.memberIndex[s]!] = moved;
    this.memberIndex[moved] = this.memberIndex[s]!;
    this.memberIndex[s] = -1;
    this.slotCount[t] = last;
    this.spread(s, t, -1);
    this.clashes -= this.clashWith(s, t);
    if (coGroup) for (let g = 0; g < G; g++) this.groupClashes[g]! -= this.groupClashWith(s, t, g);
    this.overflow -= this.overflowAt(s, p);
    this.moves -= this.moveAt(s, p);
    if (track[s]! >= 0) {
      this.trackCount[t * tracks + track[s]!]! -= 1;
      this.sameTrack -= this.trackCount[t * tracks + track[s]!]!;
    }
    for (const f of facilitators[s]!) this.facCount[t * F + f]! -= 1;
    this.pos[s] = -1;
    this.occupant[p] = -1;
    if (this.m.alone[s]) this.aloneCount[t]! -= 1;
  }

  /** Moves s to position p of its own slot (swapping with p's occupant): only rooms change, so clashes and overlaps stay. */
  changeRooms(s: number, p: number): void {
    const from = this.pos[s]!;
    const o = this.occupant[p]!;
    this.overflow += this.overflowAt(s, p) - this.overflowAt(s, from);
    this.moves += this.moveAt(s, p) - this.moveAt(s, from);
    this.pos[s] = p;
    this.occupant[p] = s;
    this.occupant[from] = o;
    if (o !== -1) {
      this.overflow += this.overflowAt(o, from) - this.overflowAt(o, p);
      this.moves += this.moveAt(o, from) - this.moveAt(o, p);
      this.pos[o] = from;
    }
  }

  /** The fairness term: the spread of clashes per member between the best and worst-off groups, in people. */
  fairnessOf(groupClashes: Float64Array): number {
    const { G, groupSize } = this.m;
    let max = 0;
    let min = Infinity;
    let people = 0;
    for (let g = 0; g < G; g++) {
      if (groupSize[g]! === 0) continue;
      const rate = groupClashes[g]! / groupSize[g]!;
      if (rate > max) max = rate;
      if (rate < min) min = rate;
      people += groupSize[g]!;
    }
    return min === Infinity ? 0 : (max - min) * people;
  }

  primary(): number {
    return this.clashes + (this.m.coGroup ? this.fairnessOf(this.groupClashes) : 0);
  }

  cost(): Cost {
    return [this.moves, this.primary(), this.overflow, this.sameTrack];
  }

  figures(): Figures {
    return { attendeeClashes: this.clashes, overflow: this.overflow, sameTrackOverlaps: this.sameTrack, hardViolations: 0, moves: this.moves };
  }

  load(pos: Int32Array): void {
    for (let s = 0; s < this.m.S; s++) if (this.pos[s]! >= 0) this.remove(s);
    for (let s = 0; s < this.m.S; s++) if (pos[s]! >= 0) this.place(s, pos[s]!);
  }
}

function isMovable(m: Model, s: number): boolean {
  return m.pinned[s]! < 0;
}

/** Places pins, then published sessions at their places, then every other session greedily at its cheapest free feasible position. */
function construct(m: Model, keep: boolean, order: number[]): { state: State; unplaced: number[] } {
  const state = new State(m, keep);
  for (let s = 0; s < m.S; s++) {
    const p = m.pinned[s]!;
    if (p >= 0 && state.occupant[p] === -1) state.place(s, p);
  }
  if (keep) {
    for (const s of order) {
      const p = m.published[s]!;
      if (isMovable(m, s) && p >= 0 && state.canPlace(s, p)) state.place(s, p);
    }
  }
  const unplaced: number[] = [];
  for (const s of order) {
    if (!isMovable(m, s) || state.pos[s]! >= 0) continue;
    let best = -1;
    let bestCost: Cost | null = null;
    for (const p of m.options[s]!) {
      if (!state.canPlace(s, p)) continue;
      const t = Math.floor(p / m.R);
      const c: Cost = [
        state.moveAt(s, p),
        state.clashWith(s, t),
        state.overflowAt(s, p),
        m.track[s]! >= 0 ? state.trackCount[t * m.tracks + m.track[s]!]! : 0,
      ];
      if (!bestCost || less(c, bestCost)) {
        best = p;
        bestCost = c;
      }
    }
    if (best >= 0) state.place(s, best);
    else unplaced.push(s);
  }
  repair(m, state, unplaced);
  return { state, unplaced: unplaced.filter((s) => state.pos[s] === -1) };
}

/** Frees a place for each unplaced session by moving one placed session elsewhere, where possible. */
function repair(m: Model, state: State, unplaced: number[]): void {
  for (const s of unplaced) {
    if (state.pos[s] !== -1 || m.options[s]!.length === 0) continue;
    search: for (const p of m.options[s]!) {
      if (state.canPlace(s, p)) {
        state.place(s, p);
        break;
      }
      const o = state.occupant[p]!;
      if (o === -1 || !isMovable(m, o)) continue;
      state.remove(o);
      if (state.canPlace(s, p)) {
        state.place(s, p);
        for (const q of m.options[o]!) {
          if (state.canPlace(o, q)) {
            state.place(o, q);
            break search;
          }
        }
        state.remove(s);
      }
      state.place(o, p);
    }
  }
}

/** Sessions by how hard they are to place: alone first, published ones, then fewest options, then most wanted. */
function hardestFirst(m: Model): number[] {
  return Array.from({ length: m.S }, (_, s) => s).sort(
    (a, b) => m.alone[b]! - m.alone[a]! || m.options[a]!.length - m.options[b]!.length || m.interest[b]! - m.interest[a]! || a - b,
  );
}

interface Clock {
  started: number;
  limitMs: number;
  lastProgress: number;
  stopped: boolean;
  shouldStop?: () => boolean;
  onProgress?: (p: Progress) => void;
}

/** Checks the time limit and the caller's stop, and reports progress at most every 250 ms. True when the search must end. */
function tick(clock: Clock, best: () => Figures, iterations: number, phase: Progress["phase"]): boolean {
  const now = Date.now();
  if (clock.onProgress && now - clock.lastProgress >= 250) {
    clock.lastProgress = now;
    clock.onProgress({ elapsedMs: now - clock.started, timeLimitMs: clock.limitMs, best: best(), iterations, phase });
  }
  if (now - clock.started > clock.limitMs || clock.shouldStop?.()) clock.stopped = true;
  return clock.stopped;
}

/** How one step (s to position p, swapping with its occupant) changes the cost; null when it breaks a hard rule. */
function stepDelta(m: Model, state: State, s: number, p: number, scratch: Float64Array, out: Float64Array): boolean {
  const { R, T, S, tracks, track } = m;
  const P = T * R;
  const from = state.pos[s]!;
  const o = state.occupant[p]!;
  if (o !== -1 && (!isMovable(m, o) || m.feasible[o * P + from] !== 1)) return false;
  const a = Math.floor(from / R);
  const b = Math.floor(p / R);
  let dc = 0;
  let dt = 0;
  let dpen = 0;
  if (a !== b) {
    if (!state.facilitatorsFree(s, b, o) || !state.aloneFree(s, b, o)) return false;
    if (o !== -1 && (!state.facilitatorsFree(o, a, s) || !state.aloneFree(o, a, s))) return false;
    const ts = track[s]!;
    if (o === -1) {
      dc = state.clashWith(s, b) - state.clashWith(s, a);
      if (ts >= 0) dt = state.trackCount[b * tracks + ts]! - (state.trackCount[a * tracks + ts]! - 1);
    } else {
      const w = m.co[s * S + o]!;
      dc = state.clashWith(s, b) - w - state.clashWith(s, a) + state.clashWith(o, a) - w - state.clashWith(o, b);
      const to = track[o]!;
      if (ts !== to) {
        if (ts >= 0) dt += state.trackCount[b * tracks + ts]! - (state.trackCount[a * tracks + ts]! - 1);
        if (to >= 0) dt += state.trackCount[a * tracks + to]! - (state.trackCount[b * tracks + to]! - 1);
      }
    }
    if (m.coGroup) {
      const { G, coGroup } = m;
      for (let g = 0; g < G; g++) {
        let d = state.groupClashWith(s, b, g) - state.groupClashWith(s, a, g);
        if (o !== -1) {
          const w = coGroup[g * S * S + s * S + o]!;
          d += -2 * w + state.groupClashWith(o, a, g) - state.groupClashWith(o, b, g);
        }
        scratch[g] = state.groupClashes[g]! + d;
      }
      dpen = state.fairnessOf(scratch) - state.fairnessOf(state.groupClashes);
    }
  }
  let dov = state.overflowAt(s, p) - state.overflowAt(s, from);
  let dm = state.moveAt(s, p) - state.moveAt(s, from);
  if (o !== -1) {
    dov += state.overflowAt(o, from) - state.overflowAt(o, p);
    dm += state.moveAt(o, from) - state.moveAt(o, p);
  }
  out[0] = dm;
  out[1] = dc + dpen;
  out[2] = dov;
  out[3] = dt;
  return true;
}

function applyStep(state: State, s: number, p: number): void {
  const from = state.pos[s]!;
  const o = state.occupant[p]!;
  if (Math.floor(from / state.m.R) === Math.floor(p / state.m.R)) {
    state.changeRooms(s, p);
    return;
  }
  state.remove(s);
  if (o !== -1) state.remove(o);
  state.place(s, p);
  if (o !== -1) state.place(o, from);
}

function anneal(m: Model, state: State, iterations: number, seed: number, clock: Clock): { best: Int32Array; iterations: number } {
  const rnd = random(seed);
  const movable = Array.from({ length: m.S }, (_, s) => s).filter((s) => isMovable(m, s) && state.pos[s]! >= 0 && m.options[s]!.length > 1);
  let best = state.pos.slice();
  let bestCost = state.cost();
  if (movable.length === 0 || iterations === 0) return { best, iterations: 0 };
  const scratch = new Float64Array(m.G);
  // Overflow and same-track overlaps only break ties in the walk; the best schedule is kept
  // lexicographically, and rooms are matched optimally afterwards. A move of a published session
  // outweighs any clash, so the walk never takes one it does not need.
  const wOverflow = 1e-3;
  const wTrack = 1e-5;
  const wMove = 1e9;
  const d = new Float64Array(4);
  // Calibrate from sampled worsening steps: start where a step worse by a tenth of the mean
  // passes one time in three (hotter only wastes steps on a random walk), end where a step worse
  // by one clash still passes one time in six (the walk keeps moving over plateaus).
  let sum = 0;
  let count = 0;
  for (let i = 0; i < 2000; i++) {
    const s = movable[Math.floor(rnd() * movable.length)]!;
    const p = m.options[s]![Math.floor(rnd() * m.options[s]!.length)]!;
    if (p === state.pos[s]) continue;
    if (!stepDelta(m, state, s, p, scratch, d) || d[0] !== 0 || d[1]! <= 0) continue;
    sum += d[1]!;
    count += 1;
  }
  const t1 = 1 / Math.log(6);
  const t0 = Math.max(t1, count ? sum / count / 10 / Math.log(3) : 1);
  // Cycles: a long first descent, then reheats from the best schedule at lower temperatures.
  const cycles: Array<[share: number, heat: number]> = [
    [0.6, 1],
    [0.25, 0.3],
    [0.15, 0.1],
  ];
  let done = 0;
  for (const [share, heat] of cycles) {
    const length = Math.max(1, Math.floor(iterations * share));
    if (done > 0) state.load(best);
    const start = Math.max(t1, t0 * heat);
    const ratio = Math.log(t1 / start);
    for (let i = 0; i < length; i++) {
      if ((done & 4095) === 0 && tick(clock, () => figuresOf(m, state, best), done, "anneal")) return { best, iterations: done };
      done += 1;
      const temperature = start * Math.exp((ratio * i) / length);
      const s = movable[Math.floor(rnd() * movable.length)]!;
      const opts = m.options[s]!;
      const p = opts[Math.floor(rnd() * opts.length)]!;
      if (p === state.pos[s]) continue;
      if (!stepDelta(m, state, s, p, scratch, d)) continue;
      const e = wMove * d[0]! + d[1]! + wOverflow * d[2]! + wTrack * d[3]!;
      if (e > 0 && rnd() >= Math.exp(-e / temperature)) continue;
      applyStep(state, s, p);
      if (e < 0 || d[0]! < 0 || d[1]! < 0) {
        const now = state.cost();
        if (less(now, bestCost)) {
          bestCost = now;
          best = state.pos.slice();
        }
      }
    }
  }
  return { best, iterations: done };
}

function figuresOf(m: Model, state: State, pos: Int32Array): Figures {
  const copy = new State(m, state.keep, false);
  copy.load(pos);
  return copy.figures();
}

/** The minimum-cost assignment of n rows to distinct columns of an n×c matrix (n ≤ c); returns each row's column. */
export function assign(cost: number[][], columns: number): number[] {
  const n = cost.length;
  const INF = Number.MAX_VALUE;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(columns + 1);
  const p = new Int32Array(columns + 1);
  const way = new Int32Array(columns + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(columns + 1).fill(INF);
    const used = new Uint8Array(columns + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= columns; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= columns; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let j = 1; j <= columns; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1;
  return result;
}

/** Reassigns rooms within each slot to the assignment with the fewest moves, then the least overflow. */
function matchRooms(m: Model, state: State): void {
  const { R, T } = m;
  const P = T * R;
  const moveWeight = 1 + m.totalInterest;
  const FORBIDDEN = 1e15;
  for (let t = 0; t < T; t++) {
    const sessions: number[] = [];
    const rooms: number[] = [];
    for (let r = 0; r < R; r++) {
      const o = state.occupant[t * R + r]!;
      if (o === -1 || isMovable(m, o)) rooms.push(r);
      if (o !== -1 && isMovable(m, o)) sessions.push(o);
    }
    if (sessions.length < 2) continue;
    const costOf = (s: number, r: number) =>
      m.feasible[s * P + t * R + r] !== 1 ? FORBIDDEN : state.moveAt(s, t * R + r) * moveWeight + state.overflowAt(s, t * R + r);
    const matrix = sessions.map((s) => rooms.map((r) => costOf(s, r)));
    const chosen = assign(matrix, rooms.length);
    const before = sessions.reduce((sum, s) => sum + costOf(s, state.pos[s]! % R), 0);
    const after = sessions.reduce((sum, s, i) => sum + matrix[i]![chosen[i]!]!, 0);
    if (!(after < before) || after >= FORBIDDEN) continue;
    for (const s of sessions) state.remove(s);
    sessions.forEach((s, i) => state.place(s, t * R + rooms[chosen[i]!]!));
  }
}

/**
 * Exact search for small instances, over slots: clashes and same-track overlaps depend only on
 * which sessions share a slot, so each session is given a slot (interchangeable empty slots are
 * tried once), a slot takes a session only while its sessions can still be matched to rooms
 * that keep every rule, and each complete schedule gets its rooms by optimal assignment. A
 * branch is cut when its figures plus what the remaining sessions must add reach the best
 * schedule: for clashes, the larger of two bounds (each remaining session's cheapest slot as
 * things stand; each person's remaining wanted sessions spread over the slots where they have
 * fewest), for moves the published sessions already away from their slot.
 */
function exactSlots(m: Model, start: State, upper: Cost, nodeLimit: number, clock: Clock): { pos: Int32Array | null; optimal: boolean } {
  const { S, T, R, co, track, tracks, F, facilitators } = m;
  const P = T * R;
  const order = hardestFirst(m).filter((s) => isMovable(m, s) && start.pos[s]! >= 0);
  const slotOf = new Int32Array(S).fill(-1);
  const members: number[][] = Array.from({ length: T }, () => []);
  const freeRooms: number[][] = Array.from({ length: T }, () => Array.from({ length: R }, (_, r) => r));
  const trackCount = new Int32Array(T * Math.max(1, tracks));
  const facCount = new Uint16Array(T * Math.max(1, F));
  const aloneCount = new Int32Array(T);
  const people = m.marks.length;
  const placedIn = new Int32Array(people * T);
  const toPlace = new Int32Array(people);
  for (const s of order) for (const e of m.wantedBy[s]!) toPlace[e]! += 1;
  let clashes = 0;
  let sameTrack = 0;
  let movedSlots = 0;
  const pubSlot = (s: number) => (m.published[s]! >= 0 ? Math.floor(m.published[s]! / R) : m.published[s]!);
  const clashWith = (s: number, t: number) => {
    let sum = 0;
    for (const x of members[t]!) sum += co[s * S + x]!;
    return sum;
  };
  const put = (s: number, t: number, room = -1) => {
    clashes += clashWith(s, t);
    if (track[s]! >= 0) sameTrack += trackCount[t * tracks + track[s]!]!++;
    for (const f of facilitators[s]!) facCount[t * F + f]! += 1;
    if (m.alone[s]) aloneCount[t]! += 1;
    for (const e of m.wantedBy[s]!) {
      placedIn[e * T + t]! += 1;
      toPlace[e]! -= 1;
    }
    if (start.keep && m.published[s] !== -1 && pubSlot(s) !== t) movedSlots += 1;
    // A pinned session holds its room; the others get rooms by assignment.
    if (room >= 0) freeRooms[t] = freeRooms[t]!.filter((r) => r !== room);
    members[t]!.push(s);
    slotOf[s] = t;
  };
  const take = (s: number) => {
    const t = slotOf[s]!;
    members[t]!.pop();
    clashes -= clashWith(s, t);
    if (track[s]! >= 0) sameTrack -= --trackCount[t * tracks + track[s]!]!;
    for (const f of facilitators[s]!) facCount[t * F + f]! -= 1;
    if (m.alone[s]) aloneCount[t]! -= 1;
    for (const e of m.wantedBy[s]!) {
      placedIn[e * T + t]! -= 1;
      toPlace[e]! += 1;
    }
    if (start.keep && m.published[s] !== -1 && pubSlot(s) !== t) movedSlots -= 1;
    slotOf[s] = -1;
  };
  // Pinned sessions hold their rooms.
  for (let s = 0; s < S; s++) if (!isMovable(m, s) && start.pos[s]! >= 0) put(s, Math.floor(start.pos[s]! / R), start.pos[s]! % R);
  const movableIn = (t: number) => members[t]!.filter((x) => isMovable(m, x));
  /** each slot's best room assignment cost for the sessions in it (moves × weight + overflow): adding sessions never lowers it */
  const slotCost = new Float64Array(T);
  const FORBIDDEN = 1e15;
  const moveWeight = 1 + m.totalInterest;
  /** The best room assignment of a slot's movable sessions: total cost, and rooms (null when none keeps the rules). */
  const roomsFor = (t: number, list: number[]): { cost: number; rooms: number[] } | null => {
    const rooms = freeRooms[t]!;
    if (list.length > rooms.length) return null;
    if (list.length === 0) return { cost: 0, rooms: [] };
    const matrix = list.map((s) => rooms.map((r) => (m.feasible[s * P + t * R + r] !== 1 ? FORBIDDEN : start.moveAt(s, t * R + r) * moveWeight + start.overflowAt(s, t * R + r))));
    const chosen = assign(matrix, rooms.length);
    const cost = list.reduce((sum, _, i) => sum + matrix[i]![chosen[i]!]!, 0);
    return cost >= FORBIDDEN ? null : { cost, rooms: chosen.map((c) => rooms[c]!) };
  };
  const minOverflow = Array.from({ length: S }, (_, s) => Math.min(Infinity, ...Array.from(m.options[s]!, (p) => start.overflowAt(s, p))));
  const slotsOf = m.options.map((opts) => [...new Set(Array.from(opts, (p) => Math.floor(p / R)))]);
  const fill = new Int32Array(T);
  const cap = new Int32Array(T);
  const room = new Int32Array(T);
  const pinnedIn = new Int32Array(T);
  for (let s = 0; s < S; s++) if (!isMovable(m, s) && slotOf[s]! >= 0) pinnedIn[slotOf[s]!]! += 1;
  const bound = (i: number): Cost => {
    let perSession = 0;
    let overflow = 0;
    let trackBound = 0;
    let moves = 0;
    for (let j = i; j < order.length; j++) {
      const u = order[j]!;
      let minClash = Infinity;
      let minTrack = Infinity;
      for (const t of slotsOf[u]!) {
        minClash = Math.min(minClash, clashWith(u, t));
        minTrack = Math.min(minTrack, track[u]! >= 0 ? trackCount[t * tracks + track[u]!]! : 0);
      }
      perSession += minClash === Infinity ? 0 : minClash;
      trackBound += minTrack === Infinity ? 0 : minTrack;
      overflow += minOverflow[u] === Infinity ? 0 : minOverflow[u]!;
      if (start.keep && m.published[u] === -2) moves += 1;
    }
    // Placed sessions: each slot's best assignment. (With keep on, its overflow is the one at the
    // fewest moves, which need not bound the overflow of a schedule with as many moves in total,
    // so the overflow bound then takes each session's smallest instead.)
    for (let t = 0; t < T; t++) {
      const c = slotCost[t]!;
      const slotMoves = Math.floor(c / moveWeight);
      moves += slotMoves;
      if (!start.keep) overflow += c;
    }
    if (start.keep) for (let j = 0; j < i; j++) overflow += minOverflow[order[j]!] === Infinity ? 0 : minOverflow[order[j]!]!;
    // A slot takes no more sessions than it has rooms left, for anyone's wanted sessions too.
    for (let t = 0; t < T; t++) room[t] = freeRooms[t]!.length - (members[t]!.length - pinnedIn[t]!);
    let perPerson = 0;
    // Stop adding once the bound already exceeds the best schedule's clashes (a partial sum is still a bound).
    const enough = bestCost[1] - clashes;
    for (let e = 0; e < people && perPerson <= enough; e++) {
      const left = toPlace[e]!;
      if (left === 0) continue;
      for (let t = 0; t < T; t++) {
        fill[t] = placedIn[e * T + t]!;
        cap[t] = room[t]!;
      }
      for (let n = 0; n < left; n++) {
        let b = -1;
        for (let t = 0; t < T; t++) if (cap[t]! > 0 && (b < 0 || fill[t]! < fill[b]!)) b = t;
        if (b < 0) break;
        perPerson += fill[b]!;
        fill[b]! += 1;
        cap[b]! -= 1;
      }
    }
    return [Math.max(movedSlots, moves), clashes + Math.max(perSession, perPerson), overflow, sameTrack + trackBound];
  };
  // Slots are interchangeable when every session fits them alike, and no pin or published session is in them.
  const slotClass = new Int32Array(T);
  const sigs = new Map<string, number>();
  for (let t = 0; t < T; t++) {
    const parts: string[] = [];
    for (let s = 0; s < S; s++) {
      let bits = "";
      for (let r = 0; r < R; r++) bits += m.feasible[s * P + t * R + r];
      parts.push(bits, pubSlot(s) === t ? "p" : "", slotOf[s] === t ? "x" : "");
    }
    const sig = parts.join(",");
    if (!sigs.has(sig)) sigs.set(sig, sigs.size);
    slotClass[t] = sigs.get(sig)!;
  }
  let best: Int32Array | null = null;
  let bestCost = upper;
  let nodes = 0;
  let aborted = false;
  const leaf = () => {
    const pos = start.pos.slice().fill(-1);
    for (let s = 0; s < S; s++) if (!isMovable(m, s) && start.pos[s]! >= 0) pos[s] = start.pos[s]!;
    for (let t = 0; t < T; t++) {
      const list = movableIn(t);
      const found = roomsFor(t, list);
      if (!found) return;
      list.forEach((s, i) => (pos[s] = t * R + found.rooms[i]!));
    }
    const check = new State(m, start.keep, false);
    check.load(pos);
    const cost = check.cost();
    if (less(cost, bestCost)) {
      bestCost = cost;
      best = pos;
    }
  };
  const visit = (i: number) => {
    if (aborted) return;
    if (++nodes > nodeLimit || ((nodes & 1023) === 0 && tick(clock, () => start.figures(), nodes, "exact"))) {
      aborted = true;
      return;
    }
    if (!less(bound(i), bestCost)) return;
    if (i === order.length) {
      leaf();
      return;
    }
    const s = order[i]!;
    const candidates = slotsOf[s]!.slice().sort((x, y) => clashWith(s, x) - clashWith(s, y) || x - y);
    const emptyTried = new Set<number>();
    for (const t of candidates) {
      if (m.alone[s] ? members[t]!.length > 0 : aloneCount[t]! > 0) continue;
      if (facilitators[s]!.some((f) => facCount[t * F + f]! > 0)) continue;
      if (members[t]!.length === 0) {
        if (emptyTried.has(slotClass[t]!)) continue;
        emptyTried.add(slotClass[t]!);
      }
      // The slot's best room assignment with s added: the feasibility test and the slot's new cost at once.
      const found = roomsFor(t, [...movableIn(t), s]);
      if (!found) continue;
      const before = slotCost[t]!;
      put(s, t);
      slotCost[t] = found.cost;
      visit(i + 1);
      take(s);
      slotCost[t] = before;
      if (aborted) return;
    }
  };
  visit(0);
  return { pos: best, optimal: !aborted };
}

function report(instance: Instance, m: Model, keep: boolean, pos: Int32Array, unplaced: number[], optimal: boolean, iterations: number, stopped: boolean): SolveReport {
  const placements: Placement[] = [];
  for (let s = 0; s < m.S; s++) {
    const p = pos[s]!;
    if (p < 0) continue;
    placements.push({ session: m.sessionIds[s]!, slot: m.slotIds[Math.floor(p / m.R)]!, room: m.roomIds[p % m.R]! });
  }
  placements.sort((a, b) => {
    const sa = m.slotIds.indexOf(a.slot);
    const sb = m.slotIds.indexOf(b.slot);
    return sa - sb || m.roomIds.indexOf(a.room) - m.roomIds.indexOf(b.room);
  });
  const moves: Move[] = [];
  instance.sessions.forEach((session, s) => {
    if (!session.published || m.published[s] === pos[s]) return;
    const p = pos[s]!;
    moves.push({ session: session.id, from: session.published, to: p < 0 ? null : { slot: m.slotIds[Math.floor(p / m.R)]!, room: m.roomIds[p % m.R]! } });
  });
  return {
    placements,
    unplaced: unplaced.map((s) => ({ session: m.sessionIds[s]!, reason: m.impossible[s] ?? "no free place without a hard conflict" })),
    score: evaluate(instance, placements).score,
    moves,
    optimal,
    iterations,
    stopped,
  };
}

/** The greedy baseline of the benchmarks: sessions by interest, each to the free place with the fewest new clashes. */
export function greedy(instance: Instance): SolveReport {
  const m = compile(instance);
  const order = Array.from({ length: m.S }, (_, s) => s).sort((a, b) => m.alone[b]! - m.alone[a]! || m.interest[b]! - m.interest[a]! || a - b);
  const { state, unplaced } = construct(m, false, order);
  return report(instance, m, false, state.pos, unplaced, false, 0, false);
}

/** The default annealing budget: enough steps per session for the walk to settle, within the time cap on this hardware. */
export function defaultIterations(sessions: number): number {
  return Math.min(60_000_000, 200_000 + sessions * 40_000);
}

export function solve(instance: Instance, options: SolveOptions = {}): SolveReport {
  const fairness = options.fairness ?? false;
  const keep = options.keep ?? instance.sessions.some((s) => s.published);
  const clock: Clock = {
    started: Date.now(),
    limitMs: options.timeLimitMs ?? 90_000,
    lastProgress: Date.now(),
    stopped: false,
    shouldStop: options.shouldStop,
    onProgress: options.onProgress,
  };
  const m = compile(instance, fairness);
  const { state, unplaced } = construct(m, keep, hardestFirst(m));
  const movable = m.S - unplaced.length - Array.from(m.pinned).filter((p) => p >= 0).length;
  const small = !fairness && movable <= (options.exactUpTo ?? 19);
  const iterations = options.iterations ?? (small ? 100_000 : defaultIterations(movable));
  const walk = new State(m, keep, false);
  walk.load(state.pos);
  const annealed = anneal(m, walk, iterations, options.seed ?? 1, clock);
  state.load(annealed.best);
  matchRooms(m, state);
  let pos: Int32Array = state.pos.slice();
  let optimal = false;
  if (small && !clock.stopped) {
    // Upper bound just above the annealed schedule, so the search proves it optimal or beats it.
    const c = state.cost();
    const result = exactSlots(m, state, [c[0], c[1], c[2], c[3] + 1], options.exactNodeLimit ?? 5_000_000, clock);
    if (result.pos) pos = result.pos;
    optimal = result.optimal;
  }
  const final = report(instance, m, keep, pos, unplaced, optimal, annealed.iterations, clock.stopped);
  if (options.onProgress) {
    options.onProgress({ elapsedMs: Date.now() - clock.started, timeLimitMs: clock.limitMs, best: { ...final.score, moves: final.moves.length }, iterations: annealed.iterations, phase: small ? "exact" : "anneal" });
  }
  return final;
}

/**
 * A lower bound on attendee clashes: each person's wanted sessions spread as evenly as possible
 * over the slots (ignoring rooms and every other rule) still clash this much.
 */
export function clashLowerBound(instance: Instance): number {
  const T = instance.slots.length;
  if (T === 0) return 0;
  let bound = 0;
  for (const entry of instance.interest) {
    const n = new Set(entry.sessions.map(k)).size;
    const q = Math.floor(n / T);
    const r = n % T;
    bound += r * ((q + 1) * q) / 2 + (T - r) * (q * (q - 1)) / 2;
  }
  return bound;
}
