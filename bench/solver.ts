// Scheduler benchmark: generated instances of three sizes; for each, our solve time and
// figures, the greedy baseline's, and a lower bound (or the exact optimum on small instances).
import { evaluate } from "../app/modules/agenda/conflicts";
import { generateInstance } from "../app/modules/agenda/generate";
import { clashLowerBound, greedy, solve } from "../app/modules/agenda/solver";

export interface SolverFigures {
  instance: string;
  sessions: number;
  people: number;
  slots: number;
  rooms: number;
  solveSeconds: number;
  attendeeClashes: number;
  overflow: number;
  sameTrackOverlaps: number;
  hardViolations: number;
  unplaced: number;
  lostSessions: number;
  greedyClashes: number;
  greedyLostSessions: number;
  fewerClashesThanGreedy: string;
  lowerBound: number;
  optimal: boolean;
}

const SIZES = [
  { name: "10 sessions / 24 people (exact)", sessions: 10, people: 24, slots: 4, rooms: 3, marksPerPerson: 4 },
  { name: "16 sessions / 40 people", sessions: 16, people: 40, slots: 6, rooms: 3 },
  { name: "30 sessions / 60 people", sessions: 30, people: 60, slots: 8, rooms: 5 },
  { name: "120 sessions / 300 people", sessions: 120, people: 300, slots: 12, rooms: 12 },
  { name: "1,000 sessions / 15,000 people", sessions: 1000, people: 15000, slots: 25, rooms: 45 },
];

export function runSolverBench(log: (line: string) => void): SolverFigures[] {
  const figures: SolverFigures[] = [];
  for (const size of SIZES) {
    const instance = generateInstance({ ...size, seed: 1 });
    const base = greedy(instance);
    const started = process.hrtime.bigint();
    const result = solve(instance, { seed: 1, timeLimitMs: 110_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const ours = evaluate(instance, result.placements);
    const theirs = evaluate(instance, base.placements);
    const row: SolverFigures = {
      instance: size.name,
      sessions: size.sessions,
      people: size.people,
      slots: size.slots,
      rooms: size.rooms,
      solveSeconds: Number(seconds.toFixed(2)),
      ...result.score,
      unplaced: result.unplaced.length,
      lostSessions: ours.lostSessions,
      greedyClashes: base.score.attendeeClashes,
      greedyLostSessions: theirs.lostSessions,
      fewerClashesThanGreedy: `${(100 * (1 - result.score.attendeeClashes / Math.max(1, base.score.attendeeClashes))).toFixed(1)}%`,
      lowerBound: result.optimal ? result.score.attendeeClashes : clashLowerBound(instance),
      optimal: result.optimal,
    };
    figures.push(row);
    log(
      `${size.name}: ${row.solveSeconds}s, clashes ${row.attendeeClashes} (greedy ${row.greedyClashes}, ${row.fewerClashesThanGreedy} fewer; ` +
        `${row.optimal ? "exact optimum" : `lower bound ${row.lowerBound}`}), lost sessions ${row.lostSessions} (greedy ${row.greedyLostSessions}), ` +
        `overflow ${row.overflow}, same-track ${row.sameTrackOverlaps}, hard ${row.hardViolations}, unplaced ${row.unplaced}`,
    );
  }
  return figures;
}
