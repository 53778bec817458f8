// The automatic scheduler. Pure: an instance in, placements and figures out; no database, and
// the same seed gives the same schedule. Hard rules are never broken by what it places; the
// objective is lexicographic: attendee clashes, then room overflow, then same-track overlaps.
// Construction is greedy (hardest sessions first); improvement is simulated annealing over
// relocations and swaps with incremental cost; instances under 20 sessions are solved exactly
// by branch and bound. See docs/decisions/008-scheduler.md.
import { evaluate } from "./conflicts";
import type { Id, Instance, Placement, Result } from "./instance";
import { random } from "../../lib/random";

export interface SolveOptions {
  seed?: number;
  /** balance clashes across constituencies (people's groups) before minimising their total */
  fairness?: boolean;
  /** annealing steps; by default proportional to the instance */
  iterations?: number;
  /** a safety cap on the annealing time */
  timeLimitMs?: number;
  /** instances with at most this many sessions to place are solved exactly (default 19) */
  exactUpTo?: number;
  /** node budget for the exact search before it settles for the best found */
  exactNodeLimit?: number;
}

export interface SolveReport extends Result {
  /** true when the exact search finished: no schedule has better figures */
  optimal: boolean;
  iterations: number;
}

type Cost = [clashes: number, overflow: number, sameTrack: number];

const less = (a: Cost, b: Cost) => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

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
  /** why a session has no feasible position at all, or null */
  impossible: Array<string | null>;
  facilitators: Int32Array[];
  F: number;
  pinned: Int32Array;
  /** co-interest: people who marked both sessions, S×S */
  co: Uint16Array | Int32Array;
  /** co-interest per group, G×S×S (only with fairness) */
  coGroup: Int32Array | null;
  tracks: number;
}

const k = (id: Id) => String(id);

export function compile(instance: Instance, withGroups = false): Model {
  const S = instance.sessions.length;
  const T = instance.slots.length;
  const R = instance.rooms.length;
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
  const impossible: Array<string | null> = [];
  instance.sessions.forEach((s) => {
    const fitsTime = instance.slots.map((slot) => slot.minutes >= s.minutes);
    const fitsRoom = instance.rooms.map((room) => s.needs.every((n) => room.features.includes(n)));
    const free = instance.slots.map((_, t) => s.facilitators.every((f) => !unavailable.get(k(f))?.has(t)));
    const list: number[] = [];
    for (let t = 0; t < T; t++) {
      if (!fitsTime[t] || !free[t]) continue;
      for (let r = 0; r < R; r++) if (fitsRoom[r]) list.push(t * R + r);
    }
    options.push(Int32Array.from(list));
    if (list.length > 0) impossible.push(null);
    else if (!fitsTime.some(Boolean)) impossible.push(`longer (${s.minutes} minutes) than every slot`);
    else if (!fitsRoom.some(Boolean)) impossible.push(`no room has ${s.needs.join(", ")}`);
    else if (!fitsTime.some((ok, t) => ok && free[t])) impossible.push("facilitators are unavailable in every slot long enough");
    else impossible.push("no slot long enough has a room with the features it needs");
  });

  const pinned = new Int32Array(S).fill(-1);
  instance.sessions.forEach((s, i) => {
    if (s.pinned) pinned[i] = slotIndex.get(k(s.pinned.slot))! * R + roomIndex.get(k(s.pinned.room))!;
  });

  const interest = new Int32Array(S);
  const big = instance.people.length > 65_000 || instance.interest.length > 65_000;
  const co = big ? new Int32Array(S * S) : new Uint16Array(S * S);
  const coGroup = withGroups ? new Int32Array(G * S * S) : null;
  for (const entry of instance.interest) {
    const list = [...new Set(entry.sessions.map((s) => sessionIndex.get(k(s))!))];
    const p = personIndex.get(k(entry.person));
    const g = p === undefined ? 0 : groupOf[p]!;
    for (const s of list) interest[s]! += 1;
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
    impossible,
    facilitators,
    F: facilitatorIndex.size,
    pinned,
    co,
    coGroup,
    tracks: trackIndex.size,
  };
}

/** A schedule being built or improved, with the counters that make cost changes cheap to compute. */
class State {
  pos: Int32Array;
  occupant: Int32Array;
  slotMembers: Int32Array[];
  slotLength: Int32Array;
  memberIndex: Int32Array;
  facCount: Uint16Array;
  trackCount: Int32Array;
  clashes = 0;
  overflow = 0;
  sameTrack = 0;
  groupClashes: Float64Array;
  /** clash weight of each session with each slot's sessions: D[s·T + t] */
  D: Int32Array;

  constructor(readonly m: Model) {
    this.pos = new Int32Array(m.S).fill(-1);
    this.occupant = new Int32Array(m.T * m.R).fill(-1);
    this.slotMembers = Array.from({ length: m.T }, () => new Int32Array(m.R));
    this.slotLength = new Int32Array(m.T);
    this.memberIndex = new Int32Array(m.S).fill(-1);
    this.facCount = new Uint16Array(m.T * Math.max(1, m.F));
    this.trackCount = new Int32Array(m.T * Math.max(1, m.tracks));
    this.groupClashes = new Float64Array(m.G);
    this.D = new Int32Array(m.S * m.T);
  }

  cost(): Cost {
    return [this.clashes, this.overflow, this.sameTrack];
  }

  /** Clash weight between session s and the sessions of slot t (other than `except`). */
  clashWith(s: number, t: number, except = -1): number {
    const { S, T, co } = this.m;
    return this.D[s * T + t]! - (except >= 0 && this.pos[except]! >= 0 && Math.floor(this.pos[except]! / this.m.R) === t ? co[s * S + except]! : 0);
  }

  private spread(s: number, t: number, sign: 1 | -1): void {
    const { S, T, co } = this.m;
    const row = s * S;
    for (let x = 0; x < S; x++) {
      const w = co[row + x]!;
      if (w !== 0) this.D[x * T + t]! += sign * w;
    }
  }

  groupClashWith(s: number, t: number, g: number, except = -1): number {
    const { S, coGroup } = this.m;
    const members = this.slotMembers[t]!;
    let sum = 0;
    for (let i = 0, n = this.slotLength[t]!; i < n; i++) {
      const o = members[i]!;
      if (o !== except && o !== s) sum += coGroup![g * S * S + s * S + o]!;
    }
    return sum;
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

  place(s: number, p: number): void {
    const { R, F, facilitators, tracks, track, coGroup } = this.m;
    const t = Math.floor(p / R);
    this.clashes += this.clashWith(s, t);
    if (coGroup) for (let g = 0; g < this.m.G; g++) this.groupClashes[g]! += this.groupClashWith(s, t, g);
    this.overflow += this.overflowAt(s, p);
    if (track[s]! >= 0) {
      this.sameTrack += this.trackCount[t * tracks + track[s]!]!;
      this.trackCount[t * tracks + track[s]!]! += 1;
    }
    for (const f of facilitators[s]!) this.facCount[t * F + f]! += 1;
    this.spread(s, t, 1);
    this.pos[s] = p;
    this.occupant[p] = s;
    this.memberIndex[s] = this.slotLength[t]!;
    this.slotMembers[t]![this.slotLength[t]!] = s;
    this.slotLength[t]! += 1;
  }

  remove(s: number): void {
    const { R, F, facilitators, tracks, track, coGroup } = this.m;
    const p = this.pos[s]!;
    const t = Math.floor(p / R);
    const i = this.memberIndex[s]!;
    const last = this.slotLength[t]! - 1;
    const moved = this.slotMembers[t]![last]!;
    this.slotMembers[t]![i] = moved;
    this.memberIndex[moved] = i;
    this.slotLength[t] = last;
    this.memberIndex[s] = -1;
    this.spread(s, t, -1);
    this.clashes -= this.clashWith(s, t);
    if (coGroup) for (let g = 0; g < this.m.G; g++) this.groupClashes[g]! -= this.groupClashWith(s, t, g);
    this.overflow -= this.overflowAt(s, p);
    if (track[s]! >= 0) {
      this.trackCount[t * tracks + track[s]!]! -= 1;
      this.sameTrack -= this.trackCount[t * tracks + track[s]!]!;
    }
    for (const f of facilitators[s]!) this.facCount[t * F + f]! -= 1;
    this.pos[s] = -1;
    this.occupant[p] = -1;
  }

  /** Cost change of moving s to free position p (s placed elsewhere). */
  deltaMove(s: number, p: number): Cost {
    const { R, tracks, track } = this.m;
    const from = this.pos[s]!;
    const a = Math.floor(from / R);
    const b = Math.floor(p / R);
    let dc = 0;
    let dt = 0;
    if (a !== b) {
      dc = this.clashWith(s, b) - this.clashWith(s, a);
      if (track[s]! >= 0) dt = this.trackCount[b * tracks + track[s]!]! - (this.trackCount[a * tracks + track[s]!]! - 1);
    }
    return [dc, this.overflowAt(s, p) - this.overflowAt(s, from), dt];
  }

  /** Cost change of swapping the positions of s and o. */
  deltaSwap(s: number, o: number): Cost {
    const { R, tracks, track } = this.m;
    const ps = this.pos[s]!;
    const po = this.pos[o]!;
    const a = Math.floor(ps / R);
    const b = Math.floor(po / R);
    let dc = 0;
    let dt = 0;
    if (a !== b) {
      dc = this.clashWith(s, b, o) - this.clashWith(s, a) + this.clashWith(o, a, s) - this.clashWith(o, b);
      const ts = track[s]!;
      const to = track[o]!;
      if (ts !== to) {
        if (ts >= 0) dt += this.trackCount[b * tracks + ts]! - (this.trackCount[a * tracks + ts]! - 1);
        if (to >= 0) dt += this.trackCount[a * tracks + to]! - (this.trackCount[b * tracks + to]! - 1);
      }
    }
    const dov = this.overflowAt(s, po) + this.overflowAt(o, ps) - this.overflowAt(s, ps) - this.overflowAt(o, po);
    return [dc, dov, dt];
  }

  /** The fairness term: the spread of clashes per member between the best and worst-off groups, in people. */
  fairnessPenalty(): number {
    const { G, groupSize } = this.m;
    let max = 0;
    let min = Infinity;
    let people = 0;
    for (let g = 0; g < G; g++) {
      if (groupSize[g]! === 0) continue;
      const rate = this.groupClashes[g]! / groupSize[g]!;
      max = Math.max(max, rate);
      min = Math.min(min, rate);
      people += groupSize[g]!;
    }
    return min === Infinity ? 0 : Math.round((max - min) * people);
  }
}

function isMovable(m: Model, s: number): boolean {
  return m.pinned[s]! < 0;
}

/** Places pins, then every other session greedily, hardest first, at its cheapest free feasible position. */
function construct(m: Model, order: number[]): { state: State; unplaced: number[] } {
  const state = new State(m);
  for (let s = 0; s < m.S; s++) {
    const p = m.pinned[s]!;
    if (p >= 0 && state.occupant[p] === -1) state.place(s, p);
  }
  const unplaced: number[] = [];
  for (const s of order) {
    if (!isMovable(m, s)) continue;
    let best = -1;
    let bestCost: Cost | null = null;
    for (const p of m.options[s]!) {
      if (state.occupant[p] !== -1) continue;
      const t = Math.floor(p / m.R);
      if (!state.facilitatorsFree(s, t)) continue;
      const c: Cost = [
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
      const o = state.occupant[p]!;
      const t = Math.floor(p / m.R);
      if (o === -1) {
        if (state.facilitatorsFree(s, t)) {
          state.place(s, p);
          break;
        }
        continue;
      }
      if (!isMovable(m, o) || !state.facilitatorsFree(s, t, o)) continue;
      for (const q of m.options[o]!) {
        if (state.occupant[q] !== -1) continue;
        const u = Math.floor(q / m.R);
        state.remove(o);
        if (state.facilitatorsFree(o, u) && state.facilitatorsFree(s, t)) {
          state.place(o, q);
          state.place(s, p);
          break search;
        }
        state.place(o, p);
      }
    }
  }
}

/** Sessions by how hard they are to place: fewest options, then most wanted. */
function hardestFirst(m: Model): number[] {
  return Array.from({ length: m.S }, (_, s) => s).sort(
    (a, b) => m.options[a]!.length - m.options[b]!.length || m.interest[b]! - m.interest[a]! || a - b,
  );
}

function anneal(m: Model, state: State, options: Required<Pick<SolveOptions, "seed" | "fairness" | "timeLimitMs">> & { iterations: number }): { best: Int32Array; iterations: number } {
  const rnd = random(options.seed);
  const movable = Array.from({ length: m.S }, (_, s) => s).filter((s) => isMovable(m, s) && state.pos[s]! >= 0 && m.options[s]!.length > 1);
  // Each session's feasible positions grouped by slot, and the slots it can go to.
  const bySlot = m.options.map((opts) => {
    const groups: number[][] = Array.from({ length: m.T }, () => []);
    for (const p of opts) groups[Math.floor(p / m.R)]!.push(p);
    return groups;
  });
  const slotsOf = bySlot.map((groups) => groups.flatMap((g, t) => (g.length ? [t] : [])));
  const weights = new Float64Array(m.T);
  const primary = () => state.clashes + (options.fairness ? state.fairnessPenalty() : 0);
  let best = state.pos.slice();
  let bestCost: Cost = [primary(), state.overflow, state.sameTrack];
  if (movable.length === 0) return { best, iterations: 0 };
  // Start hot enough to accept a typical worsening, cool geometrically to nearly greedy.
  const t0 = Math.max(1, state.clashes / Math.max(1, m.S));
  const t1 = 0.05;
  const started = Date.now();
  let done = 0;
  for (let i = 0; i < options.iterations; i++) {
    if ((i & 1023) === 0 && Date.now() - started > options.timeLimitMs) break;
    done = i + 1;
    const temperature = t0 * Math.pow(t1 / t0, i / options.iterations);
    const s = movable[Math.floor(rnd() * movable.length)]!;
    const from = state.pos[s]!;
    const a = Math.floor(from / m.R);
    // Pick the target slot by how well s fits there (heat-bath sampling on its clash weight).
    const targets = slotsOf[s]!;
    const base = state.D[s * m.T + a]!;
    let total = 0;
    for (let j = 0; j < targets.length; j++) {
      const w = Math.exp(-Math.max(-50, (state.D[s * m.T + targets[j]!]! - base) / temperature));
      weights[j] = w;
      total += w;
    }
    let r = rnd() * total;
    let b = targets[targets.length - 1]!;
    for (let j = 0; j < targets.length; j++) {
      r -= weights[j]!;
      if (r <= 0) {
        b = targets[j]!;
        break;
      }
    }
    // The best way into slot b: a free feasible room, or a swap with one of its sessions.
    let moveTo = -1;
    let swapWith = -1;
    let delta: Cost | null = null;
    for (const p of bySlot[s]![b]!) {
      if (p === from) continue;
      const o = state.occupant[p]!;
      let d: Cost;
      if (o === -1) {
        if (a !== b && !state.facilitatorsFree(s, b)) continue;
        d = state.deltaMove(s, p);
      } else {
        if (!isMovable(m, o) || !m.options[o]!.includes(from)) continue;
        if (a !== b && (!state.facilitatorsFree(s, b, o) || !state.facilitatorsFree(o, a, s))) continue;
        d = state.deltaSwap(s, o);
      }
      if (!delta || less(d, delta)) {
        delta = d;
        moveTo = p;
        swapWith = o;
      }
    }
    if (!delta) continue;
    const p = moveTo;
    const o = swapWith;
    let fairnessBefore = 0;
    if (options.fairness) fairnessBefore = state.fairnessPenalty();
    const apply = () => {
      state.remove(s);
      if (o !== -1) state.remove(o);
      state.place(s, p);
      if (o !== -1) state.place(o, from);
    };
    const undo = () => {
      state.remove(s);
      if (o !== -1) state.remove(o);
      state.place(s, from);
      if (o !== -1) state.place(o, p);
    };
    if (options.fairness) {
      apply();
      delta = [delta[0] + state.fairnessPenalty() - fairnessBefore, delta[1], delta[2]];
      if (!accept(delta, temperature, rnd)) undo();
    } else {
      if (!accept(delta, temperature, rnd)) continue;
      apply();
    }
    const now: Cost = [primary(), state.overflow, state.sameTrack];
    if (less(now, bestCost)) {
      bestCost = now;
      best = state.pos.slice();
    }
  }
  return { best, iterations: done };
}

/** Lexicographic improvements always; a worse primary figure with the annealing probability. */
function accept(delta: Cost, temperature: number, rnd: () => number): boolean {
  if (delta[0] < 0) return true;
  if (delta[0] > 0) return rnd() < Math.exp(-delta[0] / temperature);
  if (delta[1] !== 0) return delta[1] < 0;
  return delta[2] <= 0;
}

/**
 * Exact search for small instances: every session in every feasible free position, pruning any
 * branch whose partial figures already reach the best complete schedule. Costs only grow as
 * sessions are added, so the pruning is safe. Interchangeable rooms are tried once per slot.
 */
function exact(m: Model, start: State, upper: Cost, nodeLimit: number): { pos: Int32Array | null; optimal: boolean } {
  const order = hardestFirst(m).filter((s) => isMovable(m, s) && start.pos[s]! >= 0);
  const state = new State(m);
  for (let s = 0; s < m.S; s++) if (!isMovable(m, s) && start.pos[s]! >= 0) state.place(s, start.pos[s]!);
  // Rooms with equal capacity and features are interchangeable.
  const roomClass = new Int32Array(m.R);
  const signatures = new Map<string, number>();
  for (let r = 0; r < m.R; r++) {
    const features = m.options.map((opts) => opts.some((p) => p % m.R === r)).join("");
    const sig = `${m.capacity[r]}|${features}`;
    if (!signatures.has(sig)) signatures.set(sig, signatures.size);
    roomClass[r] = signatures.get(sig)!;
  }
  let best: Int32Array | null = null;
  let bestCost = upper;
  let nodes = 0;
  let aborted = false;
  const slotsOf = m.options.map((opts) => [...new Set(Array.from(opts, (p) => Math.floor(p / m.R)))]);
  const minOverflow = Array.from({ length: m.S }, (_, s) => Math.min(Infinity, ...Array.from(m.options[s]!, (p) => Math.max(0, m.interest[s]! - m.capacity[p % m.R]!))));
  // What each session still to place must add at least: clashes with what sits in its best slot,
  // its smallest possible overflow, and same-track overlaps with its best slot. Every figure only
  // grows as sessions are added, so a branch whose figures plus these reach the best is cut.
  const remainingBound = (i: number): Cost => {
    let clashes = 0;
    let overflow = 0;
    let sameTrack = 0;
    for (let j = i; j < order.length; j++) {
      const u = order[j]!;
      let minClash = Infinity;
      let minTrack = Infinity;
      for (const t of slotsOf[u]!) {
        minClash = Math.min(minClash, state.D[u * m.T + t]!);
        minTrack = Math.min(minTrack, m.track[u]! >= 0 ? state.trackCount[t * m.tracks + m.track[u]!]! : 0);
      }
      clashes += minClash === Infinity ? 0 : minClash;
      sameTrack += minTrack === Infinity ? 0 : minTrack;
      overflow += minOverflow[u] === Infinity ? 0 : minOverflow[u]!;
    }
    return [clashes, overflow, sameTrack];
  };
  const visit = (i: number) => {
    if (aborted) return;
    if (++nodes > nodeLimit) {
      aborted = true;
      return;
    }
    const cost = state.cost();
    if (!less(cost, bestCost)) return;
    const bound = remainingBound(i);
    if (!less([cost[0] + bound[0], cost[1] + bound[1], cost[2] + bound[2]], bestCost)) return;
    if (i === order.length) {
      bestCost = cost;
      best = state.pos.slice();
      return;
    }
    const s = order[i]!;
    const tried = new Set<number>();
    // Cheapest slots first, so good schedules (and tight bounds) come early.
    const positions = Array.from(m.options[s]!).sort((x, y) => state.D[s * m.T + Math.floor(x / m.R)]! - state.D[s * m.T + Math.floor(y / m.R)]! || x - y);
    for (const p of positions) {
      if (state.occupant[p] !== -1) continue;
      const t = Math.floor(p / m.R);
      const sym = t * m.R + roomClass[p % m.R]!;
      if (tried.has(sym)) continue;
      if (!state.facilitatorsFree(s, t)) continue;
      tried.add(sym);
      state.place(s, p);
      visit(i + 1);
      state.remove(s);
      if (aborted) return;
    }
  };
  visit(0);
  return { pos: best, optimal: !aborted };
}

function report(instance: Instance, m: Model, pos: Int32Array, unplaced: number[], optimal: boolean, iterations: number): SolveReport {
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
  return {
    placements,
    unplaced: unplaced.map((s) => ({ session: m.sessionIds[s]!, reason: m.impossible[s] ?? "no free place without a hard conflict" })),
    score: evaluate(instance, placements).score,
    optimal,
    iterations,
  };
}

/** The greedy baseline of the benchmarks: sessions by interest, each to the free place with the fewest new clashes. */
export function greedy(instance: Instance): SolveReport {
  const m = compile(instance);
  const order = Array.from({ length: m.S }, (_, s) => s).sort((a, b) => m.interest[b]! - m.interest[a]! || a - b);
  const { state, unplaced } = construct(m, order);
  return report(instance, m, state.pos, unplaced, false, 0);
}

export function solve(instance: Instance, options: SolveOptions = {}): SolveReport {
  const fairness = options.fairness ?? false;
  const m = compile(instance, fairness);
  const { state, unplaced } = construct(m, hardestFirst(m));
  const movable = m.S - unplaced.length - Array.from(m.pinned).filter((p) => p >= 0).length;
  const iterations = options.iterations ?? Math.min(3_000_000, 20_000 + movable * 4_000);
  const annealed = anneal(m, state, { seed: options.seed ?? 1, fairness, timeLimitMs: options.timeLimitMs ?? 90_000, iterations });
  let pos = annealed.best;
  let optimal = false;
  if (!fairness && movable <= (options.exactUpTo ?? 19)) {
    const final = new State(m);
    for (let s = 0; s < m.S; s++) if (pos[s]! >= 0) final.place(s, pos[s]!);
    // Upper bound just above the annealed schedule, so the search proves it optimal or beats it.
    const upper: Cost = [final.clashes, final.overflow, final.sameTrack + 1];
    const result = exact(m, final, upper, options.exactNodeLimit ?? 3_000_000);
    if (result.pos) pos = result.pos;
    optimal = result.optimal;
  }
  return report(instance, m, pos, unplaced, optimal, annealed.iterations);
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
