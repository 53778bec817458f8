// Backups of a SQLite database and putting one back. A backup is SQLite's online backup taken
// while the server runs; a restore replaces the database file in one rename, with the server
// stopped. PostgreSQL has its own tools (pg_dump, pg_restore): see docs/deployment.md.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { migrationProvider } from "../../db/migrations/index";
import { databaseKindOf } from "./env.server";

/** A refusal the operator can act on: the CLI prints its message, without a stack. */
export class BackupError extends Error {
  override name = "BackupError";
}

export const POSTGRES_MESSAGE =
  "DATABASE_URL is a PostgreSQL database: back it up with pg_dump and restore it with pg_restore, " +
  "for example `pg_dump --format=custom --file=convene.dump \"$DATABASE_URL\"` and " +
  "`pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" convene.dump` (see docs/deployment.md).";

/** The file behind a SQLite DATABASE_URL, read the way the app opens it. */
export function sqliteFile(databaseUrl: string): string {
  if (databaseKindOf(databaseUrl) === "postgres") throw new BackupError(POSTGRES_MESSAGE);
  const file = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, "");
  if (file === ":memory:") throw new BackupError("DATABASE_URL is an in-memory database: there is nothing to back up or restore.");
  return path.resolve(file);
}

export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await migrationProvider("sqlite").getMigrations()).sort();
}

export interface DatabaseCheck {
  /** migrations recorded in the file, in order */
  migrations: string[];
}

/**
 * Checks that an open SQLite database is whole and is a Convene database this version can run:
 * `PRAGMA integrity_check` answers ok, the migration table exists, and it names no migration
 * this version does not know (a backup from a newer version would not start).
 */
export async function checkConveneDatabase(db: SQLite.Database, label: string): Promise<DatabaseCheck> {
  let integrity: string[];
  try {
    integrity = (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
  } catch (error) {
    throw new BackupError(`${label} is not a readable SQLite database: ${(error as Error).message}`);
  }
  if (integrity.length !== 1 || integrity[0] !== "ok") {
    throw new BackupError(`${label} is damaged (integrity check: ${integrity.slice(0, 5).join("; ")}).`);
  }
  const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!table) throw new BackupError(`${label} is not a Convene database: it has no kysely_migration table.`);
  const migrations = (db.prepare("select name from kysely_migration order by name").all() as Array<{ name: string }>).map((r) => r.name);
  const known = new Set(await knownMigrations());
  const unknown = migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupError(`${label} was made by a newer version of Convene (unknown migrations: ${unknown.join(", ")}); update Convene first.`);
  }
  return { migrations };
}

/** A temporary name next to the target, so the final rename stays on one file system. */
function temporaryNextTo(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
}

function removeQuietly(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(name, { force: true });
}

export interface BackupResult {
  file: string;
  bytes: number;
  migrations: string[];
}

/**
 * Copies the database into `target` while the server may be writing to it. The copy is made in
 * one step of SQLite's online backup, which reads one consistent snapshot (with WAL the
 * server's writers are not blocked); copying page by page in several steps would start over at
 * every write by another process and might never finish under load. The copy is checked, set to
 * a single self-contained file (no -wal), and only then renamed to `target`.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<BackupResult> {
  const source = sqliteFile(databaseUrl);
  const file = path.resolve(target);
  if (file === source) throw new BackupError("The backup file must not be the database itself.");
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} to back up.`);
  if (!fs.existsSync(path.dirname(file))) throw new BackupError(`The folder ${path.dirname(file)} does not exist.`);

  const temporary = temporaryNextTo(file);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // Everything left after the first step in one go: one read transaction, one snapshot.
    await db.backup(temporary, { progress: () => 0x7fffffff });
  } catch (error) {
    removeQuietly(temporary);
    throw new BackupError(`The backup failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }

  let check: DatabaseCheck;
  try {
    const copy = new SQLite(temporary, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      check = await checkConveneDatabase(copy, "The copy");
    } finally {
      copy.close();
    }
    // A backup holds everyone's personal data: readable by its owner only.
    fs.chmodSync(temporary, 0o600);
    fs.renameSync(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  return { file, bytes: fs.statSync(file).size, migrations: check.migrations };
}

export interface RestoreResult {
  database: string;
  migrations: string[];
}

/**
 * Puts a backup in place of the configured database. Refuses when the database is open in
 * another process (the server must be stopped) and when the file is not a whole Convene
 * database. The backup is copied and checked under a temporary name in the database's folder,
 * then renamed over the database in one step: at every moment the database file is either the
 * old one or the new one, whole.
 */
export async function restoreDatabase(databaseUrl: string, backupFile: string): Promise<RestoreResult> {
  const target = sqliteFile(databaseUrl);
  const source = path.resolve(backupFile);
  if (source === target) throw new BackupError("The backup file is the database itself; nothing to restore.");
  if (!fs.existsSync(source)) throw new BackupError(`There is no backup file at ${source}.`);

  // Check the backup before touching anything, on a private copy (opening a file can change it).
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = temporaryNextTo(target);
  let check: DatabaseCheck;
  try {
    fs.copyFileSync(source, temporary);
    // A backup made by copying a stopped WAL database may have its last writes in a -wal beside it.
    if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${temporary}-wal`);
    let copy: SQLite.Database;
    try {
      copy = new SQLite(temporary, { fileMustExist: true });
    } catch (error) {
      throw new BackupError(`${source} is not a SQLite database: ${(error as Error).message}`);
    }
    try {
      // One self-contained file: a rename must not leave part of the data in a -wal beside it.
      copy.pragma("journal_mode = DELETE");
      check = await checkConveneDatabase(copy, source);
    } catch (error) {
      throw error instanceof BackupError ? error : new BackupError(`${source} is not a SQLite database: ${(error as Error).message}`);
    } finally {
      copy.close();
    }
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }

  try {
    if (fs.existsSync(target)) {
      releaseCurrent(target);
      // The restored file keeps the permissions the database had.
      fs.chmodSync(temporary, fs.statSync(target).mode & 0o777);
    }
    // A -wal or -shm of the old database left beside the new file would be read as its own.
    for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${target}${suffix}`, { force: true });
    fs.renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  return { database: target, migrations: check.migrations };
}

/**
 * Makes sure no other process has the current database open, and folds its -wal into the file.
 * Leaving WAL mode needs every other connection gone: a running server keeps its connection
 * open, so this fails at once with SQLITE_BUSY while it runs.
 */
function releaseCurrent(target: string): void {
  let db: SQLite.Database;
  try {
    db = new SQLite(target, { fileMustExist: true });
  } catch (error) {
    throw new BackupError(`Cannot open the current database at ${target}: ${(error as Error).message}`);
  }
  try {
    db.pragma("busy_timeout = 0");
    const mode = db.pragma("journal_mode = DELETE", { simple: true });
    if (mode !== "delete") throw new BackupError(inUse(target));
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("SQLITE_BUSY")) throw new BackupError(inUse(target));
    // Not a database at all (say, a file that was overwritten): no server can be using it, replace it.
    if (code === "SQLITE_NOTADB") return;
    throw new BackupError(
      `Cannot open the current database at ${target}: ${(error as Error).message}. If it is damaged, stop the server, move it aside (with its -wal file), then restore.`,
    );
  } finally {
    db.close();
  }
}

function inUse(target: string): string {
  return `The database at ${target} is in use by another process (is the server running?). Stop the server, then restore.`;
}
