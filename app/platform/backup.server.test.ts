// `npm run convene -- backup` and `restore`, run as the operator runs them: the backup is taken by
// the command line in its own process while this process keeps writing registrations to the same
// SQLite file (as a running server would), then checked and put back.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabaseUrl } from "../../tests/setup/databases";
import { runCli } from "../../tests/setup/flows";
import { migrateToLatest, openDatabase, type DB } from "./db.server";
import { convening, person } from "../../tests/factories";
import { submitRegistration } from "../modules/registration/registering.server";
import type { RegistrationInput } from "../modules/registration/schema";
import { backupDatabase, BackupError, knownMigrations, POSTGRES_MESSAGE, restoreDatabase } from "./backup.server";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command line in a child process, without blocking this one (which keeps writing meanwhile). */
function runCliAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn("node_modules/.bin/tsx", ["cli/convene.ts", ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: "development", SESSION_SECRET: process.env.SESSION_SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

/** Every row of every table, as sorted JSON lines: two databases with equal dumps hold the same data. */
function dump(file: string): Record<string, string[]> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`select * from "${name}"`).all() as object[]).map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}

function answers(displayName: string, tracks: number[]): RegistrationInput {
  return {
    displayName,
    attendance: "in_person",
    tracks,
    languages: ["English", "Português"],
    interpretation: [],
    accessNeeds: [],
    // Long answers, so the database has some size and the copy takes more than an instant.
    accessOther: "A quiet room near the plenary, please. ".repeat(12),
    dietary: "Vegetarian, no nuts. ".repeat(14),
   
    consentDirectory: false,
    consentContact: false,
    consentPhotos: false,
  };
}

describe("backing up and restoring a SQLite database with the command line", () => {
  let dir: string;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let db: DB | undefined;
  let conveningId: number;
  let trackIds: number[];
  let registered = 0;
  let env: Record<string, string>;

  async function registerOne(): Promise<void> {
    const n = ++registered;
    const { id } = await person(db!, { name: `Writer ${n}`, fullName: null });
    // Two tracks each, so a registration is several rows that must all be in a copy or none.
    await submitRegistration(db!, { conveningId, personId: id, answers: answers(`Writer ${n}`, [trackIds[n % 6]!, trackIds[(n + 1) % 6]!]) });
  }

  beforeAll(async () => {
    ({ url: databaseUrl, drop } = await emptyDatabaseUrl("sqlite"));
    dir = path.dirname(databaseUrl);
    env = { DATABASE_URL: databaseUrl, DATA_DIR: dir };
    db = openDatabase(databaseUrl);
    await migrateToLatest(db);
    ({ id: conveningId, trackIds } = await convening(db, { slug: "backup", title: "Backup Meeting", startsOn: "2030-06-10", endsOn: "2030-06-12", registration: { capacity: 150 } }));
    for (let i = 0; i < 400; i += 1) await registerOne();
  });
  afterAll(async () => {
    await db?.destroy();
    await drop();
  });

  it("copies the database consistently while another process writes to it, and restores it exactly", async () => {
    const backupFile = path.join(dir, "backups", "convene-backup.db");
    fs.mkdirSync(path.dirname(backupFile));

    // Keep writing, one registration after another, for as long as the backup runs.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await registerOne();
        // SQLite answers synchronously: let the event loop see the child process between writes.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const before = registered;
    const backup = await runCliAsync(["backup", backupFile], env);
    const during = registered - before;
    for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
    writing = false;
    await writer;

    expect(backup.stderr).toBe("");
    expect(backup).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(new RegExp(`^Backed up .* to ${backupFile.replaceAll(".", "\\.")} \\(\\d+ bytes, ${(await knownMigrations()).length} migrations\\)\\.\\n$`));
    // The writer went on while the command ran: the copy was taken under load.
    expect(during).toBeGreaterThan(20);
    // One self-contained file, and no temporary file left beside it.
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(["convene-backup.db"]);
    // It holds everyone's personal data: readable by its owner only.
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);

    const copy = new SQLite(backupFile, { readonly: true, fileMustExist: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    expect((copy.prepare("select name from kysely_migration order by name").all() as Array<{ name: string }>).map((r) => r.name)).toEqual(await knownMigrations());

    // A snapshot at one moment: registrations 1..n exactly as the live database has them, each
    // whole (its tracks, its audit entry, its mail), and none of the later ones.
    const copied = copy.prepare("select * from registrations order by id").all() as Array<{ id: number; person_id: number }>;
    expect(copied.length).toBeGreaterThanOrEqual(before);
    expect(copied.length).toBeLessThan(registered);
    const live = await db!.selectFrom("registrations").selectAll().orderBy("id").execute();
    expect(copied).toEqual(live.slice(0, copied.length));
    const perRegistration = copy
      .prepare(
        `select r.id,
           (select count(*) from registration_tracks t where t.registration_id = r.id) as tracks,
           (select count(*) from audit_log a where a.subject_type = 'registration' and a.subject_id = r.id) as audits,
           (select count(*) from mail_outbox m where m.person_id = r.person_id) as mails
         from registrations r order by r.id`,
      )
      .all();
    expect(perRegistration).toEqual(copied.map((r) => ({ id: r.id, tracks: 2, audits: 1, mails: 1 })));
    const statuses = copy.prepare("select status, count(*) as n from registrations group by status order by status").all();
    expect(statuses).toEqual([
      { status: "confirmed", n: 150 },
      { status: "waitlisted", n: copied.length - 150 },
    ]);
    copy.close();
    const backedUp = dump(backupFile);

    // While the database is open elsewhere (here, as in a running server), restore refuses and changes nothing.
    const refused = runCli(["restore", backupFile], env);
    expect(refused).toEqual({
      code: 1,
      stdout: "",
      stderr: `The database at ${databaseUrl} is in use by another process (is the server running?). Stop the server, then restore.\n`,
    });
    expect(await db!.selectFrom("registrations").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).toEqual({ n: registered });

    // With the "server" stopped, the backup is put back: exactly the data of the copy, the later writes gone.
    await db!.destroy();
    db = undefined;
    const mode = fs.statSync(databaseUrl).mode & 0o777;
    const restored = runCli(["restore", backupFile], env);
    expect(restored).toEqual({
      code: 0,
      stdout: `Restored ${databaseUrl} from ${backupFile} (${(await knownMigrations()).length} migrations). Start the server to use it.\n`,
      stderr: "",
    });
    expect(fs.readdirSync(dir).sort()).toEqual(["backups", "convene.db"]);
    expect(dump(databaseUrl)).toEqual(backedUp);
    expect(fs.statSync(databaseUrl).mode & 0o777).toBe(mode);
    expect(fs.existsSync(backupFile)).toBe(true);

    // The server can start on it: nothing to migrate, and writing goes on from where the copy ended.
    db = openDatabase(databaseUrl);
    expect(await migrateToLatest(db)).toEqual([]);
    registered = copied.length;
    await registerOne();
    const last = await db.selectFrom("registrations").select(["id", "status"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(last).toEqual({ id: copied.at(-1)!.id + 1, status: "waitlisted" });
  }, 60_000);

  it("refuses a file that is not a whole Convene database, changing nothing", async () => {
    const text = path.join(dir, "notes.txt");
    fs.writeFileSync(text, "not a database\n".repeat(100));
    const other = path.join(dir, "other.db");
    const otherDb = new SQLite(other);
    otherDb.exec("create table notes (id integer primary key, text text)");
    otherDb.close();
    const newer = path.join(dir, "newer.db");
    fs.copyFileSync(databaseUrl, newer);
    const newerDb = new SQLite(newer);
    newerDb.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run("2099-01-01T0000_future", new Date().toISOString());
    newerDb.close();

    await db?.destroy();
    db = undefined;
    const before = fs.readFileSync(databaseUrl);
    // Through the command line: the message, and exit code 1.
    expect(runCli(["restore", text], env)).toEqual({ code: 1, stdout: "", stderr: `${text} is not a SQLite database: file is not a database\n` });
    // The other refusals, called directly (each command-line run costs a second or two).
    const refusal = (message: string) => new BackupError(message);
    await expect(restoreDatabase(databaseUrl, other)).rejects.toThrow(refusal(`${other} is not a Convene database: it has no kysely_migration table.`));
    await expect(restoreDatabase(databaseUrl, newer)).rejects.toThrow(
      refusal(`${newer} was made by a newer version of Convene (unknown migrations: 2099-01-01T0000_future); update Convene first.`),
    );
    const missing = path.join(dir, "missing.db");
    await expect(restoreDatabase(databaseUrl, missing)).rejects.toThrow(refusal(`There is no backup file at ${missing}.`));
    await expect(restoreDatabase(databaseUrl, databaseUrl)).rejects.toThrow(refusal("The backup file is the database itself; nothing to restore."));
    await expect(backupDatabase(databaseUrl, databaseUrl)).rejects.toThrow(refusal("The backup file must not be the database itself."));
    await expect(backupDatabase(databaseUrl, path.join(dir, "no-such-folder", "b.db"))).rejects.toThrow(refusal(`The folder ${path.join(dir, "no-such-folder")} does not exist.`));

    expect(fs.readFileSync(databaseUrl).equals(before)).toBe(true);
    // No temporary file left behind by a refusal.
    expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp") || name.includes("-wal") || name.includes("-journal"))).toEqual([]);
  }, 60_000);

  it("points to pg_dump and pg_restore for PostgreSQL and exits with 1", async () => {
    const postgres = "postgres://convene@127.0.0.1:1/convene";
    expect(runCli(["backup", path.join(dir, "convene.dump")], { DATABASE_URL: postgres, DATA_DIR: dir })).toEqual({ code: 1, stdout: "", stderr: `${POSTGRES_MESSAGE}\n` });
    await expect(restoreDatabase(postgres, path.join(dir, "convene.dump"))).rejects.toThrow(new BackupError(POSTGRES_MESSAGE));
    expect(runCli(["restore"], { DATABASE_URL: postgres, DATA_DIR: dir })).toMatchObject({
      code: 2,
      stderr: "restore needs one file, for example: npm run convene -- restore backups/convene-2027-06-01.db\n",
    });
  }, 30_000);
});
