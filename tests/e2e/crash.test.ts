// Crash safety on SQLite: the real server takes a stream of concurrent registrations and
// cancellations over HTTP and is killed with SIGKILL in the middle, three times; each time it is
// started again on the same database file. Afterwards the server answers, the schema is whole,
// every acknowledged change is there, and every change is there entirely or not at all: each
// registration with its tracks, and each state change with its audit entry and its mail.
import fs from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../../app/modules/auth/session.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { migrationProvider } from "../../db/migrations/index";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { emptyDatabaseUrl } from "../setup/databases";
import { makePerson } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const CAPACITY = 40;
const ROUNDS = 3;
const PER_ROUND = 60;
const CONCURRENCY = 16;
const PATH = "/convenings/crash/register";

interface Participant {
  id: number;
  name: string;
  session: string;
  tracks: number[];
  /** what the server acknowledged with its redirect */
  acknowledged: { registered: boolean; cancelled: boolean };
}

/** The mail each transition queues (see mailFor in registration.server.ts). */
function templateFor(from: string | null, to: string): string {
  if (to === "confirmed") return from === "waitlisted" ? "registration-promoted" : "registration-confirmed";
  return `registration-${to === "pending" ? "received" : to}`;
}

describe("a server killed with SIGKILL during heavy writes, on SQLite", () => {
  let smtp: SmtpSink;
  let database: { url: string; drop: () => Promise<void> };
  let db: DB;
  let app: RunningApp | undefined;
  const dataDirs: string[] = [];
  const people: Participant[] = [];
  let conveningId: number;
  const kills: Array<{ acknowledged: number; writesInFlight: number }> = [];

  async function start(): Promise<RunningApp> {
    // The job runner wakes every second, so the mail sender writes alongside the registrations.
    const started = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url, JOB_INTERVAL_SECONDS: "1" } });
    dataDirs.push(started.dataDir);
    return started;
  }

  async function formClient(running: RunningApp, session: string): Promise<{ cookie: string; token: string }> {
    const response = await fetch(`${running.url}${PATH}`, { headers: { Cookie: session } });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET ${PATH}: ${response.status}`);
    const csrf = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="));
    const token = /<input type="hidden" name="csrf" value="([^"]+)"\/>/.exec(html)?.[1];
    if (!csrf || !token) throw new Error("no anti-forgery cookie or token");
    return { cookie: `${session}; ${csrf.split(";")[0]}`, token };
  }

  let writesInFlight = 0;

  async function post(running: RunningApp, from: { cookie: string; token: string }, fields: Array<[string, string]>): Promise<string> {
    writesInFlight += 1;
    const response = await fetch(`${running.url}${PATH}`, {
      method: "POST",
      headers: { Cookie: from.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...fields, ["csrf", from.token]]).toString(),
      redirect: "manual",
    }).finally(() => (writesInFlight -= 1));
    await response.arrayBuffer();
    if (response.status !== 302) throw new Error(`POST ${PATH}: ${response.status}`);
    return response.headers.get("location") ?? "";
  }

  /**
   * Runs the registrations and cancellations with CONCURRENCY requests in flight, and kills the
   * server with SIGKILL once `killAfter` of them are acknowledged: the others are mid-way.
   */
  async function driveAndKill(running: RunningApp, tasks: Array<{ person: Participant; cancel: boolean }>, killAfter: number): Promise<void> {
    const queue = [...tasks];
    let acknowledged = 0;
    let killed = false;
    const exited = new Promise((resolve) => running.process.once("exit", resolve));
    const acknowledge = () => {
      acknowledged += 1;
      if (acknowledged >= killAfter && !killed) {
        killed = true;
        kills.push({ acknowledged, writesInFlight });
        running.process.kill("SIGKILL");
      }
    };
    const worker = async () => {
      while (!killed && queue.length > 0) {
        const { person, cancel } = queue.shift()!;
        try {
          const from = await formClient(running, person.session);
          if (cancel) {
            expect(await post(running, from, [["intent", "cancel"]])).toBe(`${PATH}?done=cancelled`);
            person.acknowledged.cancelled = true;
          } else {
            const fields: Array<[string, string]> = [["intent", "register"], ["displayName", person.name], ["attendance", "in_person"], ...person.tracks.map((t): [string, string] => ["tracks", String(t)])];
            expect(await post(running, from, fields)).toBe(`${PATH}?done=submitted`);
            person.acknowledged.registered = true;
          }
          acknowledge();
        } catch (error) {
          // A request cut off by the kill is expected; anything else is a failure.
          if (!killed) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (!killed) throw new Error("the tasks ran out before the kill");
    await exited;
    expect(running.process.signalCode).toBe("SIGKILL");
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    database = await emptyDatabaseUrl("sqlite");
    app = await start();
    db = openDatabase(database.url);
    const organizer = await makePerson(db, "organizer@example.org", "Organizers");
    conveningId = await createConvening(db, { slug: "crash", title: "Crash Meeting", startsOn: "2030-06-10", endsOn: "2030-06-12", timeZone: "Africa/Nairobi", status: "published" });
    await updateRegistrationSettings(db, { conveningId, organizerId: organizer, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: CAPACITY, approvalRequired: false });
    const tracks = (await listTracks(db, conveningId)).map((t) => t.id);
    for (let i = 0; i < ROUNDS * PER_ROUND; i += 1) {
      const name = `Person ${i + 1}`;
      const id = await makePerson(db, `person-${i + 1}@example.org`, name);
      const session = (await createSession(db, id)).split(";")[0]!;
      people.push({ id, name, session, tracks: [tracks[i % 6]!, tracks[(i + 3) % 6]!].sort((a, b) => a - b), acknowledged: { registered: false, cancelled: false } });
    }
  });
  afterAll(async () => {
    await db?.destroy();
    // The last one goes the same way: a graceful stop would first deliver the whole queue.
    if (app && app.process.exitCode === null && app.process.signalCode === null) {
      const exited = new Promise((resolve) => app!.process.once("exit", resolve));
      app.process.kill("SIGKILL");
      await exited;
    }
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    await database?.drop();
    await smtp?.stop();
  });

  it("starts again with a whole database: acknowledged changes kept, none half-done, capacity and waitlist rules held", async () => {
    let deliveredBeforeLastStart = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // This round's newcomers register while every third person registered in an earlier round
      // cancels: once the meeting is full, each of those cancellations promotes someone.
      const newcomers = people.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
      const leaving = people.slice(0, round * PER_ROUND).filter((p, i) => i % 3 === 0 && p.acknowledged.registered && !p.acknowledged.cancelled);
      const tasks = newcomers.map((person) => ({ person, cancel: false }));
      leaving.forEach((person, i) => tasks.splice(i * 3 + 1, 0, { person, cancel: true }));
      await driveAndKill(app!, tasks, 30 + 5 * round);
      deliveredBeforeLastStart = smtp.messages.length;
      app = await start();
    }
    // The kills came with writes still being processed (this counts requests sent and not answered).
    expect(kills.map((k) => k.writesInFlight).reduce((a, b) => a + b)).toBeGreaterThan(0);

    // The server is up on the same file, and the schema is whole.
    const health = await fetch(`${app!.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, database: "sqlite" });
    const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows;
    expect(migrations.map((m) => m.name)).toEqual(Object.keys(await migrationProvider("sqlite").getMigrations()).sort());
    expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([{ integrity_check: "ok" }]);
    expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);

    const registrations = await db.selectFrom("registrations").selectAll().where("convening_id", "=", conveningId).orderBy("id").execute();
    const byPerson = new Map(registrations.map((r) => [r.person_id, r]));

    // Every change the server acknowledged survived the kill that followed it.
    for (const person of people) {
      if (person.acknowledged.registered) expect(byPerson.has(person.id), person.name).toBe(true);
      if (person.acknowledged.cancelled) expect(byPerson.get(person.id)?.status, person.name).toBe("cancelled");
    }
    const acknowledged = people.filter((p) => p.acknowledged.registered).length;
    expect(acknowledged).toBeGreaterThanOrEqual(60);
    // Requests cut off by a kill either committed whole or left nothing.
    expect(registrations.length).toBeGreaterThanOrEqual(acknowledged);

    const tracks = await db.selectFrom("registration_tracks").select(["registration_id", "track_id"]).orderBy("registration_id").orderBy("track_id").execute();
    const audits = await db.selectFrom("audit_log").select(["subject_id", "action", "details"]).where("subject_type", "=", "registration").orderBy("id").execute();
    const mails = await db.selectFrom("mail_outbox").select(["person_id", "template"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    const people_ = new Map(people.map((p) => [p.id, p]));
    const promoted: string[] = [];
    for (const registration of registrations) {
      const person = people_.get(registration.person_id)!;
      // The registration came with its tracks.
      expect(tracks.filter((t) => t.registration_id === registration.id).map((t) => t.track_id), person.name).toEqual(person.tracks);
      // Its history is an unbroken chain from nothing to its present status, one audit entry and
      // one mail for every step, and nothing else.
      const steps = audits.filter((a) => a.subject_id === registration.id).map((a) => ({ action: a.action, ...(JSON.parse(a.details) as { from: string | null; to: string }) }));
      expect(steps.length, person.name).toBeGreaterThan(0);
      expect(steps[0]!.from, person.name).toBeNull();
      for (let i = 1; i < steps.length; i += 1) expect(steps[i]!.from, person.name).toBe(steps[i - 1]!.to);
      expect(steps.at(-1)!.to, person.name).toBe(registration.status);
      expect(steps.map((s) => s.action), person.name).toEqual(
        steps.map((s) => (s.from === null ? "registration.submitted" : s.to === "cancelled" ? "registration.cancelled" : "registration.promoted")),
      );
      expect(mails.filter((m) => m.person_id === registration.person_id).map((m) => m.template), person.name).toEqual(steps.map((s) => templateFor(s.from, s.to)));
      if (steps.some((s) => s.action === "registration.promoted")) promoted.push(registration.queued_at);
    }

    // Capacity: never exceeded, and no free place while someone waits.
    const count = (status: string) => registrations.filter((r) => r.status === status).length;
    expect(count("confirmed")).toBeLessThanOrEqual(CAPACITY);
    expect(count("waitlisted")).toBeGreaterThan(0);
    expect(count("confirmed")).toBe(CAPACITY);
    expect(count("confirmed") + count("waitlisted") + count("cancelled")).toBe(registrations.length);
    // Places were given to the waitlist in order: no one still waiting arrived before anyone promoted.
    expect(promoted.length).toBeGreaterThan(0);
    const waiting = registrations.filter((r) => r.status === "waitlisted").map((r) => r.queued_at);
    expect([...promoted].sort().at(-1)! <= [...waiting].sort()[0]!).toBe(true);

    // The restarted server carries on: it takes a registration whole, and its sender delivers the
    // mail left queued by the killed processes.
    const newcomer = await makePerson(db, "newcomer@example.org", "Newcomer");
    const session = (await createSession(db, newcomer)).split(";")[0]!;
    const from = await formClient(app!, session);
    expect(await post(app!, from, [["intent", "register"], ["displayName", "Newcomer"], ["attendance", "in_person"], ["tracks", String(people[0]!.tracks[0])]])).toBe(`${PATH}?done=submitted`);
    const registration = await db.selectFrom("registrations").select(["id", "status"]).where("person_id", "=", newcomer).executeTakeFirstOrThrow();
    expect(registration.status).toBe("waitlisted");
    expect(await db.selectFrom("mail_outbox").select("template").where("person_id", "=", newcomer).execute()).toEqual([{ template: "registration-waitlisted" }]);
    const deadline = Date.now() + 20_000;
    while (smtp.messages.length <= deliveredBeforeLastStart) {
      if (Date.now() > deadline) throw new Error("the restarted server delivered no mail");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(app!.stderr()).toBe("");
  }, 60_000);
});
