// Two app processes on one PostgreSQL database, as behind a load balancer: both start at once on an
// empty database, sessions and forms work whichever process answers, registration capacity holds
// across them, and with both mail senders and job runners polling every second, every mail is
// delivered exactly once. PostgreSQL only: SQLite is for one process (docs/deployment.md).
import type { AddressObject, ParsedMail } from "mailparser";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../../app/modules/auth/session.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { queueMail } from "../../app/platform/mail/outbox.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { migrationProvider } from "../../db/migrations/index";
import { startApp, type RunningApp } from "../setup/app-server";
import { DATABASE_KINDS, emptyDatabaseUrl } from "../setup/databases";
import { makePerson } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const CAPACITY = 30;
const PEOPLE = 60;
const CANCELLING = 6;
const BURST = 150;
const REGISTER = "/convenings/together/register";

interface Client {
  cookie: string;
  token: string;
}

function recipient(mail: ParsedMail): string {
  return (mail.to as AddressObject | undefined)?.text ?? "";
}

function mailId(mail: ParsedMail): number {
  return Number(mail.headers.get("x-convene-mail-id"));
}

describe.skipIf(!DATABASE_KINDS.includes("postgres"))("two app processes on one PostgreSQL database", () => {
  let smtp: SmtpSink;
  let database: { url: string; drop: () => Promise<void> };
  let a: RunningApp | undefined;
  let b: RunningApp | undefined;
  let db: DB;
  let conveningId: number;
  let track: number;
  const people: Array<{ id: number; email: string; name: string; session: string }> = [];

  /** The session cookie plus the anti-forgery cookie and token of a page opened on `app`. */
  async function formClient(app: RunningApp, session: string, path: string): Promise<Client> {
    const response = await fetch(`${app.url}${path}`, { headers: session ? { Cookie: session } : {} });
    expect(response.status, path).toBe(200);
    const html = await response.text();
    const csrf = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="));
    const token = /<input type="hidden" name="csrf" value="([^"]+)"\/>/.exec(html)?.[1];
    if (!csrf || !token) throw new Error(`no anti-forgery cookie or token on ${path}`);
    return { cookie: [session, csrf.split(";")[0]].filter(Boolean).join("; "), token };
  }

  async function post(app: RunningApp, path: string, from: Client, fields: Array<[string, string]>): Promise<Response> {
    const response = await fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { Cookie: from.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...fields, ["csrf", from.token]]).toString(),
      redirect: "manual",
    });
    await response.arrayBuffer();
    return response;
  }

  async function waitForMail(address: string, subject: string): Promise<ParsedMail> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = smtp.messages.find((m) => recipient(m) === address && m.subject === subject);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const outboxSize = async () => (await db.selectFrom("mail_outbox").select("id").execute()).length;

  /** Signs in through the mail link: asked for on one process, the link followed on the other. */
  async function signInAcross(asked: RunningApp, followed: RunningApp, email: string): Promise<string> {
    const login = await formClient(asked, "", "/login");
    const requested = await post(asked, "/login", login, [["email", email]]);
    expect(requested.status).toBe(302);
    expect(requested.headers.get("location")).toBe("/login/code");
    const mail = await waitForMail(email, "Your Convene sign-in link");
    const link = new URL(/Sign in to Convene: (\S+)/.exec(mail.text ?? "")![1]!);
    expect(link.origin).toBe(asked.url);
    const verifyPath = `${link.pathname}${link.search}`;
    const verify = await formClient(followed, "", verifyPath);
    const signedIn = await post(followed, verifyPath, verify, [["token", link.searchParams.get("token")!]]);
    expect(signedIn.status).toBe(302);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith("convene_session="));
    if (!session) throw new Error("no session cookie after signing in");
    return session.split(";")[0]!;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    database = await emptyDatabaseUrl("postgres");
    const env = (name: string) => ({ SMTP_URL: smtp.url, JOB_INTERVAL_SECONDS: "1", MAIL_FROM: `Convene ${name} <${name.toLowerCase()}@convene.test>` });
    // Both start at the same moment on an empty database: the migrations run once, under Kysely's lock.
    [a, b] = await Promise.all([startApp({ databaseUrl: database.url, env: env("A") }), startApp({ databaseUrl: database.url, env: env("B") })]);
    db = openDatabase(database.url, { poolSize: 5 });
    const organizer = await makePerson(db, "organizer@example.org", "Organizers");
    conveningId = await createConvening(db, { slug: "together", title: "Together Meeting", startsOn: "2030-03-02", endsOn: "2030-03-04", timeZone: "America/Mexico_City", status: "published" });
    await updateRegistrationSettings(db, { conveningId, organizerId: organizer, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: CAPACITY, approvalRequired: false });
    track = (await listTracks(db, conveningId))[0]!.id;
    for (let i = 1; i <= PEOPLE; i += 1) {
      const email = `person-${i}@example.org`;
      const id = await makePerson(db, email, `Person ${i}`);
      // Signed in from the start, so that each test can act for them on its own.
      people.push({ id, email, name: `Person ${i}`, session: (await createSession(db, id)).split(";")[0]! });
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    await smtp?.stop();
  });

  it("migrates once when both start together", async () => {
    const rows = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows;
    expect(rows.map((r) => r.name)).toEqual(Object.keys(await migrationProvider("postgres").getMigrations()).sort());
    for (const app of [a!, b!]) expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("keeps a session and a form valid on either process", async () => {
    const queued = await outboxSize();
    // Signed in on B from a link asked for on A, and the other way round.
    people[0]!.session = await signInAcross(a!, b!, people[0]!.email);
    people[1]!.session = await signInAcross(b!, a!, people[1]!.email);
    for (const person of people.slice(0, 2)) {
      for (const app of [a!, b!]) {
        // A signed-in visitor is sent on from the sign-in page: the process knows the session.
        const response = await fetch(`${app.url}/login`, { headers: { Cookie: person.session }, redirect: "manual" });
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toBe("/");
      }
    }
    // One sign-in mail each, queued once.
    expect(await outboxSize()).toBe(queued + 2);
  });

  it("gives exactly the places there are, in arrival order, when people register through both at once", async () => {
    const queued = await outboxSize();
    // Each person opens the form on one process and sends it to the other; all at the same time.
    const responses = await Promise.all(
      people.map(async (person, i) => {
        const [opened, sent] = i % 2 === 0 ? [a!, b!] : [b!, a!];
        const from = await formClient(opened, person.session, REGISTER);
        return post(sent, REGISTER, from, [["intent", "register"], ["displayName", person.name], ["attendance", "in_person"], ["tracks", String(track)]]);
      }),
    );
    expect(responses.map((r) => [r.status, r.headers.get("location")])).toEqual(people.map(() => [302, `${REGISTER}?done=submitted`]));

    // In the order places were decided, the first CAPACITY are confirmed and the rest wait, numbered 1, 2, 3 …
    const rows = await db.selectFrom("registrations").select(["person_id", "status", "queued_at", "id"]).where("convening_id", "=", conveningId).orderBy("queued_at").orderBy("id").execute();
    expect(rows.map((r) => r.status)).toEqual([...Array(CAPACITY).fill("confirmed"), ...Array(PEOPLE - CAPACITY).fill("waitlisted")]);
    // Ids were taken under the same lock, so they follow the same order.
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((x, y) => x - y));
    const emailOf = new Map(people.map((p) => [p.id, p.email]));
    for (const [i, row] of rows.entries()) {
      const email = emailOf.get(row.person_id)!;
      if (row.status === "confirmed") {
        await waitForMail(email, "Your place at Together Meeting is confirmed");
      } else {
        const mail = await waitForMail(email, "You are on the waitlist for Together Meeting");
        expect(mail.text, email).toContain(`at number ${i - CAPACITY + 1}.`);
      }
    }

    // Confirmed people cancel through both processes at once: each place goes to the next in line.
    const leaving = rows.slice(0, CANCELLING);
    const cancelled = await Promise.all(
      leaving.map(async (row, i) => {
        const person = people.find((p) => p.id === row.person_id)!;
        const [opened, sent] = i % 2 === 0 ? [b!, a!] : [a!, b!];
        const from = await formClient(opened, person.session, REGISTER);
        return post(sent, REGISTER, from, [["intent", "cancel"]]);
      }),
    );
    expect(cancelled.map((r) => r.status)).toEqual(leaving.map(() => 302));
    const after = await db.selectFrom("registrations").select(["person_id", "status"]).where("convening_id", "=", conveningId).orderBy("queued_at").orderBy("id").execute();
    expect(after.map((r) => r.status)).toEqual([
      ...Array(CANCELLING).fill("cancelled"),
      ...Array(CAPACITY - CANCELLING).fill("confirmed"),
      ...Array(CANCELLING).fill("confirmed"),
      ...Array(PEOPLE - CAPACITY - CANCELLING).fill("waitlisted"),
    ]);
    for (const row of after.slice(CAPACITY, CAPACITY + CANCELLING)) await waitForMail(emailOf.get(row.person_id)!, "A place at Together Meeting is yours");
    // One mail per registration, then one per cancellation and one per place handed on, each queued once.
    expect(await outboxSize()).toBe(queued + PEOPLE + 2 * CANCELLING);
  });

  it("sends every mail exactly once while both senders and job runners work the same outbox", async () => {
    // Whatever the tests before queued is in the outbox too, and must also arrive exactly once.
    const queued = await outboxSize();
    // A burst queued at once, as a notice to everyone would be: both senders find it on their next round.
    for (let i = 1; i <= BURST; i += 1) {
      await queueMail(db, {
        to: `reader-${i}@example.org`,
        template: "registration-confirmed",
        data: { name: `Reader ${i}`, convening: "Together Meeting", link: "http://convene.test/convenings/together/register" },
        conveningId,
      });
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const waiting = await db.selectFrom("mail_outbox").select("id").where("status", "!=", "sent").execute();
      if (waiting.length === 0) break;
      if (Date.now() > deadline) throw new Error(`${waiting.length} mails not sent`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const outbox = await db.selectFrom("mail_outbox").select(["id", "to_address", "attempts"]).orderBy("id").execute();
    await smtp.waitFor(outbox.length);
    // Two more rounds of both runners: a mail sent twice would arrive now.
    await new Promise((r) => setTimeout(r, 2_500));

    expect(outbox.length).toBe(queued + BURST);
    expect(outbox.every((m) => m.attempts === 1)).toBe(true);
    const arrived = smtp.messages.map((m) => ({ id: mailId(m), to: recipient(m) })).sort((x, y) => x.id - y.id);
    expect(arrived).toEqual(outbox.map((m) => ({ id: m.id, to: m.to_address })));
    // Both processes did part of the sending.
    const senders = new Set(smtp.messages.map((m) => (m.from as AddressObject).value[0]!.address));
    expect([...senders].sort()).toEqual(["a@convene.test", "b@convene.test"]);

    // Neither process logged a failed job or anything else on stderr.
    expect(a!.stderr()).toBe("");
    expect(b!.stderr()).toBe("");
  }, 60_000);
});
