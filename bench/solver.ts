// Scheduler benchmark. Varied generated instances (sizes, popularity skews, room mixes,
// interpretation in a fifth of the rooms, busy facilitators, people following one to three
// tracks); each is solved by the command operators run (`node cli/convene.mjs solve FILE`, the
// script behind `npm run convene -- solve`), timed from spawning it to its exit, so the figures
// include the command's start. Each result is compared with the best known result for that
// instance (bench/results/solver-best-known.json, from long runs: `npm run bench -- solver-best`;
// a bench run that does better replaces it, saying so) and with the greedy baseline.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateInstance, type GenerateOptions } from "../app/modules/agenda/generate";
import type { Instance, Score } from "../app/modules/agenda/instance";
import { clashLowerBound, greedy, solve } from "../app/modules/agenda/solver";

interface BenchInstance {
  name: string;
  options: GenerateOptions;
  target: { seconds: number; gapPercent: number | null; optimal: boolean };
}

export const INSTANCES: BenchInstance[] = [
  { name: "10 sessions / 24 people", options: { sessions: 10, people: 24, slots: 4, rooms: 3, marksPerPerson: 4 }, target: { seconds: 3, gapPercent: 0, optimal: true } },
  { name: "16 sessions / 40 people", options: { sessions: 16, people: 40, slots: 6, rooms: 3 }, target: { seconds: 3, gapPercent: 0, optimal: true } },
  {
    name: "19 sessions / 60 people, busy facilitators, steep popularity",
    options: { sessions: 19, people: 60, slots: 6, rooms: 4, skew: 4, facilitatorPool: 6 },
    target: { seconds: 3, gapPercent: 0, optimal: true },
  },
  { name: "120 sessions / 300 people", options: { sessions: 120, people: 300, slots: 12, rooms: 12 }, target: { seconds: 5, gapPercent: 1, optimal: false } },
  {
    name: "120 sessions / 300 people, steep popularity, small rooms, one track each",
    options: { sessions: 120, people: 300, slots: 12, rooms: 12, skew: 4, roomMix: "small", tracksPerPerson: 1 },
    target: { seconds: 5, gapPercent: 1, optimal: false },
  },
  {
    name: "120 sessions / 300 people, large rooms, interpretation, busy facilitators, three tracks each",
    options: { sessions: 120, people: 300, slots: 12, rooms: 12, roomMix: "large", interpretation: 0.1, facilitatorPool: 40, tracksPerPerson: 3 },
    target: { seconds: 5, gapPercent: 1, optimal: false },
  },
  {
    name: "1,000 sessions / 15,000 people, interpretation in a fifth of rooms, skewed",
    options: { sessions: 1000, people: 15000, slots: 25, rooms: 45, skew: 3, interpretation: 0.1 },
    target: { seconds: 120, gapPercent: 2, optimal: false },
  },
];

export interface BestKnown {
  attendeeClashes: number;
  overflow: number;
  sameTrackOverlaps: number;
  optimal: boolean;
  seed: number;
  iterations: number | null;
  seconds: number;
  foundAt: string;
  by: string;
}

const BEST_FILE = path.join(import.meta.dirname, "results", "solver-best-known.json");
const ROOT = path.dirname(import.meta.dirname);

export function readBestKnown(): Record<string, BestKnown> {
  return existsSync(BEST_FILE) ? (JSON.parse(readFileSync(BEST_FILE, "utf8")) as Record<string, BestKnown>) : {};
}

function writeBestKnown(best: Record<string, BestKnown>) {
  writeFileSync(BEST_FILE, `${JSON.stringify(best, null, 2)}\n`);
}

const better = (a: Score, b: Pick<Score, "attendeeClashes" | "overflow" | "sameTrackOverlaps">) =>
  a.attendeeClashes !== b.attendeeClashes ? a.attendeeClashes < b.attendeeClashes : a.overflow !== b.overflow ? a.overflow < b.overflow : a.sameTrackOverlaps < b.sameTrackOverlaps;

const instanceOf = (b: BenchInstance): Instance => generateInstance({ ...b.options, seed: 1 });

/** Long runs for the best known results: several seeds, many steps (run it with `nice`). */
export function runBestKnown(log: (line: string) => void, only?: string[]): Record<string, BestKnown> {
  const best = readBestKnown();
  for (const b of INSTANCES) {
    if (only?.length && !only.some((o) => b.name.startsWith(o))) continue;
    const instance = instanceOf(b);
    const large = b.options.sessions >= 500;
    const seeds = large ? [11] : b.options.sessions < 20 ? [1] : [11, 12, 13];
    for (const seed of seeds) {
      const iterations = large ? 150_000_000 : 40_000_000;
      const started = process.hrtime.bigint();
      const result = solve(instance, { seed, iterations, timeLimitMs: 3_600_000, exactNodeLimit: 200_000_000 });
      const seconds = Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1));
      const known = best[b.name];
      const improved = !known || better(result.score, known);
      log(`${b.name}: seed ${seed}, ${iterations} steps, ${seconds}s: clashes ${result.score.attendeeClashes}, overflow ${result.score.overflow}${result.optimal ? " (optimal)" : ""}${improved ? " — new best known" : ""}`);
      if (improved) {
        best[b.name] = { ...result.score, optimal: result.optimal, seed, iterations, seconds, foundAt: new Date().toISOString(), by: `solve({ seed: ${seed}, iterations: ${iterations} }) in process` };
        writeBestKnown(best);
      }
    }
  }
  return best;
}

export interface SolverFigures {
  instance: string;
  sessions: number;
  people: number;
  slots: number;
  rooms: number;
  /** wall time of `node cli/convene.mjs solve FILE`, from spawn to exit */
  seconds: number;
  attendeeClashes: number;
  overflow: number;
  sameTrackOverlaps: number;
  hardViolations: number;
  optimal: boolean;
  bestKnownClashes: number | null;
  gapToBestKnown: string;
  greedyClashes: number;
  fewerClashesThanGreedy: string;
  lowerBound: number;
  target: string;
  met: boolean;
}

function spawnSolve(file: string): { seconds: number; output: { score: Score; optimal: boolean } } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(ROOT, "cli", "convene.mjs"), "solve", file, "--seed", "1"], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`solve failed: ${run.stderr}`);
  return { seconds, output: JSON.parse(run.stdout) as { score: Score; optimal: boolean } };
}

/** How long `solve` takes before any solving: an empty instance, through node and through npm. */
export function runStartBench(log: (line: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "convene-bench-"));
  const file = path.join(dir, "empty.json");
  writeFileSync(file, JSON.stringify({ slots: [], rooms: [], sessions: [] }));
  spawnSolve(file); // builds the scheduler's bundle once, as the first use after a change does
  const time = (command: string, args: string[]) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      spawnSync(command, args, { cwd: ROOT, encoding: "utf8" });
      runs.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    return Number(runs.sort((a, b) => a - b)[2]!.toFixed(3));
  };
  const figures = {
    nodeSeconds: time(process.execPath, ["cli/convene.mjs", "solve", file]),
    npmRunSeconds: time("npm", ["run", "-s", "convene", "--", "solve", file]),
    target: "under 0.5 s",
  };
  log(`solve start (empty instance, median of 5): node cli/convene.mjs ${figures.nodeSeconds}s, npm run convene -- solve ${figures.npmRunSeconds}s (target ${figures.target})`);
  return figures;
}

export function runSolverBench(log: (line: string) => void): { start: ReturnType<typeof runStartBench>; loadBefore: number[]; loadAfter: number[]; runs: SolverFigures[] } {
  // Other work on the machine slows every figure: the load averages (1, 5, 15 min) say how much.
  const loadBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
  log(`load average before: ${loadBefore.join(", ")} (${os.cpus().length} cores)`);
  const start = runStartBench(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), "convene-bench-"));
  const best = readBestKnown();
  const runs: SolverFigures[] = [];
  for (const b of INSTANCES) {
    const instance = instanceOf(b);
    const file = path.join(dir, "instance.json");
    writeFileSync(file, JSON.stringify(instance));
    const base = greedy(instance);
    const { seconds, output } = spawnSolve(file);
    const score = output.score;
    let known = best[b.name] ?? null;
    if (!known || better(score, known)) {
      log(`  ${b.name}: this run beats the best known result; recorded`);
      known = { ...score, optimal: output.optimal, seed: 1, iterations: null, seconds: Number(seconds.toFixed(1)), foundAt: new Date().toISOString(), by: "npm run bench -- solver (default budget)" };
      best[b.name] = known;
      writeBestKnown(best);
    }
    const gap = known.attendeeClashes === 0 ? (score.attendeeClashes === 0 ? 0 : Infinity) : (100 * (score.attendeeClashes - known.attendeeClashes)) / known.attendeeClashes;
    const met = seconds < b.target.seconds && (b.target.optimal ? output.optimal : gap <= b.target.gapPercent!);
    const row: SolverFigures = {
      instance: b.name,
      sessions: b.options.sessions,
      people: b.options.people,
      slots: b.options.slots,
      rooms: b.options.rooms,
      seconds: Number(seconds.toFixed(2)),
      ...score,
      optimal: output.optimal,
      bestKnownClashes: known.attendeeClashes,
      gapToBestKnown: `${gap.toFixed(2)}%`,
      greedyClashes: base.score.attendeeClashes,
      fewerClashesThanGreedy: `${(100 * (1 - score.attendeeClashes / Math.max(1, base.score.attendeeClashes))).toFixed(1)}%`,
      lowerBound: clashLowerBound(instance),
      target: b.target.optimal ? `proved optimal in < ${b.target.seconds} s` : `within ${b.target.gapPercent}% of best known in < ${b.target.seconds} s`,
      met,
    };
    runs.push(row);
    log(
      `${b.name}: ${row.seconds}s, clashes ${row.attendeeClashes}${row.optimal ? " (proved optimal)" : ""}, best known ${row.bestKnownClashes} (gap ${row.gapToBestKnown}), ` +
        `greedy ${row.greedyClashes} (${row.fewerClashesThanGreedy} fewer), overflow ${row.overflow}, same-track ${row.sameTrackOverlaps}, hard ${row.hardViolations}; target ${row.target}: ${met ? "met" : "MISSED"}`,
    );
  }
  return { start, loadBefore, loadAfter: os.loadavg().map((l) => Number(l.toFixed(2))), runs };
}
