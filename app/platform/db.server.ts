// Opens the database named by DATABASE_URL (SQLite file or PostgreSQL) and runs migrations.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { migrationProvider } from "../../db/migrations/index";
import type { Database as Schema } from "../../db/schema";
import { databaseKindOf, getEnv, type DatabaseKind } from "./env.server";

export type DB = Kysely<Schema>;
export type Trx = Transaction<Schema>;
/** A database handle or an open transaction: data functions take either. */
export type Executor = DB | Trx;

export class DatabaseOpenError extends Error {
  override name = "DatabaseOpenError";
}

export function kindOf(db: Executor): DatabaseKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

export function openDatabase(url: string, options: { poolSize?: number } = {}): DB {
  const kind = databaseKindOf(url);
  let db: DB;
  if (kind === "postgres") {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle client that errors (server restart) must not crash the process.
    pool.on("error", () => {});
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const file = url.replace(/^(sqlite|file):(\/\/)?/, "");
    let database: SQLite.Database;
    try {
      if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      database = new SQLite(file);
      database.pragma("journal_mode = WAL");
      database.pragma("foreign_keys = ON");
      database.pragma("busy_timeout = 5000");
      database.pragma("synchronous = NORMAL");
    } catch (error) {
      throw new DatabaseOpenError(
        `DATABASE_URL: cannot open the SQLite database at ${file}: ${(error as Error).message}`,
      );
    }
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  }
  return db;
}

/** Checks that the database answers; throws a DatabaseOpenError that names DATABASE_URL. */
export async function checkDatabase(db: DB): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw new DatabaseOpenError(`DATABASE_URL: cannot reach the database: ${(error as Error).message}`);
  }
}

/** Whether the database answers now (for the health check). */
export async function databaseAnswers(db: DB): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider(kindOf(db)) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrateDown(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kindOf(db)) });
  for (;;) {
    const { error, results } = await migrator.migrateDown();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    if (!results || results.length === 0) return;
  }
}

let appDb: DB | undefined;

/** The app's database, opened on first use from DATABASE_URL. */
export function getDb(): DB {
  appDb ??= openDatabase(getEnv().databaseUrl);
  return appDb;
}

export async function closeDb(): Promise<void> {
  if (appDb) await appDb.destroy();
  appDb = undefined;
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

// What waits for a transaction to commit (the mail sender's nudge): nothing outside may act on
// rows another connection cannot see yet, nor on rows a rollback takes back.
const afterCommit = new WeakMap<object, Array<() => void>>();

/** Runs fn in a transaction, joining the caller's when it already holds one; then what was left for after its commit. */
export async function inTransaction<T>(db: Executor, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx);
  const waiting: Array<() => void> = [];
  const result = await (db as DB).transaction().execute((trx) => {
    afterCommit.set(trx, waiting);
    return fn(trx);
  });
  for (const run of waiting) run();
  return result;
}

/**
 * Runs fn once db's work is committed: after the transaction inTransaction opened (not at all if
 * it rolls back), or at once when db is not in a transaction or in one opened elsewhere. Repeated
 * fns run once.
 */
export function onCommit(db: Executor, fn: () => void): void {
  const waiting = db.isTransaction ? afterCommit.get(db) : undefined;
  if (!waiting) return fn();
  if (!waiting.includes(fn)) waiting.push(fn);
}
