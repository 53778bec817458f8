import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { openDatabase } from "../../platform/db.server";
import { agenda, convening, participant, proposal, unique, type TestPerson } from "../../../tests/factories";
import type { SessionNeed } from "../../../db/schema";
import { setInterest } from "../proposals/sessions.server";
import { AgendaError } from "./errors";
import { listPlacements } from "./placements.server";
import { setUnavailability } from "./setup.server";
import { ABANDONED_AFTER_MS, acceptSuggestion, discardSuggestion, failAbandoned, getSuggestion, startSuggestion, startSuggestionRunner, stopSuggestion, suggestNow, type SuggestionRunner } from "./suggestions.server";

const NOW = new Date("2027-02-01T12:00:00Z");
const POLL = { timeout: 30_000, interval: 50 };

describe.each(DATABASE_KINDS)("suggestions on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  let ids: Record<string, number>;
  let people: Record<string, TestPerson>;
  let runner: SuggestionRunner | undefined;

  const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof AgendaError ? `${e.status} ${e.code}${e.detail ? ` ${e.detail}` : ""}` : String(e)));
  const session = async (title: string, proposerId: number, needs: SessionNeed[] = []) => (ids[title] = (await proposal(t.db, { conveningId, proposerId, status: "accepted", now: NOW, answers: { title, needs } })).id);
  const statusOf = async (id: number) => (await getSuggestion(t.db, conveningId, id))?.status;
  const audit = () => t.db.selectFrom("audit_log").select(["action", "details"]).where("convening_id", "=", conveningId).where("action", "like", "agenda.suggestion%").orderBy("id").execute();
  const placed = async () => (await listPlacements(t.db, conveningId)).map((p) => ({ proposal: p.proposal_id, slot: p.slot_id, room: p.room_id })).sort((a, b) => a.proposal - b.proposal);

  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  // Hall (50, projector) and Small (10), a morning and an afternoon slot. Ana facilitates Alpha and
  // Gamma, Ben facilitates Beta (which needs the projector); Viewer wants Alpha and Gamma. Version
  // 1 is published with Alpha in the morning in the Hall, Beta and Gamma in the afternoon.
  beforeEach(async () => {
    ids = {};
    people = {};
    ({ id: conveningId, organizerId } = await convening(t.db, { slug: `s-${kind}-${unique()}`, title: "Suggestion Meeting", startsOn: "2027-06-14", endsOn: "2027-06-15", registration: {}, cfp: {} }));
    for (const name of ["Ana", "Ben", "Viewer"]) people[name] = await participant(t.db, conveningId, { name });
    await session("Alpha", people.Ana!.id);
    await session("Beta", people.Ben!.id, ["projector"]);
    await session("Gamma", people.Ana!.id);
    await setInterest(t.db, { conveningId, personId: people.Viewer!.id, proposalId: ids.Alpha!, interested: true });
    await setInterest(t.db, { conveningId, personId: people.Viewer!.id, proposalId: ids.Gamma!, interested: true });
    const made = await agenda(t.db, {
      conveningId,
      organizerId,
      rooms: [{ name: "Hall", capacity: 50, features: ["projector"] }, { name: "Small", capacity: 10 }],
      slots: [{ date: "2027-06-14", time: "09:00", minutes: 90 }, { date: "2027-06-14", time: "14:00", minutes: 90 }],
      placements: [
        { proposalId: ids.Alpha!, slot: 0, room: 0 },
        { proposalId: ids.Beta!, slot: 1, room: 0 },
        { proposalId: ids.Gamma!, slot: 1, room: 1 },
      ],
      publish: { now: NOW },
    });
    Object.assign(ids, { hall: made.rooms[0], small: made.rooms[1], am: made.slots[0], pm: made.slots[1] });
  });

  it("queues one suggestion per convening, solves it in a worker thread, and lists the moves it makes against the published version", async () => {
    // Ben can no longer come in the afternoon: Beta must move to the morning, into the Hall (the projector), so Alpha leaves the Hall.
    await setUnavailability(t.db, { conveningId, personId: people.Ben!.id, slotIds: [ids.pm!] });
    const { id } = await startSuggestion(t.db, { conveningId, organizerId, keep: true, fairness: false, now: NOW });
    expect(await statusOf(id)).toBe("queued");
    expect(await reject(startSuggestion(t.db, { conveningId, organizerId, keep: false, fairness: false }))).toBe(`409 suggestion_running ${id}`);
    // The database refuses a second active job too, whatever the code checks first.
    await expect(t.db.insertInto("suggestion_jobs").values({ convening_id: conveningId, status: "queued", time_limit_ms: 1000, created_at: NOW.toISOString() }).execute()).rejects.toThrow();

    runner = startSuggestionRunner(t.db, { pollMs: 200 });
    await expect.poll(() => statusOf(id), POLL).toBe("done");
    const job = (await getSuggestion(t.db, conveningId, id))!;
    // All three share a track: two of them always overlap. Now Beta breaks Ben's unavailability.
    expect(job.currentScore).toEqual({ attendeeClashes: 0, overflow: 0, sameTrackOverlaps: 1, hardViolations: 1 });
    expect(job.result!.score).toEqual({ attendeeClashes: 0, overflow: 0, sameTrackOverlaps: 1, hardViolations: 0 });
    expect(job.result!.basis).toBe("published");
    expect(job.result!.moves).toEqual([
      { proposalId: ids.Alpha, from: { slotId: ids.am, roomId: ids.hall }, to: { slotId: ids.am, roomId: ids.small } },
      { proposalId: ids.Beta, from: { slotId: ids.pm, roomId: ids.hall }, to: { slotId: ids.am, roomId: ids.hall } },
    ]);
    expect(job.progress).toMatchObject({ timeLimitMs: 20_000, best: job.result!.score });
    // Only what must move moves: Gamma keeps its published place.

    const placedBefore = await placed();
    await acceptSuggestion(t.db, { conveningId, organizerId, jobId: id });
    expect(await placed()).toEqual([
      { proposal: ids.Alpha, slot: ids.am, room: ids.small },
      { proposal: ids.Beta, slot: ids.am, room: ids.hall },
      { proposal: ids.Gamma, slot: ids.pm, room: ids.small },
    ]);
    expect(placedBefore).not.toEqual(await placed());
    expect(await statusOf(id)).toBe("accepted");
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: id }))).toBe("409 stale_suggestion");
    expect(await audit()).toEqual([
      { action: "agenda.suggestion_started", details: JSON.stringify({ job: id, keep: true, fairness: false }) },
      { action: "agenda.suggestion_accepted", details: JSON.stringify({ job: id, placements: 3, moves: 2 }) },
    ]);
  });

  it("refuses to accept a suggestion that breaks a rule as things are now, or one the agenda changed under, and discards one", async () => {
    const first = await suggestNow(t.db, { conveningId, organizerId, keep: true, fairness: false, now: NOW });
    expect(first.status).toBe("done");
    expect(first.result!.moves).toEqual([]);
    // Ana cannot come in the morning any more, where the suggestion keeps Alpha.
    await setUnavailability(t.db, { conveningId, personId: people.Ana!.id, slotIds: [ids.am!] });
    const before = await placed();
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: first.id }))).toBe("409 suggestion_breaks_rules");
    expect(await placed()).toEqual(before);
    await discardSuggestion(t.db, { conveningId, organizerId, jobId: first.id });
    expect(await statusOf(first.id)).toBe("discarded");
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: first.id }))).toBe("409 stale_suggestion");

    // A suggestion still running when the organizer moves a session by hand may not be accepted.
    const { id } = await startSuggestion(t.db, { conveningId, organizerId, keep: false, fairness: false });
    await t.db.updateTable("suggestion_jobs").set({ status: "running", heartbeat_at: new Date().toISOString() }).where("id", "=", id).execute();
    const { placeSession } = await import("./placements.server");
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Gamma!, slotId: ids.pm!, roomId: ids.small! });
    expect((await getSuggestion(t.db, conveningId, id))!.stale).toBe(true);
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: id }))).toBe("409 stale_suggestion");
    expect(await reject(discardSuggestion(t.db, { conveningId, organizerId, jobId: id }))).toBe("409 suggestion_not_ready");
  });

  it("stops a queued suggestion at once, and fails a running one whose process stopped writing", async () => {
    const { id } = await startSuggestion(t.db, { conveningId, organizerId, keep: true, fairness: true });
    await stopSuggestion(t.db, { conveningId, organizerId, jobId: id });
    expect(await statusOf(id)).toBe("stopped");
    // Stopping it again changes nothing and writes nothing.
    await stopSuggestion(t.db, { conveningId, organizerId, jobId: id });
    expect((await audit()).map((a) => a.action)).toEqual(["agenda.suggestion_started", "agenda.suggestion_stopped"]);
    expect(await reject(stopSuggestion(t.db, { conveningId, organizerId: organizerId, jobId: 999_999 }))).toBe("404 not_found");

    const other = await startSuggestion(t.db, { conveningId, organizerId, keep: true, fairness: false });
    const beat = new Date(Date.now() - ABANDONED_AFTER_MS - 1000);
    await t.db.updateTable("suggestion_jobs").set({ status: "running", heartbeat_at: beat.toISOString(), claimed_by: "a process that died" }).where("id", "=", other.id).execute();
    expect(await failAbandoned(t.db, new Date(beat.getTime() + ABANDONED_AFTER_MS - 1))).toBe(0);
    expect(await failAbandoned(t.db, new Date())).toBe(1);
    const failed = (await getSuggestion(t.db, conveningId, other.id))!;
    expect([failed.status, failed.error]).toEqual(["failed", "interrupted"]);
    // Once it has failed, another may start.
    expect((await startSuggestion(t.db, { conveningId, organizerId, keep: true, fairness: false })).id).toBeGreaterThan(other.id);
  });

  it("lets two processes' runners share the queue: every job is claimed by one of them and finishes", async () => {
    const others = [];
    for (let i = 0; i < 3; i++) others.push((await convening(t.db, { slug: `q-${kind}-${unique()}`, title: "Queue Meeting", organizerId })).id);
    const jobs = [{ conveningId, id: (await startSuggestion(t.db, { conveningId, organizerId, keep: true, fairness: false })).id }];
    for (const id of others) jobs.push({ conveningId: id, id: (await startSuggestion(t.db, { conveningId: id, organizerId, keep: false, fairness: false })).id });
    // A second process: its own connections to the same database.
    const second = openDatabase(t.url, { poolSize: 3 });
    const runners = [startSuggestionRunner(t.db, { pollMs: 100 }), startSuggestionRunner(second, { pollMs: 100 })];
    try {
      for (const job of jobs) await expect.poll(async () => (await getSuggestion(t.db, job.conveningId, job.id))?.status, POLL).toBe("done");
      const rows = await t.db.selectFrom("suggestion_jobs").select(["claimed_by", "error"]).where("id", "in", jobs.map((j) => j.id)).execute();
      expect(rows.map((r) => r.error)).toEqual([null, null, null, null]);
      expect(new Set(rows.map((r) => r.claimed_by)).size).toBeLessThanOrEqual(2);
      expect(rows.every((r) => typeof r.claimed_by === "string")).toBe(true);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await second.destroy();
    }
  });
});
