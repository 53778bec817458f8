// What the server and the scheduler's worker thread (solve.worker.ts) say to each other.
import type { Instance, Placement, Score } from "./instance";
import type { Id } from "./instance";

export interface WorkerInput {
  instance: Instance;
  seed: number;
  fairness: boolean;
  keep: boolean;
  timeLimitMs: number;
  /** the working agenda as it is, whose figures the worker reports first (they take a while on a large convening) */
  current: Placement[];
  /** a SharedArrayBuffer holding one Int32: 1 asks the solver to stop and return its best so far */
  stop: SharedArrayBuffer;
}

/** Where the search is: the best figures so far (null before the first schedule), and how long it has left. */
export interface SolverProgress {
  elapsedMs: number;
  timeLimitMs: number;
  iterations: number;
  best: (Score & { moves?: number }) | null;
}

export interface WorkerResult {
  placements: Placement[];
  unplaced: Array<{ session: Id; reason: string }>;
  score: Score;
  iterations: number;
}

export type WorkerMessage = { type: "current"; score: Score } | { type: "progress"; progress: SolverProgress } | { type: "result"; result: WorkerResult } | { type: "error"; message: string };
