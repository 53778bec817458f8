import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { startSmtpSink, type SmtpSink } from "../../../tests/setup/smtp";
import { inTransaction } from "../db.server";
import { MAIL_PRIORITY, queueMail, queueMails, retryMail, whenMailWaits } from "./outbox.server";
import { MAX_ATTEMPTS, backoffMs, deliverDueMail } from "./sender.server";
import { fileTransport, smtpTransport, type MailTransport } from "./transport.server";

const FROM = "Convene <convene@example.org>";

describe.each(DATABASE_KINDS)("the mail outbox on %s", (kind) => {
  let t: TestDatabase;
  let smtp: SmtpSink;
  let transport: MailTransport;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    smtp = await startSmtpSink();
    transport = smtpTransport(smtp.url);
  });
  afterAll(async () => {
    transport.close();
    await smtp.stop();
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("mail_outbox").execute();
    smtp.messages.length = 0;
  });

  const signIn = (to: string, now = new Date("2027-02-01T09:00:00Z"), dedupeKey?: string) =>
    queueMail(t.db, { to, template: "sign-in", data: { link: "http://convene.test/login/verify?token=abc", code: "123456", minutes: 15 }, now, dedupeKey });

  it("nudges the sender once a transaction that queued mail commits, once per transaction, never for one rolled back", async () => {
    let nudges = 0;
    const stop = whenMailWaits(() => nudges++);
    try {
      await inTransaction(t.db, async (trx) => {
        await queueMail(trx, { to: "one@example.org", template: "sign-in", data: { link: "http://convene.test/l", code: "1", minutes: 15 } });
        await queueMail(trx, { to: "two@example.org", template: "sign-in", data: { link: "http://convene.test/l", code: "2", minutes: 15 } });
        expect(nudges).toBe(0);
      });
      expect(nudges).toBe(1);
      await expect(
        inTransaction(t.db, async (trx) => {
          await queueMail(trx, { to: "three@example.org", template: "sign-in", data: { link: "http://convene.test/l", code: "3", minutes: 15 } });
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
      expect(nudges).toBe(1);
      expect(await t.db.selectFrom("mail_outbox").select("to_address").orderBy("id").execute()).toEqual([{ to_address: "one@example.org" }, { to_address: "two@example.org" }]);
      await signIn("four@example.org");
      expect(nudges).toBe(2);
      await signIn("five@example.org", undefined, "same-key");
      await signIn("five@example.org", undefined, "same-key");
      expect(nudges).toBe(3);
    } finally {
      stop();
    }
  });

  it("delivers queued mail over SMTP with subject, text and HTML, and marks it sent", async () => {
    await signIn("one@example.org");
    await signIn("two@example.org");
    const result = await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:00:05Z") });
    expect(result).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => m.to && !Array.isArray(m.to) ? m.to.text : "").sort()).toEqual(["one@example.org", "two@example.org"]);
    expect(mails[0]!.subject).toBe("Your Convene sign-in link");
    expect(mails[0]!.from?.text).toBe('"Convene" <convene@example.org>');
    expect(mails[0]!.text).toContain("Sign in to Convene: http://convene.test/login/verify?token=abc");
    expect(mails[0]!.html).toContain('href="http://convene.test/login/verify?token=abc"');
    expect(mails[0]!.text).toContain("123456");
    const rows = await t.db.selectFrom("mail_outbox").select(["status", "attempts", "sent_at", "text_body", "html_body"]).execute();
    // A sign-in link is dropped from the outbox once it has been delivered.
    expect(rows).toEqual([
      { status: "sent", attempts: 1, sent_at: "2027-02-01T09:00:05.000Z", text_body: "", html_body: "" },
      { status: "sent", attempts: 1, sent_at: "2027-02-01T09:00:05.000Z", text_body: "", html_body: "" },
    ]);
    // Nothing is due any more: a second run sends nothing.
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:01:00Z") })).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it("sends a calendar invitation as a text/calendar part with its method and as an .ics attachment", async () => {
    const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Convene//Test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:7@convene.test\r\nSEQUENCE:2\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270614T090000Z\r\nDTEND:20270614T100000Z\r\nSUMMARY:Session\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    await queueMail(t.db, {
      to: "facilitator@example.org",
      template: "session-invitation",
      data: { name: "Ana", title: "Session", convening: "Meeting", kind: "update", when: "14 Jun 2027, 10:00", room: "Hall", link: "http://convene.test/s/7" },
      calendar: { method: "REQUEST", content: ics },
    });
    await deliverDueMail(t.db, transport, { from: FROM });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Moved: your session "Session" is now 14 Jun 2027, 10:00');
    const parts = mail!.attachments.map((a) => [a.contentType, a.filename ?? null, a.content.toString("utf8").includes("SEQUENCE:2")]);
    expect(parts).toContainEqual(["text/calendar", "invitation.ics", true]);
    const raw = mail!.attachments.find((a) => a.filename === "invitation.ics")!;
    expect(raw.headers.get("content-type")).toMatchObject({ value: "text/calendar", params: { method: "REQUEST", charset: "utf-8" } });
  });

  it("drops a second mail with the same dedupe key", async () => {
    expect(await signIn("dup@example.org", undefined, "k:1")).toEqual(expect.any(Number));
    expect(await signIn("dup@example.org", undefined, "k:1")).toBeNull();
    expect(await t.db.selectFrom("mail_outbox").select("id").execute()).toHaveLength(1);
  });

  it("keeps mail while the SMTP server is down, retries with backoff, and delivers each mail once when it is back", async () => {
    await signIn("a@example.org");
    await signIn("b@example.org");
    await signIn("c@example.org");
    await smtp.stop();
    const t0 = new Date("2027-02-01T09:00:00Z");
    const down = await deliverDueMail(t.db, transport, { from: FROM, now: () => t0 });
    // The first failure shows the server is unreachable, so the rest wait without an attempt.
    expect(down).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const afterFailure = await t.db.selectFrom("mail_outbox").select(["to_address", "status", "attempts", "next_attempt_at", "error"]).orderBy("id").execute();
    expect(afterFailure.map((r) => [r.to_address, r.status, r.attempts, r.next_attempt_at])).toEqual([
      ["a@example.org", "queued", 1, new Date(t0.getTime() + backoffMs(1)).toISOString()],
      ["b@example.org", "queued", 0, "2027-02-01T09:00:00.000Z"],
      ["c@example.org", "queued", 0, "2027-02-01T09:00:00.000Z"],
    ]);
    expect(afterFailure[0]!.error).toMatch(/ECONNREFUSED|connect/i);

    await smtp.restart();
    const later = new Date(t0.getTime() + backoffMs(1));
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => later })).toEqual({ sent: 3, retrying: 0, failed: 0 });
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date(later.getTime() + 3_600_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    const received = await smtp.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "")).sort()).toEqual(["a@example.org", "b@example.org", "c@example.org"]);
  });

  it("marks a mail failed after the last attempt, and an organizer's retry queues it again", async () => {
    const id = (await signIn("x@example.org"))!;
    const broken: MailTransport = { kind: "smtp", send: async () => { throw new Error("550 mailbox unavailable"); }, close() {} };
    let clock = new Date("2027-02-01T09:00:00Z").getTime();
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const result = await deliverDueMail(t.db, broken, { from: FROM, now: () => new Date(clock) });
      expect(result).toEqual(i < MAX_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0 } : { sent: 0, retrying: 0, failed: 1 });
      clock += backoffMs(i);
    }
    const failed = await t.db.selectFrom("mail_outbox").select(["status", "attempts", "error"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: "failed", attempts: MAX_ATTEMPTS, error: "550 mailbox unavailable" });
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date(clock + 86_400_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 });

    expect(await retryMail(t.db, { id, actorId: null, now: new Date(clock) })).toBe(true);
    expect(await retryMail(t.db, { id, actorId: null, now: new Date(clock) })).toBe(false);
    expect(await t.db.selectFrom("audit_log").select(["action", "subject_type", "subject_id"]).where("action", "=", "mail.retried").execute()).toEqual([{ action: "mail.retried", subject_type: "mail", subject_id: id }]);
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date(clock) })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    await smtp.waitFor(1);
  });

  it("keeps 200 mails through a long outage, backs off, and delivers each exactly once when the server is back on the same port", { timeout: 60_000 }, async () => {
    const t0 = new Date("2027-02-01T09:00:00Z");
    const at = (ms: number) => () => new Date(t0.getTime() + ms);
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) ids.push((await signIn(`crowd${i}@example.org`, t0))!);
    await smtp.stop();
    const port = smtp.port;

    /** Runs the sender until nothing due is left to try; a failed connection ends each run after one mail. */
    async function drain(now: () => Date) {
      const total = { sent: 0, retrying: 0, failed: 0, runs: 0 };
      for (;;) {
        const result = await deliverDueMail(t.db, transport, { from: FROM, now });
        total.runs += 1;
        total.sent += result.sent;
        total.retrying += result.retrying;
        total.failed += result.failed;
        if (result.sent + result.retrying + result.failed === 0) return total;
      }
    }
    const rows = () => t.db.selectFrom("mail_outbox").select(["id", "status", "attempts", "next_attempt_at", "error"]).orderBy("id").execute();

    // Down: every mail is tried once, fails, and waits 30 s.
    expect(await drain(at(0))).toEqual({ sent: 0, retrying: 200, failed: 0, runs: 201 });
    const first = await rows();
    expect(first.map((r) => [r.status, r.attempts, r.next_attempt_at])).toEqual(Array(200).fill(["queued", 1, new Date(t0.getTime() + backoffMs(1)).toISOString()]));
    expect(first.every((r) => /ECONNREFUSED|connect/i.test(r.error ?? ""))).toBe(true);
    // Before the backoff is over nothing is tried; after it, all fail again and wait twice as long.
    expect(await drain(at(backoffMs(1) - 1_000))).toEqual({ sent: 0, retrying: 0, failed: 0, runs: 1 });
    expect(await drain(at(backoffMs(1)))).toEqual({ sent: 0, retrying: 200, failed: 0, runs: 201 });
    const retryAt = backoffMs(1) + backoffMs(2);
    expect((await rows()).map((r) => [r.status, r.attempts, r.next_attempt_at])).toEqual(Array(200).fill(["queued", 2, new Date(t0.getTime() + retryAt).toISOString()]));

    // Back on the same port: still nothing before the backoff is over. Then everything, by eight
    // senders at once, as several processes would run them: each mail is claimed by one of them.
    await smtp.restart();
    expect(smtp.port).toBe(port);
    expect(await drain(at(retryAt - 1_000))).toEqual({ sent: 0, retrying: 0, failed: 0, runs: 1 });
    expect(smtp.messages).toHaveLength(0);
    const senders = await Promise.all(Array.from({ length: 8 }, () => drain(at(retryAt))));
    expect(senders.reduce((n, r) => n + r.sent, 0)).toBe(200);
    expect(senders.map((r) => r.retrying + r.failed)).toEqual(Array(8).fill(0));
    expect(await drain(at(retryAt + 86_400_000))).toEqual({ sent: 0, retrying: 0, failed: 0, runs: 1 });

    // Every mail arrived exactly once: none lost, none twice.
    await smtp.waitFor(200);
    await new Promise((r) => setTimeout(r, 300));
    const received = smtp.messages.map((m) => Number(m.headers.get("x-convene-mail-id")));
    expect(received).toHaveLength(200);
    expect([...received].sort((a, b) => a - b)).toEqual(ids);
    expect((await rows()).map((r) => [r.status, r.attempts, r.error])).toEqual(Array(200).fill(["sent", 3, null]));
  });

  const agendaChanged = (to: string, now = new Date("2027-02-01T09:00:00Z")) => ({
    to,
    template: "agenda-changed" as const,
    data: { name: "Ana", convening: "Meeting", version: 2, first: false, link: "http://convene.test/a", sessions: [] },
    now,
  });
  const confirmed = (to: string, now = new Date("2027-02-01T09:00:00Z")) =>
    queueMail(t.db, { to, template: "registration-confirmed", data: { name: "Ana", convening: "Meeting", link: "http://convene.test/r" }, now });
  const recipients = () => smtp.messages.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : ""));

  it("sends transactional mail (sign-in, registration status) before bulk mail queued earlier, then the rest oldest first", async () => {
    await queueMails(t.db, [agendaChanged("bulk1@example.org"), agendaChanged("bulk2@example.org")]);
    await confirmed("status@example.org", new Date("2027-02-01T09:00:02Z"));
    await queueMail(t.db, agendaChanged("bulk3@example.org", new Date("2027-02-01T09:00:03Z")));
    await signIn("signin@example.org", new Date("2027-02-01T09:00:04Z"));
    expect(await t.db.selectFrom("mail_outbox").select(["to_address", "template", "priority"]).orderBy("id").execute()).toEqual([
      { to_address: "bulk1@example.org", template: "agenda-changed", priority: MAIL_PRIORITY.bulk },
      { to_address: "bulk2@example.org", template: "agenda-changed", priority: MAIL_PRIORITY.bulk },
      { to_address: "status@example.org", template: "registration-confirmed", priority: MAIL_PRIORITY.transactional },
      { to_address: "bulk3@example.org", template: "agenda-changed", priority: MAIL_PRIORITY.bulk },
      { to_address: "signin@example.org", template: "sign-in", priority: MAIL_PRIORITY.transactional },
    ]);
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:00:05Z") })).toEqual({ sent: 5, retrying: 0, failed: 0 });
    await smtp.waitFor(5);
    expect(recipients()).toEqual(["status@example.org", "signin@example.org", "bulk1@example.org", "bulk2@example.org", "bulk3@example.org"]);
  });

  it("sends a sign-in mail queued while a bulk backlog is being sent right after the message in flight", async () => {
    await queueMails(t.db, Array.from({ length: 5 }, (_, i) => agendaChanged(`bulk${i}@example.org`)));
    // The sign-in is asked for while the first bulk message is on its way to the server.
    let queuedDuringSend = false;
    const watching: MailTransport = {
      kind: "smtp",
      async send(mail) {
        if (!queuedDuringSend) {
          queuedDuringSend = true;
          await signIn("door@example.org", new Date("2027-02-01T09:00:01Z"));
        }
        await transport.send(mail);
      },
      close() {},
    };
    expect(await deliverDueMail(t.db, watching, { from: FROM, now: () => new Date("2027-02-01T09:00:02Z") })).toEqual({ sent: 6, retrying: 0, failed: 0 });
    await smtp.waitFor(6);
    expect(recipients()).toEqual(["bulk0@example.org", "door@example.org", "bulk1@example.org", "bulk2@example.org", "bulk3@example.org", "bulk4@example.org"]);
  });

  it("does not hold bulk mail back behind a transactional mail that waits for its retry, and sends that one first once it is due", async () => {
    const waiting = (await signIn("later@example.org"))!;
    await t.db.updateTable("mail_outbox").set({ attempts: 1, next_attempt_at: "2027-02-01T09:10:00.000Z" }).where("id", "=", waiting).execute();
    await queueMails(t.db, [agendaChanged("bulk1@example.org"), agendaChanged("bulk2@example.org", new Date("2027-02-01T09:20:00Z"))]);
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:05:00Z") })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:30:00Z") })).toEqual({ sent: 2, retrying: 0, failed: 0 });
    await smtp.waitFor(3);
    expect(recipients()).toEqual(["bulk1@example.org", "later@example.org", "bulk2@example.org"]);
  });

  it("sends at most `batch` mails in one call, and none once its signal is aborted", async () => {
    await queueMails(t.db, Array.from({ length: 4 }, (_, i) => agendaChanged(`b${i}@example.org`)));
    const now = () => new Date("2027-02-01T09:00:05Z");
    expect(await deliverDueMail(t.db, transport, { from: FROM, now, batch: 3 })).toEqual({ sent: 3, retrying: 0, failed: 0 });
    const stopped = new AbortController();
    stopped.abort();
    expect(await deliverDueMail(t.db, transport, { from: FROM, now, signal: stopped.signal })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverDueMail(t.db, transport, { from: FROM, now })).toEqual({ sent: 1, retrying: 0, failed: 0 });
  });

  it("lets four senders drain a mixed queue together: each mail sent once, every transactional one before any bulk one", { timeout: 30_000 }, async () => {
    await queueMails(t.db, Array.from({ length: 60 }, (_, i) => agendaChanged(`bulk${i}@example.org`)));
    for (let i = 0; i < 20; i++) await confirmed(`status${i}@example.org`, new Date("2027-02-01T09:00:01Z"));
    const now = () => new Date("2027-02-01T09:00:05Z");
    const results = await Promise.all(Array.from({ length: 4 }, () => deliverDueMail(t.db, transport, { from: FROM, now })));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(80);
    await smtp.waitFor(80);
    await new Promise((r) => setTimeout(r, 200));
    const got = recipients();
    expect([...got].sort()).toEqual([...Array.from({ length: 60 }, (_, i) => `bulk${i}@example.org`), ...Array.from({ length: 20 }, (_, i) => `status${i}@example.org`)].sort());
    // Senders run side by side, so a bulk mail may be claimed while another sender still has a
    // transactional one on its way; none is claimed before every transactional one was claimed.
    const claimedLast = got.lastIndexOf(got.filter((r) => r.startsWith("status")).at(-1)!);
    expect(got.slice(0, claimedLast + 1).filter((r) => r.startsWith("bulk")).length).toBeLessThanOrEqual(3);
  });

  it("gives back mail held by a sender that died, once its lease is over", async () => {
    const id = (await signIn("lease@example.org"))!;
    await t.db.updateTable("mail_outbox").set({ status: "sending", locked_until: "2027-02-01T09:02:00.000Z" }).where("id", "=", id).execute();
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:01:00Z") })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverDueMail(t.db, transport, { from: FROM, now: () => new Date("2027-02-01T09:02:01Z") })).toEqual({ sent: 1, retrying: 0, failed: 0 });
  });
});

describe("the file transport (no SMTP configured)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-mail-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes each mail as an .eml file that parses back to the same message", async () => {
    const transport = fileTransport(dir);
    await transport.send({ id: 42, from: FROM, to: "ana@example.org", subject: "Hello ✓", text: "Plain body", html: "<p>HTML body</p>" });
    expect(fs.readdirSync(dir)).toEqual(["000042.eml"]);
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, "000042.eml")));
    expect(parsed.subject).toBe("Hello ✓");
    expect(parsed.text?.trim()).toBe("Plain body");
    expect(parsed.html).toBe("<p>HTML body</p>");
    expect(parsed.headers.get("x-convene-mail-id")).toBe("42");
  });
});
