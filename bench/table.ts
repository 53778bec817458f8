// The organizers' registrations table at 15,000 registrations, in process: its first page, a
// search, a sort by another column, and a later keyset page, each timed (median of repeated runs)
// with SQLite's query plan for the page's query, on the load benchmark's generated convening.
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import type { Database } from "../db/schema";
import { listRegistrations } from "../app/modules/registration/queries.server";
import { encodeCursor, tableSchema } from "../app/modules/registration/schema";
import { migrateToLatest } from "../app/platform/db.server";
import { emptyDatabaseUrl } from "../tests/setup/databases";
import { generateConvening } from "./load-data";

const RUNS = 30;

export async function runTableBench(log: (line: string) => void) {
  const target = await emptyDatabaseUrl("sqlite");
  const file = target.url.replace(/^(sqlite|file):(\/\/)?/, "");
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  let captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: (event) => void (event.level === "query" && captured.push(event.query)) });
  try {
    await migrateToLatest(db);
    const fixture = await generateConvening(db, { participants: 15_000, sessions: 1_000, actionItems: 2_000 }, { newcomers: 0, signedInParticipants: 0 });
    log(`15,000 participants generated in ${fixture.seconds} s`);
    const first = await listRegistrations(db, fixture.conveningId, tableSchema.parse({}));
    // Page 51 of the default order: the cursor of a later page, as its "Next page" link carries it.
    let later = first;
    for (let i = 0; i < 50 && later.next; i += 1) later = await listRegistrations(db, fixture.conveningId, tableSchema.parse({ after: encodeCursor(later.next) }));
    const cases: Array<[string, Record<string, string>]> = [
      ["first page", {}],
      ["search (\"okafor\")", { q: "okafor" }],
      ["sorted by name, descending", { sort: "name", dir: "desc" }],
      ["sorted by country", { sort: "country" }],
      ["page 52 (keyset, after page 51's last row)", { after: encodeCursor(later.next!) }],
      ["confirmed, sorted by organization", { status: "confirmed", sort: "organization" }],
    ];
    const figures: Record<string, { medianMs: number; p95Ms: number; rows: number; total: number; plan: string[] }> = {};
    for (const [name, params] of cases) {
      const view = tableSchema.parse(params);
      const times: number[] = [];
      let page = first;
      for (let i = 0; i < RUNS; i += 1) {
        captured = [];
        const started = performance.now();
        page = await listRegistrations(db, fixture.conveningId, view);
        times.push(performance.now() - started);
      }
      const query = captured[0]!;
      const plan = (database.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
      times.sort((a, b) => a - b);
      figures[name] = { medianMs: round(times[Math.floor(RUNS / 2)]!), p95Ms: round(times[Math.floor(RUNS * 0.95)]!), rows: page.rows.length, total: page.total, plan };
      log(`${name}: median ${figures[name].medianMs} ms, p95 ${figures[name].p95Ms} ms (${page.rows.length} of ${page.total} rows)`);
      for (const step of plan) log(`    ${step}`);
    }
    return { database: "sqlite", participants: 15_000, runs: RUNS, figures };
  } finally {
    await db.destroy();
    await target.drop();
  }
}

const round = (ms: number) => Number(ms.toFixed(2));
