// "Suggest" as a job off the request path. An organizer starts a suggestion (keep the published
// agenda, or a fresh schedule; fairness); a runner in each server process claims queued jobs and
// solves them in a worker thread, writing progress and the result to the job's row; the organizer
// stops it early (the best so far is kept), sees the moves it makes against the published
// version, and accepts it (checked against the placement rules, in one transaction) or discards
// it. See docs/decisions/015-suggestions-off-the-request-path.md.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import type { SuggestionJobsTable, SuggestionStatus } from "../../../db/schema";
import type { Selectable } from "kysely";
import { writeAudit } from "../../platform/audit.server";
import { inTransaction, kindOf, onCommit, type DB, type Executor } from "../../platform/db.server";
import { evaluate } from "./conflicts";
import { AgendaError } from "./errors";
import type { Instance, Score } from "./instance";
import { buildInstance, currentPlacements, listPlacements } from "./placements.server";
import type { SolverProgress, WorkerInput, WorkerMessage, WorkerResult } from "./solve-messages";
import { solve } from "./solver";

export type { SolverProgress } from "./solve-messages";

/** How long a suggestion searches unless stopped. */
export const SUGGESTION_TIME_LIMIT_MS = 20_000;
/** How often a running job writes its progress and heartbeat, and reads whether to stop. */
export const HEARTBEAT_MS = 1_000;
/** A running job whose process has not written for this long is taken as interrupted. */
export const ABANDONED_AFTER_MS = 10_000;
/** The error of a job whose server stopped or died while it ran. */
export const INTERRUPTED = "interrupted";

const ACTIVE: SuggestionStatus[] = ["queued", "running"];
/** Finished with a schedule that may be accepted. */
const READY: SuggestionStatus[] = ["done", "stopped"];

export interface Place {
  slotId: number;
  roomId: number;
}

/** A session's change: from null is newly placed; to null is taken off the agenda. */
export interface Move {
  proposalId: number;
  from: Place | null;
  to: Place | null;
}

export interface SuggestionResult {
  placements: Array<{ proposalId: number } & Place>;
  unplaced: Array<{ proposalId: number; reason: string }>;
  score: Score;
  /** what the moves are counted against: the latest published version, or (none yet) the working agenda */
  basis: "published" | "working";
  moves: Move[];
  iterations: number;
}

export interface Suggestion {
  id: number;
  conveningId: number;
  status: SuggestionStatus;
  keep: boolean;
  fairness: boolean;
  timeLimitMs: number;
  stopRequested: boolean;
  /** the working agenda changed after the job started: it may not be accepted */
  stale: boolean;
  progress: SolverProgress | null;
  /** the working agenda's figures when the job started */
  currentScore: Score | null;
  result: SuggestionResult | null;
  error: string | null;
  startedBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

type JobRow = Selectable<SuggestionJobsTable>;

function parseJob(row: JobRow): Suggestion {
  return {
    id: row.id,
    conveningId: row.convening_id,
    status: row.status,
    keep: row.keep_published === 1,
    fairness: row.fairness === 1,
    timeLimitMs: row.time_limit_ms,
    stopRequested: row.stop_requested === 1,
    stale: row.stale === 1,
    progress: row.progress ? (JSON.parse(row.progress) as SolverProgress) : null,
    currentScore: row.current_score ? (JSON.parse(row.current_score) as Score) : null,
    result: row.result ? (JSON.parse(row.result) as SuggestionResult) : null,
    error: row.error,
    startedBy: row.started_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function getSuggestion(db: Executor, conveningId: number, id: number): Promise<Suggestion | null> {
  const row = await db.selectFrom("suggestion_jobs").selectAll().where("id", "=", id).where("convening_id", "=", conveningId).executeTakeFirst();
  return row ? parseJob(row) : null;
}

/** The convening's latest suggestion, whatever its state, or null when none was ever asked for. */
export async function latestSuggestion(db: Executor, conveningId: number): Promise<Suggestion | null> {
  const row = await db.selectFrom("suggestion_jobs").selectAll().where("convening_id", "=", conveningId).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row ? parseJob(row) : null;
}

/** The suggestion queued or running for the convening (at most one: the database says so). */
export async function activeSuggestion(db: Executor, conveningId: number): Promise<Suggestion | null> {
  const row = await db.selectFrom("suggestion_jobs").selectAll().where("convening_id", "=", conveningId).where("status", "in", ACTIVE).executeTakeFirst();
  return row ? parseJob(row) : null;
}

/** Where each session stands in the latest published version (sessions only; cancelled ones are not there). */
export async function publishedPlaces(db: Executor, conveningId: number): Promise<Map<number, Place> | null> {
  const version = await db.selectFrom("agenda_versions").select("id").where("convening_id", "=", conveningId).orderBy("number", "desc").limit(1).executeTakeFirst();
  if (!version) return null;
  const entries = await db
    .selectFrom("agenda_entries")
    .select(["proposal_id", "slot_id", "room_id"])
    .where("version_id", "=", version.id)
    .where("status", "=", "confirmed")
    .where("proposal_id", "is not", null)
    .execute();
  const places = new Map<number, Place>();
  for (const e of entries) if (e.slot_id !== null && e.room_id !== null) places.set(e.proposal_id!, { slotId: e.slot_id, roomId: e.room_id });
  return places;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "23505";
}

/** Wakes this process's runner when a job is queued here, so it starts at once rather than at the next poll. */
const wakers = new Set<() => void>();

/**
 * Queues a suggestion for the convening. Refused (409, with the running job's id as detail) while
 * another is queued or running; the partial unique index decides a race between two starts.
 */
export async function startSuggestion(
  db: Executor,
  input: { conveningId: number; organizerId: number; keep: boolean; fairness: boolean; timeLimitMs?: number; now?: Date },
): Promise<{ id: number }> {
  const running = (active: Suggestion | null) => new AgendaError("suggestion_running", 409, active ? String(active.id) : null);
  try {
    return await inTransaction(db, async (trx) => {
      const active = await activeSuggestion(trx, input.conveningId);
      if (active) throw running(active);
      const { id } = await trx
        .insertInto("suggestion_jobs")
        .values({
          convening_id: input.conveningId,
          status: "queued",
          keep_published: input.keep ? 1 : 0,
          fairness: input.fairness ? 1 : 0,
          time_limit_ms: input.timeLimitMs ?? SUGGESTION_TIME_LIMIT_MS,
          started_by: input.organizerId,
          created_at: (input.now ?? new Date()).toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, { actorId: input.organizerId, action: "agenda.suggestion_started", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { job: id, keep: input.keep, fairness: input.fairness } });
      onCommit(trx, () => wakers.forEach((wake) => wake()));
      return { id };
    });
  } catch (error) {
    // Another start won the race between the check and the insert.
    if (isUniqueViolation(error)) throw running(await activeSuggestion(db, input.conveningId));
    throw error;
  }
}

/** Asks a running suggestion to stop and keep its best schedule so far; a queued one stops at once. Stopping a finished one changes nothing. */
export async function stopSuggestion(db: Executor, input: { conveningId: number; organizerId: number; jobId: number; now?: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const job = await getSuggestion(trx, input.conveningId, input.jobId);
    if (!job) throw new AgendaError("not_found", 404);
    if (!ACTIVE.includes(job.status) || job.stopRequested) return;
    const update = trx.updateTable("suggestion_jobs").where("id", "=", job.id).where("status", "=", job.status);
    const changed =
      job.status === "queued"
        ? await update.set({ status: "stopped", stop_requested: 1, finished_at: (input.now ?? new Date()).toISOString() }).executeTakeFirst()
        : await update.set({ stop_requested: 1 }).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.suggestion_stopped", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { job: job.id } });
  });
}

/**
 * Makes the suggestion the working agenda: every unpinned placement is replaced by the
 * suggestion's, pins stay. Refused when the suggestion is not finished, the agenda changed
 * since it started, or it would break a hard rule on today's rooms, slots and fixed items.
 */
export async function acceptSuggestion(db: Executor, input: { conveningId: number; organizerId: number; jobId: number }): Promise<{ placements: number; moves: number }> {
  return inTransaction(db, async (trx) => {
    const job = await getSuggestion(trx, input.conveningId, input.jobId);
    if (!job) throw new AgendaError("not_found", 404);
    if (job.status === "accepted" || job.status === "discarded" || job.stale) throw new AgendaError("stale_suggestion", 409);
    if (!READY.includes(job.status) || !job.result) throw new AgendaError("suggestion_not_ready", 409);
    const instance = await buildInstance(trx, input.conveningId);
    const working = await listPlacements(trx, input.conveningId);
    const pinned = working.filter((p) => p.pinned);
    const pinnedIds = new Set(pinned.map((p) => p.proposal_id));
    const sessions = new Set(instance.sessions.map((s) => s.id));
    const slots = new Set(instance.slots.map((s) => s.id));
    const rooms = new Set(instance.rooms.map((r) => r.id));
    const rows = job.result.placements.filter((p) => sessions.has(p.proposalId) && !pinnedIds.has(p.proposalId) && slots.has(p.slotId) && rooms.has(p.roomId));
    const next = [...pinned, ...rows.map((p) => ({ proposal_id: p.proposalId, slot_id: p.slotId, room_id: p.roomId }))];
    const placed = new Set(rows.map((p) => p.proposalId));
    const breaks = evaluate(instance, currentPlacements(instance, next)).hard.some((h) => ("sessions" in h ? h.sessions : [h.session]).some((s) => typeof s === "number" && placed.has(s)));
    if (breaks) throw new AgendaError("suggestion_breaks_rules", 409);
    await trx.deleteFrom("placements").where("convening_id", "=", input.conveningId).where("pinned", "=", 0).execute();
    if (rows.length) {
      await trx.insertInto("placements").values(rows.map((p) => ({ convening_id: input.conveningId, proposal_id: p.proposalId, slot_id: p.slotId, room_id: p.roomId, pinned: 0 }))).execute();
    }
    await trx.updateTable("suggestion_jobs").set({ status: "accepted" }).where("id", "=", job.id).execute();
    // An older finished suggestion was made for the agenda this one replaced.
    await trx.updateTable("suggestion_jobs").set({ status: "discarded" }).where("convening_id", "=", input.conveningId).where("status", "in", READY).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.suggestion_accepted", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { job: job.id, placements: rows.length, moves: job.result.moves.length } });
    return { placements: rows.length, moves: job.result.moves.length };
  });
}

/** Drops a finished suggestion; the working agenda stays as it is. */
export async function discardSuggestion(db: Executor, input: { conveningId: number; organizerId: number; jobId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const job = await getSuggestion(trx, input.conveningId, input.jobId);
    if (!job) throw new AgendaError("not_found", 404);
    if (job.status === "discarded") return;
    if (job.status === "accepted") throw new AgendaError("stale_suggestion", 409);
    if (ACTIVE.includes(job.status)) throw new AgendaError("suggestion_not_ready", 409);
    await trx.updateTable("suggestion_jobs").set({ status: "discarded" }).where("id", "=", job.id).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.suggestion_discarded", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { job: job.id } });
  });
}

/** The solver's answer in the database's terms, with the moves against the basis. */
function toResult(instance: Instance, solved: WorkerResult, basis: Map<number, Place>, basisKind: SuggestionResult["basis"]): SuggestionResult {
  const placements = solved.placements.filter((p) => typeof p.session === "number").map((p) => ({ proposalId: p.session as number, slotId: p.slot as number, roomId: p.room as number }));
  const to = new Map(placements.map((p) => [p.proposalId, { slotId: p.slotId, roomId: p.roomId }]));
  const moves: Move[] = [];
  for (const session of instance.sessions) {
    if (typeof session.id !== "number") continue;
    const from = basis.get(session.id) ?? null;
    const next = to.get(session.id) ?? null;
    if (!from && !next) continue;
    if (from && next && from.slotId === next.slotId && from.roomId === next.roomId) continue;
    moves.push({ proposalId: session.id, from, to: next });
  }
  return {
    placements,
    unplaced: solved.unplaced.filter((u) => typeof u.session === "number").map((u) => ({ proposalId: u.session as number, reason: u.reason })),
    score: solved.score,
    basis: basisKind,
    moves,
    iterations: solved.iterations,
  };
}

/** Runs one solve and says, on each heartbeat, where it is; the heartbeat answers whether to stop. */
type Solver = (input: Omit<WorkerInput, "stop">, heartbeat: (progress: SolverProgress | null) => Promise<boolean>, signal: AbortSignal, current: (score: Score) => void) => Promise<WorkerResult>;

/** Solves in this thread: for the demo's seed and the command line, where nothing waits on the event loop. */
const solveHere: Solver = async (input, _heartbeat, _signal, current) => {
  current(evaluate(input.instance, input.current).score);
  const report = solve(input.instance, { seed: input.seed, fairness: input.fairness, timeLimitMs: input.timeLimitMs, keep: input.keep });
  return { placements: report.placements, unplaced: report.unplaced, score: report.score, iterations: report.iterations };
};

function workerFile(): string {
  // The module is app/modules/agenda/ in dev and tests, and build/server/index.js once built.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    for (const candidate of [path.join(dir, "solve.worker.ts"), path.join(dir, "app", "modules", "agenda", "solve.worker.ts")]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error("cannot find app/modules/agenda/solve.worker.ts");
}

/** tsx's ES module API (its CommonJS twin cannot register the loader in a worker). */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), pkg.exports["./esm/api"]!.import.default)).href;
}

// The worker loads the TypeScript module through tsx (a dependency, as the command line uses).
const BOOT = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.file, workerData.file));`;

/** Solves in a worker thread; the heartbeat runs on this thread every HEARTBEAT_MS. */
export const solveInWorker: Solver = (input, heartbeat, signal, current) => {
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const tsx = tsxApi();
  const file = workerFile();
  const worker = new Worker(BOOT, { eval: true, workerData: { ...input, stop, tsx, file } satisfies WorkerInput & { tsx: string; file: string } });
  let latest: SolverProgress | null = null;
  let beating = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const abort = () => void worker.terminate();
  return new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "current") current(message.score);
      else if (message.type === "progress") latest = message.progress;
      else if (message.type === "result") settle(() => resolve(message.result));
      else settle(() => reject(new Error(message.message)));
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) => settle(() => reject(new Error(signal.aborted ? INTERRUPTED : `the scheduler stopped unexpectedly (exit code ${code})`))));
    timer = setInterval(() => {
      if (beating) return;
      beating = true;
      heartbeat(latest)
        .then((stopNow) => {
          if (stopNow) Atomics.store(flag, 0, 1);
        })
        .catch(() => {})
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort);
  }).finally(() => {
    clearInterval(timer);
    signal.removeEventListener("abort", abort);
    void worker.terminate();
  });
};

/** Solves a claimed (running) job and writes its outcome; failures are written, not thrown. */
async function runJob(db: DB, job: Suggestion, solver: Solver, signal: AbortSignal, now: () => Date): Promise<void> {
  const row = db.updateTable("suggestion_jobs").where("id", "=", job.id).where("status", "=", "running");
  try {
    // Only the database work is done here: the figures and the search are the worker's, off this thread.
    const [instance, placements, published] = await Promise.all([buildInstance(db, job.conveningId), listPlacements(db, job.conveningId), publishedPlaces(db, job.conveningId)]);
    // The instance carries each session's published place; keep decides whether moves away from it cost.
    const input = { instance, current: currentPlacements(instance, placements), seed: 1, fairness: job.fairness, keep: job.keep, timeLimitMs: job.timeLimitMs };
    const writes: Array<Promise<unknown>> = [];
    const current = (score: Score) => void writes.push(row.set({ current_score: JSON.stringify(score) }).execute());
    const heartbeat = async (progress: SolverProgress | null) => {
      const beat = await row
        .set({ heartbeat_at: now().toISOString(), ...(progress ? { progress: JSON.stringify(progress) } : {}) })
        .returning("stop_requested")
        .executeTakeFirst();
      return beat?.stop_requested === 1;
    };
    const solved = await solver(input, heartbeat, signal, current);
    await Promise.all(writes);
    const basis = published ?? new Map(placements.map((p) => [p.proposal_id, { slotId: p.slot_id, roomId: p.room_id }]));
    const result = toResult(instance, solved, basis, published ? "published" : "working");
    const final: SolverProgress = { elapsedMs: Math.min(job.timeLimitMs, now().getTime() - Date.parse(job.startedAt ?? now().toISOString())), timeLimitMs: job.timeLimitMs, iterations: solved.iterations, best: solved.score };
    await row
      .set({ status: sql<SuggestionStatus>`case when stop_requested = 1 then 'stopped' else 'done' end`, result: JSON.stringify(result), progress: JSON.stringify(final), finished_at: now().toISOString(), heartbeat_at: now().toISOString() })
      .execute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await row.set({ status: "failed", error: signal.aborted ? INTERRUPTED : message.slice(0, 500), finished_at: now().toISOString() }).execute();
  }
}

/**
 * Claims the oldest queued job. On PostgreSQL a job another process is claiming at this moment
 * is skipped (FOR UPDATE SKIP LOCKED); SQLite runs one write at a time, so the statement alone is
 * enough. The status check makes a claim that lost a race empty.
 */
async function claimNext(db: DB, processId: string, now: Date): Promise<Suggestion | null> {
  const next = db.selectFrom("suggestion_jobs").select("id").where("status", "=", "queued").orderBy("id").limit(1);
  const row = await db
    .updateTable("suggestion_jobs")
    .set({ status: "running", claimed_by: processId, started_at: now.toISOString(), heartbeat_at: now.toISOString() })
    .where("id", "=", kindOf(db) === "postgres" ? next.forUpdate().skipLocked() : next)
    .where("status", "=", "queued")
    .returningAll()
    .executeTakeFirst();
  return row ? parseJob(row) : null;
}

/** A job whose process stopped writing (it died) is failed as interrupted: the organizer starts another. */
export async function failAbandoned(db: Executor, now: Date): Promise<number> {
  const result = await db
    .updateTable("suggestion_jobs")
    .set({ status: "failed", error: INTERRUPTED, finished_at: now.toISOString() })
    .where("status", "=", "running")
    .where("heartbeat_at", "<", new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface SuggestionRunner {
  /** look for queued jobs now */
  kick(): void;
  /** stops the solve in progress (its job is failed as interrupted) and the polling */
  stop(): Promise<void>;
}

/** Polls for queued suggestions and solves them, one at a time, in a worker thread. */
export function startSuggestionRunner(db: DB, options: { pollMs?: number; now?: () => Date; solver?: Solver } = {}): SuggestionRunner {
  const now = options.now ?? (() => new Date());
  const solver = options.solver ?? solveInWorker;
  const processId = randomUUID();
  const controller = new AbortController();
  let stopped = false;
  let again = false;
  let running: Promise<void> | null = null;
  const work = async () => {
    await failAbandoned(db, now());
    for (let job = await claimNext(db, processId, now()); job && !stopped; job = stopped ? null : await claimNext(db, processId, now())) {
      await runJob(db, job, solver, controller.signal, now);
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = work()
      .catch((error: unknown) => console.warn(`suggestions: ${(error as Error).message}`))
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          kick();
        }
      });
  };
  const timer = setInterval(kick, options.pollMs ?? 2_000);
  wakers.add(kick);
  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      wakers.delete(kick);
      controller.abort();
      await running;
    },
  };
}

/**
 * Asks for a suggestion and solves it in this thread before returning (the demo's seed): the job
 * row is written as running from the start, so no runner claims it meanwhile.
 */
export async function suggestNow(db: DB, input: { conveningId: number; organizerId: number; keep: boolean; fairness: boolean; timeLimitMs?: number; now?: Date }): Promise<Suggestion> {
  const at = (input.now ?? new Date()).toISOString();
  const { id } = await db
    .insertInto("suggestion_jobs")
    .values({ convening_id: input.conveningId, status: "running", keep_published: input.keep ? 1 : 0, fairness: input.fairness ? 1 : 0, time_limit_ms: input.timeLimitMs ?? SUGGESTION_TIME_LIMIT_MS, started_by: input.organizerId, created_at: at, started_at: at, heartbeat_at: at, claimed_by: "inline" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const job = (await getSuggestion(db, input.conveningId, id))!;
  await runJob(db, job, solveHere, new AbortController().signal, () => input.now ?? new Date());
  return (await getSuggestion(db, input.conveningId, id))!;
}
