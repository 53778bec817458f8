import { describe, expect, it } from "vitest";
import { evaluate } from "./conflicts";
import { generateInstance } from "./generate";
import { instanceSchema, parseInstance, type Instance, type InstanceInput, type Placement } from "./instance";
import { clashLowerBound, greedy, solve, type Progress } from "./solver";

const build = (input: InstanceInput): Instance => instanceSchema.parse(input);

/** Every complete assignment of sessions to distinct (slot, room) pairs, for a tiny instance. */
function bruteForceBest(instance: Instance): [number, number, number] {
  const positions = instance.slots.flatMap((slot) => instance.rooms.map((room) => ({ slot: slot.id, room: room.id })));
  let best: [number, number, number] = [Infinity, Infinity, Infinity];
  const chosen: Placement[] = [];
  const used = new Set<number>();
  const visit = (i: number) => {
    if (i === instance.sessions.length) {
      const e = evaluate(instance, chosen);
      if (e.hard.length) return;
      const c: [number, number, number] = [e.score.attendeeClashes, e.score.overflow, e.score.sameTrackOverlaps];
      if (c[0] < best[0] || (c[0] === best[0] && (c[1] < best[1] || (c[1] === best[1] && c[2] < best[2])))) best = c;
      return;
    }
    positions.forEach((p, k) => {
      if (used.has(k)) return;
      used.add(k);
      chosen.push({ session: instance.sessions[i]!.id, ...p });
      visit(i + 1);
      chosen.pop();
      used.delete(k);
    });
  };
  visit(0);
  return best;
}

describe("the scheduler", () => {
  it("never returns a hard violation, keeps every pin, and places every session it can, over many random instances", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const sessions = 5 + (seed * 7) % 40;
      const instance = generateInstance({ sessions, people: sessions * 3, slots: 4 + (seed % 5), rooms: Math.ceil(sessions / 3), seed, pinned: 0.15 });
      const result = solve(instance, { seed, iterations: 5_000, exactNodeLimit: 50_000 });
      const check = evaluate(instance, result.placements);
      expect(check.hard, `seed ${seed}`).toEqual([]);
      expect(result.score.hardViolations).toBe(0);
      for (const s of instance.sessions.filter((x) => x.pinned)) {
        expect(result.placements.find((p) => p.session === s.id), `pin of ${s.id}, seed ${seed}`).toEqual({ session: s.id, slot: s.pinned!.slot, room: s.pinned!.room });
      }
      expect(result.placements.length + result.unplaced.length).toBe(sessions);
      // With at least three places per session, only a session with no feasible place at all is left out.
      for (const u of result.unplaced) expect(u.reason, `seed ${seed}`).not.toBe("no free place without a hard conflict");
      expect(result.score.attendeeClashes).toBeGreaterThanOrEqual(clashLowerBound(instance));
    }
  });

  it("is deterministic for a seed", () => {
    const instance = generateInstance({ sessions: 40, people: 100, slots: 8, rooms: 6, seed: 3 });
    expect(solve(instance, { seed: 9, iterations: 20_000 })).toEqual(solve(instance, { seed: 9, iterations: 20_000 }));
  });

  it("finds the exact optimum of small instances, as a brute-force search confirms", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const instance = generateInstance({ sessions: 6, people: 30, slots: 3, rooms: 2, seed, marksPerPerson: 3 });
      for (const s of instance.sessions) s.needs = [];
      const result = solve(instance, { seed });
      expect(result.optimal).toBe(true);
      const best = bruteForceBest(instance);
      expect([result.score.attendeeClashes, result.score.overflow, result.score.sameTrackOverlaps], `seed ${seed}`).toEqual(best);
    }
  });

  it("separates sessions the same people want, fills big rooms with popular sessions, and spreads a track", () => {
    const instance = build({
      slots: [
        { id: "am", start: "2027-06-14T09:00:00Z", minutes: 90 },
        { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 90 },
      ],
      rooms: [
        { id: "hall", capacity: 100, features: ["step_free"] },
        { id: "small", capacity: 3, features: [] },
      ],
      sessions: [
        { id: "a", track: "x", minutes: 60, facilitators: ["f1"], needs: [], pinned: null },
        { id: "b", track: "x", minutes: 60, facilitators: ["f2"], needs: [], pinned: null },
        { id: "c", track: "y", minutes: 90, facilitators: ["f3"], needs: ["step_free"], pinned: null },
        { id: "d", track: "y", minutes: 60, facilitators: ["f1"], needs: [], pinned: null },
      ],
      people: [
        { id: "f1", group: "advocate", unavailable: [] },
        { id: "f2", group: "advocate", unavailable: [] },
        { id: "f3", group: "donor", unavailable: ["pm"] },
        ...Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, group: "sex_worker_or_community_member", unavailable: [] })),
      ],
      interest: Array.from({ length: 6 }, (_, i) => ({ person: `p${i}`, sessions: i < 5 ? ["a", "b"] : ["c", "d"] })),
    });
    const result = solve(instance, { seed: 1 });
    expect(result.optimal).toBe(true);
    // c needs the step-free hall and its facilitator is away in the afternoon: hall, morning.
    // a and b, wanted by the same five people, go to different slots; the morning hall is c's, so
    // one of them must take the small room (capacity 3 for 5 people: overflow 2, which is optimal).
    // a and d share a facilitator; the tracks end up spread.
    expect(result.score).toEqual({ attendeeClashes: 0, overflow: 2, sameTrackOverlaps: 0, hardViolations: 0 });
    const at = (id: string) => result.placements.find((p) => p.session === id)!;
    expect(at("c")).toEqual({ session: "c", slot: "am", room: "hall" });
    expect(at("a").slot).not.toBe(at("b").slot);
    expect(at("a").slot).not.toBe(at("d").slot);
    expect(at(at("a").slot === "pm" ? "a" : "b")).toMatchObject({ slot: "pm", room: "hall" });
  });

  it("leaves out only sessions that have no feasible place, saying why", () => {
    const instance = build({
      slots: [{ id: "s1", start: "2027-06-14T09:00:00Z", minutes: 60 }],
      rooms: [{ id: "r1", capacity: 10, features: [] }],
      sessions: [
        { id: "long", minutes: 90 },
        { id: "needs", minutes: 60, needs: ["captioning"] },
        { id: "away", minutes: 60, facilitators: ["f"] },
        { id: "ok", minutes: 60 },
      ],
      people: [{ id: "f", unavailable: ["s1"] }],
    });
    const result = solve(instance);
    expect(result.placements).toEqual([{ session: "ok", slot: "s1", room: "r1" }]);
    expect(result.unplaced).toEqual([
      { session: "long", reason: "longer (90 minutes) than every slot" },
      { session: "needs", reason: "no room has captioning" },
      { session: "away", reason: "facilitators are unavailable in every slot long enough" },
    ]);
  });

  it("does better than the greedy baseline on a mid-size instance", () => {
    const instance = generateInstance({ sessions: 60, people: 150, slots: 8, rooms: 9, seed: 11 });
    const base = greedy(instance);
    const ours = solve(instance, { seed: 1, iterations: 100_000 });
    expect(base.score.hardViolations).toBe(0);
    expect(ours.score.attendeeClashes).toBeLessThan(base.score.attendeeClashes);
  });

  it("with the fairness option narrows the gap in clashes between constituencies", () => {
    const instance = generateInstance({ sessions: 40, people: 120, slots: 6, rooms: 8, seed: 5, marksPerPerson: 9 });
    const rate = (by: Record<string, number>) => {
      const sizes: Record<string, number> = {};
      for (const p of instance.people) sizes[p.group ?? "unknown"] = (sizes[p.group ?? "unknown"] ?? 0) + 1;
      const rates = Object.keys(sizes).map((g) => (by[g] ?? 0) / sizes[g]!);
      return Math.max(...rates) - Math.min(...rates);
    };
    const plain = solve(instance, { seed: 2, iterations: 60_000 });
    const fair = solve(instance, { seed: 2, iterations: 60_000, fairness: true });
    expect(evaluate(instance, fair.placements).hard).toEqual([]);
    expect(rate(evaluate(instance, fair.placements).clashesByGroup)).toBeLessThanOrEqual(rate(evaluate(instance, plain.placements).clashesByGroup));
  });

  it("with fairness, shares clashes between constituencies: the gap between best and worst off falls from 2/3 to 1/4 per member", () => {
    // Two slots of two rooms for four sessions: the slots hold {A,B}+{C,D}, {A,C}+{B,D} or {A,D}+{B,C}.
    // Two of three community members want A and B; of twelve donors, three want A and C, three A and D.
    // The fewest clashes (2) put A with B, so community members alone lose: 2 clashes for 3 members.
    // Fairly, A goes with C or D: 3 clashes, all donors', 3 for 12 members.
    const community = Array.from({ length: 3 }, (_, i) => ({ id: `c${i}`, group: "sex_worker_or_community_member" }));
    const donors = Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, group: "donor" }));
    const instance = build({
      slots: [
        { id: "am", start: "2027-06-14T09:00:00Z", minutes: 90 },
        { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 90 },
      ],
      rooms: [
        { id: "r1", capacity: 50 },
        { id: "r2", capacity: 50 },
      ],
      sessions: ["A", "B", "C", "D"].map((id) => ({ id, minutes: 60 })),
      people: [...community, ...donors],
      interest: [
        { person: "c0", sessions: ["A", "B"] },
        { person: "c1", sessions: ["A", "B"] },
        ...donors.slice(0, 3).map((d) => ({ person: d.id, sessions: ["A", "C"] })),
        ...donors.slice(3, 6).map((d) => ({ person: d.id, sessions: ["A", "D"] })),
      ],
    });
    const gap = (placements: Placement[]) => {
      const by = evaluate(instance, placements).clashesByGroup;
      const rates = [(by.sex_worker_or_community_member ?? 0) / 3, (by.donor ?? 0) / 12];
      return Math.max(...rates) - Math.min(...rates);
    };
    const plain = solve(instance, { seed: 1 });
    const fair = solve(instance, { seed: 1, fairness: true });
    expect(plain.score.attendeeClashes).toBe(2);
    expect(gap(plain.placements)).toBeCloseTo(2 / 3, 10);
    expect(fair.score.attendeeClashes).toBe(3);
    expect(gap(fair.placements)).toBeCloseTo(1 / 4, 10);
  });

  describe("re-solving a published agenda", () => {
    const slots = [
      { id: "a", start: "2027-06-14T09:00:00Z", minutes: 90 },
      { id: "b", start: "2027-06-14T11:00:00Z", minutes: 90 },
      { id: "c", start: "2027-06-14T14:00:00Z", minutes: 90 },
    ];
    // Room r3 has gone since publication: s4, published there, must move; nothing else must.
    const published = build({
      slots,
      rooms: [
        { id: "r1", capacity: 50 },
        { id: "r2", capacity: 50 },
      ],
      sessions: [
        { id: "s1", minutes: 60, published: { slot: "a", room: "r1" } },
        { id: "s2", minutes: 60, published: { slot: "a", room: "r2" } },
        { id: "s3", minutes: 60, published: { slot: "b", room: "r1" } },
        { id: "s4", minutes: 60, published: { slot: "b", room: "r3" } },
        { id: "s5", minutes: 60, published: { slot: "c", room: "r1" } },
      ],
      people: Array.from({ length: 8 }, (_, i) => ({ id: `p${i}` })),
      // s1 and s2 clash for four people, s3 and s4 for four others.
      interest: Array.from({ length: 8 }, (_, i) => ({ person: `p${i}`, sessions: i < 4 ? ["s1", "s2"] : ["s3", "s4"] })),
    });

    it("moves only the session that must move, to its best free place, and lists the move", () => {
      const result = solve(published, { seed: 1 });
      expect(result.moves).toEqual([{ session: "s4", from: { slot: "b", room: "r3" }, to: { slot: "c", room: "r2" } }]);
      expect(result.placements).toEqual([
        { session: "s1", slot: "a", room: "r1" },
        { session: "s2", slot: "a", room: "r2" },
        { session: "s3", slot: "b", room: "r1" },
        { session: "s5", slot: "c", room: "r1" },
        { session: "s4", slot: "c", room: "r2" },
      ]);
      // s1 and s2 still clash for four people: keeping the published agenda comes first.
      expect(result.score).toEqual({ attendeeClashes: 4, overflow: 0, sameTrackOverlaps: 0, hardViolations: 0 });
      expect(result.optimal).toBe(true);
    });

    it("with keep off, makes a fresh schedule and still lists what moved", () => {
      const result = solve(published, { seed: 1, keep: false });
      expect(result.score.attendeeClashes).toBe(0);
      expect(result.moves.length).toBeGreaterThan(1);
      expect(result.moves.map((m) => m.session)).toContain("s4");
    });

    it("never moves a pinned session, even when keeping is off", () => {
      const pinnedToo = build({ ...published, sessions: published.sessions.map((s) => (s.id === "s2" ? { ...s, pinned: { slot: "a", room: "r2" } } : s)) });
      const result = solve(pinnedToo, { seed: 1, keep: false });
      expect(result.placements).toContainEqual({ session: "s2", slot: "a", room: "r2" });
      expect(result.moves.map((m) => m.session)).not.toContain("s2");
    });
  });

  describe("format rules", () => {
    const slots = [
      { id: "a", start: "2027-06-14T09:00:00Z", minutes: 90 },
      { id: "b", start: "2027-06-14T11:00:00Z", minutes: 90 },
      { id: "c", start: "2027-06-14T14:00:00Z", minutes: 90 },
    ];
    const rooms = [
      { id: "small", capacity: 20, features: ["interpretation"] },
      { id: "mid", capacity: 60, features: ["interpretation"] },
      { id: "hall", capacity: 300, features: [] },
    ];
    const people = Array.from({ length: 30 }, (_, i) => ({ id: `p${i}` }));

    it("runs a plenary alone in its slot, in the largest room it fits, and a session marked alone alone in its slot", () => {
      const instance = build({
        slots,
        rooms,
        sessions: [
          { id: "plenary", minutes: 60, plenary: true },
          { id: "caucus", minutes: 60, alone: true },
          { id: "x", minutes: 60 },
          { id: "y", minutes: 60 },
          { id: "z", minutes: 60 },
        ],
        people,
        // Everyone wants everything: without the rules the solver would spread them over every slot and room.
        interest: people.map((p) => ({ person: p.id, sessions: ["plenary", "caucus", "x", "y", "z"] })),
      });
      const result = solve(instance, { seed: 1 });
      expect(evaluate(instance, result.placements).hard).toEqual([]);
      const at = (id: string) => result.placements.find((p) => p.session === id)!;
      const inSlot = (slot: string) => result.placements.filter((p) => p.slot === slot).map((p) => p.session);
      expect(at("plenary").room).toBe("hall");
      expect(inSlot(String(at("plenary").slot))).toEqual(["plenary"]);
      expect(inSlot(String(at("caucus").slot))).toEqual(["caucus"]);
      expect(result.placements).toHaveLength(5);
      // x, y, z share the remaining slot: three sessions wanted by all 30 people clash 3 pairs × 30.
      expect(result.score.attendeeClashes).toBe(90);
      expect(result.optimal).toBe(true);
    });

    it("puts a plenary that needs interpretation in the largest room that has it", () => {
      const instance = build({ slots, rooms, sessions: [{ id: "plenary", minutes: 60, plenary: true, needs: ["interpretation"] }, { id: "x", minutes: 60 }], people, interest: [] });
      const result = solve(instance, { seed: 1 });
      expect(result.placements.find((p) => p.session === "plenary")!.room).toBe("mid");
      expect(result.placements.filter((p) => p.slot === result.placements.find((q) => q.session === "plenary")!.slot)).toHaveLength(1);
    });

    it("leaves out a session marked alone when every slot already has a pinned session, saying why", () => {
      const instance = build({
        slots: slots.slice(0, 1),
        rooms,
        sessions: [
          { id: "pin", minutes: 60, pinned: { slot: "a", room: "small" } },
          { id: "caucus", minutes: 60, alone: true },
        ],
      });
      const result = solve(instance, { seed: 1 });
      expect(result.placements).toEqual([{ session: "pin", slot: "a", room: "small" }]);
      expect(result.unplaced).toEqual([{ session: "caucus", reason: "no free place without a hard conflict" }]);
    });
  });

  describe("running under a caller's control", () => {
    const instance = generateInstance({ sessions: 120, people: 300, slots: 12, rooms: 12, seed: 4 });

    it("stops when asked and returns the best schedule found so far, keeping every hard rule", () => {
      let asked = 0;
      // Stopped at once, the solver returns its construction; given three rounds, something at least as good.
      const constructed = solve(instance, { seed: 1, shouldStop: () => true });
      expect(constructed).toMatchObject({ stopped: true, iterations: 0 });
      const result = solve(instance, { seed: 1, shouldStop: () => ++asked > 3 });
      expect(result.stopped).toBe(true);
      expect(result.iterations).toBe(3 * 4096);
      expect(evaluate(instance, result.placements).hard).toEqual([]);
      expect(result.placements.length + result.unplaced.length).toBe(120);
      expect(result.score.attendeeClashes).toBeLessThanOrEqual(constructed.score.attendeeClashes);
    });

    it("reports progress with the best figures so far, the last report being the result's", () => {
      const reports: Progress[] = [];
      const result = solve(instance, { seed: 1, iterations: 2_000_000, timeLimitMs: 60_000, onProgress: (p) => reports.push(p) });
      expect(reports.length).toBeGreaterThanOrEqual(2);
      for (const r of reports) {
        expect(r.timeLimitMs).toBe(60_000);
        expect(Object.keys(r.best).sort()).toEqual(["attendeeClashes", "hardViolations", "moves", "overflow", "sameTrackOverlaps"]);
      }
      expect(reports.map((r) => r.elapsedMs)).toEqual([...reports.map((r) => r.elapsedMs)].sort((a, b) => a - b));
      expect(reports.at(-1)!.best).toEqual({ ...result.score, moves: 0 });
      expect(result.stopped).toBe(false);
    });
  });

  it("explains a bad instance file by the field that is wrong", () => {
    expect(parseInstance("{not json")).toEqual({ ok: false, error: expect.stringMatching(/^not valid JSON: /) });
    expect(parseInstance(JSON.stringify({ slots: [{ id: "a", start: "soon", minutes: 60 }], rooms: [], sessions: [] }))).toEqual({
      ok: false,
      error: "slots.0.start: must be a date and time like 2027-06-14T09:00:00Z",
    });
    expect(
      parseInstance(
        JSON.stringify({
          slots: [
            { id: "a", start: "2027-06-14T09:00:00Z", minutes: 90 },
            { id: "b", start: "2027-06-14T10:00:00Z", minutes: 60 },
          ],
          rooms: [{ id: "r", capacity: 5 }],
          sessions: [{ id: "x", minutes: 60, pinned: { slot: "zz", room: "r" } }],
        }),
      ),
    ).toEqual({ ok: false, error: "slots.1.start: slot b overlaps slot a\nsessions.0.pinned.slot: unknown slot zz" });
    expect(parseInstance(JSON.stringify({ slots: [], rooms: [], sessions: [{ id: "x" }] }))).toEqual({
      ok: false,
      error: "sessions.0.minutes: Invalid input: expected number, received undefined",
    });
  });
});
