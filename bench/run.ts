// `npm run bench`: runs every benchmark, prints the figures and writes bench/results/*.json.
// `npm run bench -- solver` runs one.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCalendarBench } from "./calendar";
import { runSolverBench } from "./solver";

const RESULTS = path.join(import.meta.dirname, "results");

async function save(name: string, figures: unknown) {
  await mkdir(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  await writeFile(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, figures }, null, 2)}\n`);
  console.log(`→ ${path.relative(process.cwd(), file)}`);
}

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted("solver")) {
  console.log("Scheduler");
  await save("solver", runSolverBench((line) => console.log(`  ${line}`)));
}

if (wanted("calendar")) {
  console.log("Calendars");
  await save("calendar", runCalendarBench((line) => console.log(`  ${line}`)));
}
