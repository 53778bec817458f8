// Fresh, migrated databases for integration tests: SQLite always, PostgreSQL when
// TEST_POSTGRES_URL is set. Each call makes a new database that nothing else uses.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateToLatest, openDatabase, type DB } from "../../app/platform/db.server";

export type DatabaseKind = "sqlite" | "postgres";

export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];

/**
 * The databases a browser flow runs on when the database is not what it tests: SQLite. The
 * domain functions those pages call are tested on both databases (integration tests), and the
 * end-to-end files about the database itself (capacity under load, several processes, crashes,
 * hostile input, mail priority, vetting) use DATABASE_KINDS. E2E_ALL_DATABASES=1 runs every
 * browser flow on both.
 */
export const BROWSER_DATABASE_KINDS: DatabaseKind[] = process.env.E2E_ALL_DATABASES === "1" ? DATABASE_KINDS : ["sqlite"];

export interface TestDatabase {
  db: DB;
  url: string;
  kind: DatabaseKind;
  drop(): Promise<void>;
}

/** A URL for an empty database of the given kind (created on the server for PostgreSQL). */
export async function emptyDatabaseUrl(kind: DatabaseKind): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-test-"));
    return { url: path.join(dir, "convene.db"), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error("TEST_POSTGRES_URL is not set");
  const name = `convene_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const { url, drop } = await emptyDatabaseUrl(kind);
  const db = openDatabase(url, { poolSize: 5 });
  await migrateToLatest(db);
  return {
    db,
    url,
    kind,
    drop: async () => {
      await db.destroy();
      await drop();
    },
  };
}

export interface ScriptMode {
  name: "with JavaScript" | "without JavaScript";
  javaScript: boolean;
}

/**
 * The script settings a browser flow runs with on a database. Progressive enhancement is the same
 * code on either database, so flows run with scripts on and off on SQLite and with scripts on only
 * on PostgreSQL, where the database's own behaviour (locks, transactions, the outbox) is what is
 * under test; the integration tests cover every domain function on both databases.
 */
export function scriptModes(kind: DatabaseKind): ScriptMode[] {
  const on: ScriptMode = { name: "with JavaScript", javaScript: true };
  return kind === "sqlite" ? [on, { name: "without JavaScript", javaScript: false }] : [on];
}
