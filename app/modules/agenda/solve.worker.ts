// The scheduler in a worker thread, so a long solve never holds up the server's requests. It
// receives the instance and options as workerData and a shared flag the server raises to stop
// early; it posts progress while it searches and the result when done. Started by
// suggestions.server.ts through tsx, and first works out the current agenda's figures, from the source, in dev, the built server and tests alike.
import { parentPort, workerData } from "node:worker_threads";
import { evaluate } from "./conflicts";
import type { Instance } from "./instance";
import { solve, type Progress, type SolveOptions } from "./solver";
import type { WorkerInput, WorkerMessage } from "./solve-messages";

const input = workerData as WorkerInput;
const stop = new Int32Array(input.stop);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  post({ type: "current", score: evaluate(input.instance as Instance, input.current).score });
  const onProgress = (p: Progress) => post({ type: "progress", progress: { elapsedMs: p.elapsedMs, timeLimitMs: p.timeLimitMs, iterations: p.iterations, best: p.best } });
  post({ type: "progress", progress: { elapsedMs: 0, timeLimitMs: input.timeLimitMs, iterations: 0, best: null } });
  const options: SolveOptions = {
    seed: input.seed,
    fairness: input.fairness,
    timeLimitMs: input.timeLimitMs,
    keep: input.keep,
    onProgress,
    shouldStop: () => Atomics.load(stop, 0) === 1,
  };
  const report = solve(input.instance as Instance, options);
  post({ type: "result", result: { placements: report.placements, unplaced: report.unplaced, score: report.score, iterations: report.iterations } });
} catch (error) {
  post({ type: "error", message: error instanceof Error ? error.message : String(error) });
}
