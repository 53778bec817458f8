// A person at the door cannot wait for a bulk send: with 1,000 agenda-change mails waiting and
// an SMTP server that takes 20 ms over each message, a sign-in asked for through the real form
// while the server's sender works through that backlog arrives within 5 seconds, and every bulk
// mail still arrives exactly once — in Chromium (with and without JavaScript), on SQLite and
// PostgreSQL.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type DB } from "../../app/platform/db.server";
import { queueMails } from "../../app/platform/mail/outbox.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage } from "../setup/browser";
import { DATABASE_KINDS, emptyDatabaseUrl } from "../setup/databases";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const BULK = 1_000;
const bulkAddress = (i: number) => `member${String(i).padStart(4, "0")}@example.org`;
const recipientOf = (m: SmtpSink["messages"][number]) => (m.to && !Array.isArray(m.to) ? m.to.text : "");

describe.each(DATABASE_KINDS)("transactional mail before bulk mail, on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpSink(0, { delayMs: 20 });
    // The backlog is in the outbox before the server starts, as after a publication to everyone:
    // the server's first round of jobs starts sending it.
    const empty = await emptyDatabaseUrl(kind);
    dropDatabase = empty.drop;
    db = openDatabase(empty.url);
    await migrateToLatest(db);
    const at = new Date();
    await queueMails(
      db,
      Array.from({ length: BULK }, (_, i) => ({
        to: bulkAddress(i),
        template: "agenda-changed" as const,
        data: { name: `Member ${i}`, convening: "Strategy meeting", version: 2, first: false, link: "http://convene.test/agenda", sessions: [] },
        dedupeKey: `agenda:2:${i}`,
        now: at,
      })),
    );
    app = await startApp({ databaseUrl: empty.url, env: { SMTP_URL: smtp.url, MAIL_FROM: "Convene <convene@example.org>" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.destroy();
    await dropDatabase?.();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  /** Asks for a sign-in on /login as a person would, and waits for that mail at the SMTP server; returns how long it took from the click. */
  async function signInArrivesAfter(address: string, javaScript: boolean): Promise<number> {
    const { page, context, errors } = await openPage(browser, { javaScript });
    await page.goto(`${app.url}/login`);
    if (javaScript) await expectAccessible(page);
    await page.getByLabel("Email address").fill(address);
    const asked = Date.now();
    await page.getByRole("button", { name: "Send me a sign-in link" }).click();
    await page.waitForURL(`${app.url}/login/code`);
    while (!smtp.messages.some((m) => recipientOf(m) === address)) {
      if (Date.now() - asked > 30_000) throw new Error(`no sign-in mail for ${address} after 30 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const took = Date.now() - asked;
    if (javaScript) await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
    return took;
  }

  it("delivers sign-in mail within 5 s while 1,000 bulk mails are being sent, and every bulk mail exactly once", { timeout: 240_000 }, async () => {
    // The sender is busy with the backlog: some bulk mail has arrived, most is still waiting.
    while (smtp.messages.length < 20) await new Promise((r) => setTimeout(r, 20));

    const withScript = await signInArrivesAfter("door@example.org", true);
    const bulkBeforeSecond = smtp.messages.length;
    const withoutScript = await signInArrivesAfter("nojs@example.org", false);
    expect({ withScript: withScript < 5_000, withoutScript: withoutScript < 5_000 }, `sign-in arrived after ${withScript} ms and ${withoutScript} ms`).toEqual({ withScript: true, withoutScript: true });
    // Both went out in the middle of the backlog, not after it.
    expect(bulkBeforeSecond).toBeLessThan(BULK / 2);
    const waitingAfter = await db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "in", ["queued", "sending"]).executeTakeFirstOrThrow();
    expect(Number(waitingAfter.n)).toBeGreaterThan(0);

    // The backlog is still sent in full: each bulk recipient receives exactly one message.
    await smtp.waitFor(BULK + 2, 200_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const perRecipient = new Map<string, number>();
    for (const m of smtp.messages) perRecipient.set(recipientOf(m), (perRecipient.get(recipientOf(m)) ?? 0) + 1);
    const expected = new Map<string, number>([...Array.from({ length: BULK }, (_, i) => [bulkAddress(i), 1] as const), ["door@example.org", 1], ["nojs@example.org", 1]]);
    expect(Object.fromEntries([...perRecipient].sort())).toEqual(Object.fromEntries([...expected].sort()));
    const rows = await db.selectFrom("mail_outbox").select(["status", "attempts"]).select((eb) => eb.fn.countAll<number>().as("n")).groupBy(["status", "attempts"]).execute();
    expect(rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual([{ status: "sent", attempts: 1, n: BULK + 2 }]);
  });
});
