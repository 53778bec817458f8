// `npm run convene -- solve FILE`: needs no database or configuration, so it imports only the
// scheduler; cli/convene.mjs runs it from a bundle so that it starts at once.
import { readFile } from "node:fs/promises";
import { parseInstance } from "../app/modules/agenda/instance";
import { solve } from "../app/modules/agenda/solver";

export const SOLVE_USAGE = "solve needs an instance file, for example: npm run convene -- solve instance.json [--seed 1] [--fairness] [--fresh] [--seconds N]";

export async function solveCommand(args: string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const file = args.find((a, i) => !a.startsWith("--") && !["--seed", "--seconds"].includes(args[i - 1] ?? ""));
  const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const seed = option("--seed", 1);
  const seconds = option("--seconds", 110);
  if (!file || !Number.isInteger(seed) || !(seconds > 0)) {
    console.error(SOLVE_USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const parsed = parseInstance(text);
  if (!parsed.ok) {
    console.error(`${file} is not a valid instance:\n${parsed.error}`);
    return 2;
  }
  const result = solve(parsed.instance, { seed, fairness: args.includes("--fairness"), keep: args.includes("--fresh") ? false : undefined, timeLimitMs: seconds * 1000 });
  const { placements, unplaced, score, moves, optimal } = result;
  out(`${JSON.stringify({ placements, unplaced, score, moves, optimal }, null, 2)}\n`);
  return 0;
}
