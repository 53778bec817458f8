// `npm run bench`: runs the in-process benchmarks (scheduler, calendars), prints the figures and
// writes bench/results/*.json. `npm run bench -- solver` runs one. The HTTP load benchmark runs
// only when named, as it takes minutes and needs the production build (so does `suggest`, a page's
// latency during a suggestion):
// `npm run bench -- table` times the organizers' registrations table at 15,000 in process.
// `npm run bench -- load` (`--quick` or BENCH_QUICK=1 for a smoke run that only prints;
// `--sizes=60,1500` and `--seconds=N` to choose). `npm run bench -- solver-best` makes the
// scheduler's best known results from long runs (`--only=NAME` for one instance).
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCalendarBench } from "./calendar";
import { runLoadBench } from "./load";
import { runBestKnown, runSolverBench } from "./solver";
import { runSuggestLatencyBench } from "./suggest-latency";
import { runTableBench } from "./table";

const RESULTS = path.join(import.meta.dirname, "results");

async function save(name: string, figures: unknown) {
  await mkdir(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  await writeFile(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, figures }, null, 2)}\n`);
  console.log(`→ ${path.relative(process.cwd(), file)}`);
}

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith("--"));
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted("solver")) {
  console.log("Scheduler");
  await save("solver", runSolverBench((line) => console.log(`  ${line}`)));
}

// Long runs for the scheduler's best known results (minutes; run with `nice`): only when named.
if (only.includes("solver-best")) {
  console.log("Scheduler: best known results");
  runBestKnown((line) => console.log(`  ${line}`), args.filter((a) => a.startsWith("--only=")).map((a) => a.slice(7)));
}

if (wanted("calendar")) {
  console.log("Calendars");
  await save("calendar", runCalendarBench((line) => console.log(`  ${line}`)));
}

// A page's latency while a suggestion runs in the server's worker thread (needs the build).
if (only.includes("suggest")) {
  console.log("Pages during a suggestion");
  const participants = flag("participants");
  await save("suggest-latency", await runSuggestLatencyBench((line) => console.log(`  ${line}`), { participants: participants ? Number(participants) : undefined, seconds: flag("seconds") ? Number(flag("seconds")) : undefined }));
}

// The registrations table's queries at 15,000 registrations, with SQLite's plans: only when named (it generates the load convening).
if (only.includes("table")) {
  console.log("Registrations table");
  await save("table", await runTableBench((line) => console.log(`  ${line}`)));
}

if (only.includes("load")) {
  const quick = args.includes("--quick") || process.env.BENCH_QUICK === "1";
  console.log(`Load${quick ? " (quick)" : ""}`);
  const figures = await runLoadBench((line) => console.log(`  ${line}`), {
    quick,
    sizes: flag("sizes")?.split(",").map(Number),
    seconds: flag("seconds") ? Number(flag("seconds")) : undefined,
  });
  // A smoke run only prints: it does not replace the figures of a full one.
  if (!quick) await save("load", figures);
}
