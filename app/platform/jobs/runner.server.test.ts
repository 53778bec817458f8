import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { queueMail, queueMails } from "../mail/outbox.server";
import type { MailTransport, OutgoingMail } from "../mail/transport.server";
import { startJobRunner, type Job } from "./runner.server";

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mail server that takes `ms` per message and records what it got, and how many it held at once. */
function slowTransport(ms: number) {
  const sent: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: MailTransport = {
    kind: "smtp",
    async send(mail: OutgoingMail) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(ms);
      inFlight -= 1;
      sent.push(mail.to);
    },
    close() {},
  };
  return { transport, sent, maxInFlight: () => maxInFlight };
}

describe.each(DATABASE_KINDS)("the server's job runner and its mail lane, on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("mail_outbox").execute();
  });

  const signIn = (to: string) => queueMail(t.db, { to, template: "sign-in", data: { link: "http://convene.test/l", code: "123456", minutes: 15 } });
  const bulk = (count: number) =>
    queueMails(
      t.db,
      Array.from({ length: count }, (_, i) => ({ to: `bulk${i}@example.org`, template: "agenda-changed" as const, data: { name: "A", convening: "M", version: 2, first: false, link: "http://convene.test/a", sessions: [] } })),
    );
  async function until(check: () => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  it("sends mail it is nudged for while a slow job of the round is still running", async () => {
    const mail = slowTransport(1);
    let slowDone = false;
    const slow: Job = { name: "slow", run: () => sleep(1_500).then(() => (slowDone = true)) };
    const runner = startJobRunner({ db: t.db, transport: mail.transport, mailFrom: "x@example.org", now: () => new Date() }, [slow], HOUR);
    try {
      await sleep(50);
      await signIn("door@example.org");
      runner.kickMail();
      await until(() => mail.sent.length === 1, 1_000);
      expect([mail.sent, slowDone]).toEqual([["door@example.org"], false]);
    } finally {
      await runner.stop();
    }
  });

  it("runs one drain at a time: a nudge during a drain starts no second sender, and the sign-in it announces goes out next", async () => {
    const mail = slowTransport(15);
    await bulk(30);
    const runner = startJobRunner({ db: t.db, transport: mail.transport, mailFrom: "x@example.org", now: () => new Date() }, [], HOUR);
    try {
      runner.kickMail();
      await until(() => mail.sent.length >= 5, 5_000);
      await signIn("door@example.org");
      for (let i = 0; i < 5; i++) runner.kickMail();
      await until(() => mail.sent.length === 31, 10_000);
      await sleep(100);
      expect(mail.sent).toHaveLength(31);
      expect(new Set(mail.sent).size).toBe(31);
      expect(mail.maxInFlight()).toBe(1);
      // Sent right after the message that was on its way when it was queued.
      expect(mail.sent.indexOf("door@example.org")).toBeLessThanOrEqual(7);
    } finally {
      await runner.stop();
    }
  });

  it("stops in the middle of a backlog without sending the rest, and leaves it queued for the next start", async () => {
    const mail = slowTransport(20);
    await bulk(100);
    const runner = startJobRunner({ db: t.db, transport: mail.transport, mailFrom: "x@example.org", now: () => new Date() }, [], HOUR);
    runner.kickMail();
    await until(() => mail.sent.length >= 3, 5_000);
    const asked = Date.now();
    await runner.stop();
    expect(Date.now() - asked).toBeLessThan(500);
    const sentWhenStopped = mail.sent.length;
    expect(sentWhenStopped).toBeLessThan(20);
    const states = await t.db.selectFrom("mail_outbox").select("status").select((eb) => eb.fn.countAll<number>().as("n")).groupBy("status").orderBy("status").execute();
    expect(states.map((s) => [s.status, Number(s.n)])).toEqual([
      ["queued", 100 - sentWhenStopped],
      ["sent", sentWhenStopped],
    ]);
    runner.kickMail();
    await sleep(100);
    expect(mail.sent).toHaveLength(sentWhenStopped);
  });
});
