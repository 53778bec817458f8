// The outbox an organizer can read, in Chromium with and without JavaScript: filters by kind,
// state and recipient kept in the address, pages of older mail, a message's text (never the
// text of a sign-in mail, neither in the page nor in its data), why a mail was not delivered
// (a real SMTP server refusing a recipient with 550), and retrying it until it is delivered.
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { queueMail } from "../../app/platform/mail/outbox.server";
import { backoffMs, deliverDueMail, MAX_ATTEMPTS } from "../../app/platform/mail/sender.server";
import { smtpTransport, type MailTransport } from "../../app/platform/mail/transport.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration } from "../setup/browser";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { makePerson, signInAs } from "../setup/flows";
import { httpClient } from "../setup/http";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const SHOTS = "/tmp/shots-mail";
const FROM = "Convene <convene@example.org>";
const FILLERS = 55;

describe.each(BROWSER_DATABASE_KINDS)("the organizer's outbox, on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let transport: MailTransport;
  let organizer: number;
  const refused = new Set(["bounce@example.org", "bounce2@example.org"]);
  const busy = new Set(["slow@example.org"]);
  const ids: Record<string, number> = {};
  let fillerIds: number[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink(0, {
      rejectRecipient: (address) => (refused.has(address) ? `550 5.1.1 <${address}>: No such user here` : busy.has(address) ? "450 4.2.1 Mailbox busy, try later" : null),
    });
    // The server's own sender is off: the test runs the sender itself, with a clock it moves
    // past each backoff, so a refused mail reaches its last attempt within the test.
    app = await startApp({ kind, env: { SMTP_URL: smtp.url, MAIL_FROM: FROM, JOBS: "off" } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    transport = smtpTransport(smtp.url);
    organizer = await makePerson(db, "organizer@example.org", "Olu");
    await addSiteOrganizer(db, "organizer@example.org");
    fs.mkdirSync(SHOTS, { recursive: true });

    const ana = await makePerson(db, "ana@example.org", "Ana");
    const benedita = await makePerson(db, "bene@example.org", "Bene", { fullName: "Benedita Costa" });
    const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000);
    ids.confirmed = (await queueMail(db, { to: "ana@example.org", personId: ana, template: "registration-confirmed", data: { name: "Ana", convening: "Strategy meeting", link: `${app.url}/convenings/x/register` }, now: at(0) }))!;
    ids.agenda = (await queueMail(db, {
      to: "bene@example.org",
      personId: benedita,
      template: "agenda-changed",
      data: { name: "Bene", convening: "Strategy meeting", version: 2, first: false, link: `${app.url}/convenings/x/agenda`, sessions: [{ title: "Outreach without police", kind: "moved", when: "14 Jun 2027, 10:00", room: "Hall B" }] },
      now: at(1),
    }))!;
    ids.bounce = (await queueMail(db, { to: "bounce@example.org", template: "registration-received", data: { name: "Someone", convening: "Strategy meeting", link: `${app.url}/convenings/x/register` }, now: at(2) }))!;
    ids.bounce2 = (await queueMail(db, { to: "bounce2@example.org", template: "registration-received", data: { name: "Someone else", convening: "Strategy meeting", link: `${app.url}/convenings/x/register` }, now: at(3) }))!;
    fillerIds = [];
    for (let i = 0; i < FILLERS; i++) {
      fillerIds.push((await queueMail(db, { to: `filler${i}@example.org`, template: "proposal-submitted", data: { name: `Filler ${i}`, title: `Session ${i}`, convening: "Strategy meeting", link: `${app.url}/p/${i}` }, now: at(4) }))!);
    }
  });
  afterAll(async () => {
    transport?.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  /** The rows of the outbox table as they read: recipient, kind and state. */
  async function rows(page: Page): Promise<string[][]> {
    return page.locator("table tbody tr").evaluateAll((trs) => trs.map((tr) => [0, 1, 3].map((i) => (tr.children[i]!.querySelector(".status") ?? tr.children[i]!).textContent!.trim())));
  }
  async function filter(page: Page, choice: { kind?: string; state?: string; to?: string }) {
    await page.getByLabel("Kind of message").selectOption({ label: choice.kind ?? "Any kind" });
    await page.getByLabel("State").selectOption({ label: choice.state ?? "Any state" });
    await page.getByLabel("Recipient").fill(choice.to ?? "");
    await page.getByRole("button", { name: "Filter" }).click();
  }
  const url = (page: Page) => new URL(page.url());
  /** The facts about a message, term by term. */
  const facts = (page: Page): Promise<Record<string, string>> =>
    page.locator("dl.facts").evaluate((dl) => {
      const out: Record<string, string> = {};
      for (const dt of dl.querySelectorAll("dt")) out[dt.textContent!.trim()] = (dt.nextElementSibling as HTMLElement).textContent!.trim();
      return out;
    });

  it("hides the text of a sign-in mail from the page and from its data, even while it waits with its link", async () => {
    // A sign-in asked for through the real form: its link waits in the outbox until it is sent.
    const { page: door, context: doorContext } = await openPage(browser, { javaScript: false });
    await door.goto(`${app.url}/login`);
    await door.getByLabel("Email address").fill("carla@example.org");
    await door.getByRole("button", { name: "Send me a sign-in link" }).click();
    await door.waitForURL(`${app.url}/login/code`);
    await doorContext.close();
    const signIn = await db.selectFrom("mail_outbox").select(["id", "text_body", "html_body"]).where("template", "=", "sign-in").executeTakeFirstOrThrow();
    ids.signIn = signIn.id;
    const link = /Sign in to Convene: (\S+)/.exec(signIn.text_body)![1]!;
    const token = new URL(link).searchParams.get("token")!;
    const code = /^(\d{6})$/m.exec(signIn.text_body)![1]!;
    expect(token.length).toBeGreaterThan(20);

    for (const { javaScript } of scriptModes(kind)) {
      const { page, context, errors } = await openPage(browser, { javaScript });
      await signInAs(context, db, app.url, organizer);
      const answer = await page.goto(`${app.url}/organize/mail/${signIn.id}`);
      expect(answer!.status()).toBe(200);
      await visible(page.getByRole("heading", { level: 1, name: "Message to carla@example.org" }));
      await visible(page.getByText("The text of this message is not shown because it holds a sign-in link that only its recipient may use."));
      expect(await facts(page)).toMatchObject({ To: "carla@example.org", Kind: "Sign-in link and code", State: "Waiting", Attempts: "0", Sent: "Not yet" });
      const html = await page.content();
      const raw = await answer!.text();
      for (const secret of [token, code, link, "/login/verify"]) {
        expect(html.includes(secret), `page shows ${secret}`).toBe(false);
        expect(raw.includes(secret), `page source holds ${secret}`).toBe(false);
      }
      if (javaScript) {
        await waitForHydration(page);
        await expectAccessible(page);
        // The data the client router loads for this page holds no body either.
        const routeData = await page.evaluate(async (address) => (await fetch(address)).text(), `/organize/mail/${signIn.id}.data`);
        expect(routeData).toContain("carla@example.org");
        for (const secret of [token, code, link, "/login/verify"]) expect(routeData.includes(secret), `route data holds ${secret}`).toBe(false);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("records why refused mail was not delivered, after its last attempt; and mail the server asks to wait for, with its next attempt", { timeout: 120_000 }, async () => {
    let clock = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await deliverDueMail(db, transport, { from: FROM, now: () => new Date(clock) });
      clock += backoffMs(attempt);
    }
    await smtp.waitFor(FILLERS + 3);
    const states = await db.selectFrom("mail_outbox").select(["id", "status", "attempts", "error", "text_body"]).where("id", "in", [ids.confirmed!, ids.agenda!, ids.bounce!, ids.bounce2!, ids.signIn!]).orderBy("id").execute();
    expect(states.map((s) => [s.id, s.status, s.attempts])).toEqual([
      [ids.confirmed, "sent", 1],
      [ids.agenda, "sent", 1],
      [ids.bounce, "failed", MAX_ATTEMPTS],
      [ids.bounce2, "failed", MAX_ATTEMPTS],
      [ids.signIn, "sent", 1],
    ]);
    expect(states.find((s) => s.id === ids.bounce)!.error).toMatch(/550.*No such user here/);
    // Mail that a busy server asks to come back for waits with its error and a next attempt.
    ids.slow = (await queueMail(db, { to: "slow@example.org", template: "registration-waitlisted", data: { name: "Slow", convening: "Strategy meeting", link: `${app.url}/r`, position: 3 } }))!;
    expect(await deliverDueMail(db, transport, { from: FROM })).toEqual({ sent: 0, retrying: 1, failed: 0 });
  });

  for (const { javaScript } of scriptModes(kind)) {
    it(`filters by kind, state and recipient, keeps them in the address, and pages older mail (${javaScript ? "with" : "without"} JavaScript)`, { timeout: 60_000 }, async () => {
      const { page, context, errors } = await openPage(browser, { javaScript });
      await signInAs(context, db, app.url, organizer);
      await page.goto(`${app.url}/organize/mail`);
      await visible(page.getByRole("heading", { level: 1, name: "Mail outbox" }));
      if (javaScript) {
        await waitForHydration(page);
        await expectAccessible(page);
      }
      // Newest first, 50 a page: the waiting mail, then the sign-in, then the newest fillers.
      const first = await rows(page);
      expect(first).toHaveLength(50);
      expect(first.slice(0, 3)).toEqual([
        ["slow@example.org", "Registration on the waiting list", "Waiting"],
        ["carla@example.org", "Sign-in link and code", "Sent"],
        [`filler${FILLERS - 1}@example.org`, "Proposal submitted", "Sent"],
      ]);
      await page.getByRole("link", { name: "Older messages" }).click();
      await expect.poll(() => url(page).searchParams.get("before"), SETTLED).toBe(String(fillerIds[FILLERS - 48]));
      await expect.poll(async () => (await rows(page)).length, SETTLED).toBe(61 - 50);
      const second = await rows(page);
      expect(second.map((r) => r[0])).toEqual([...fillerIds.slice(0, FILLERS - 48).map((_, i) => `filler${FILLERS - 49 - i}@example.org`), "bounce2@example.org", "bounce@example.org", "bene@example.org", "ana@example.org"]);
      expect(await page.getByRole("link", { name: "Older messages" }).count()).toBe(0);
      await page.getByRole("link", { name: "Newest messages" }).click();
      await expect.poll(() => url(page).searchParams.has("before"), SETTLED).toBe(false);

      await filter(page, { kind: "Agenda published or changed" });
      await expect.poll(() => rows(page), SETTLED).toEqual([["bene@example.org", "Agenda published or changed", "Sent"]]);
      expect(url(page).searchParams.get("kind")).toBe("agenda-changed");
      if (javaScript) await expectAccessible(page);

      // (The run with JavaScript retried the first refused mail, and it was delivered.)
      await filter(page, { state: "Failed" });
      await expect.poll(() => rows(page), SETTLED).toEqual([
        ["bounce2@example.org", "Registration received", "Failed"],
        ...(javaScript ? [["bounce@example.org", "Registration received", "Failed"]] : []),
      ]);
      expect(url(page).searchParams.get("state")).toBe("failed");

      await filter(page, { state: "Waiting" });
      await expect.poll(() => rows(page), SETTLED).toEqual([["slow@example.org", "Registration on the waiting list", "Waiting"]]);

      // By a person's name (here the private full name an organizer may see), or part of an address.
      await filter(page, { to: "benedita" });
      await expect.poll(() => rows(page), SETTLED).toEqual([["bene@example.org", "Agenda published or changed", "Sent"]]);
      await filter(page, { to: "BOUNCE2" });
      await expect.poll(() => rows(page), SETTLED).toEqual([["bounce2@example.org", "Registration received", "Failed"]]);
      await filter(page, { to: "_" });
      await expect.poll(() => page.getByText("No messages here.").count(), SETTLED).toBe(1);

      // Together, and the page reached again from its address alone.
      await filter(page, { kind: "Proposal submitted", state: "Sent", to: "filler1" });
      await expect.poll(() => rows(page), SETTLED).toEqual(
        ["filler19", "filler18", "filler17", "filler16", "filler15", "filler14", "filler13", "filler12", "filler11", "filler10", "filler1"].map((f) => [`${f}@example.org`, "Proposal submitted", "Sent"]),
      );
      const address = page.url();
      expect(Object.fromEntries(url(page).searchParams)).toEqual({ kind: "proposal-submitted", state: "sent", to: "filler1" });
      await page.goto(address);
      expect(await rows(page)).toHaveLength(11);
      expect(await page.getByLabel("Kind of message").inputValue()).toBe("proposal-submitted");
      expect(await page.getByLabel("State").inputValue()).toBe("sent");
      expect(await page.getByLabel("Recipient").inputValue()).toBe("filler1");
      // Paging keeps the filter: 55 fillers, 50 on the first page and 5 on the next.
      await filter(page, { kind: "Proposal submitted" });
      await page.getByRole("link", { name: "Older messages" }).click();
      await expect.poll(async () => (await rows(page)).map((r) => r[0]), SETTLED).toEqual(["filler4", "filler3", "filler2", "filler1", "filler0"].map((f) => `${f}@example.org`));
      expect(url(page).searchParams.get("kind")).toBe("proposal-submitted");
      if (javaScript) await expectAccessible(page);

      if (javaScript) {
        await page.getByRole("link", { name: "Show all messages" }).click();
        await expect.poll(async () => (await rows(page)).length, SETTLED).toBe(50);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/outbox-${kind}-${width}.png`, fullPage: true });
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        }
      }
      expect(errors).toEqual([]);
      await context.close();
    });

    it(`opens a message to read it, and a refused one to see why and retry it (${javaScript ? "with" : "without"} JavaScript)`, { timeout: 60_000 }, async () => {
      const { page, context, errors, failedLoads } = await openPage(browser, { javaScript });
      await signInAs(context, db, app.url, organizer);
      await page.goto(`${app.url}/organize/mail?kind=agenda-changed`);
      await page.getByRole("row").filter({ hasText: "bene@example.org" }).getByRole("link").click();
      await page.waitForURL(`${app.url}/organize/mail/${ids.agenda}`);
      await visible(page.getByRole("heading", { level: 1, name: "Message to bene@example.org" }));
      const text = (await db.selectFrom("mail_outbox").select("text_body").where("id", "=", ids.agenda!).executeTakeFirstOrThrow()).text_body;
      expect(text).toContain("Outreach without police");
      expect((await page.locator("pre").innerText()).trim()).toBe(text.trim());
      expect(await facts(page)).toMatchObject({ To: "bene@example.org", "Shown name": "Bene", Kind: "Agenda published or changed", State: "Sent", Attempts: "1" });
      expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(0);
      if (javaScript) {
        await waitForHydration(page);
        await expectAccessible(page);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/message-${kind}-${width}.png`, fullPage: true });
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        }
      }

      // Waiting after a temporary refusal: why, and when the next attempt is; no retry button yet.
      await page.goto(`${app.url}/organize/mail/${ids.slow}`);
      await visible(page.getByRole("heading", { level: 2, name: "Why it has not been delivered yet" }));
      await visible(page.getByText("The mail server asked Convene to try again later."));
      expect(await page.locator("section.panel code").innerText()).toMatch(/4\.2\.1 Mailbox busy/);
      expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(0);
      if (javaScript) await expectAccessible(page);

      // Refused: why in plain words, the server's answer, and a retry.
      const target = javaScript ? ids.bounce! : ids.bounce2!;
      const address = javaScript ? "bounce@example.org" : "bounce2@example.org";
      await page.goto(`${app.url}/organize/mail?state=failed`);
      await page.getByRole("row").filter({ hasText: address }).getByRole("link").click();
      await page.waitForURL(`${app.url}/organize/mail/${target}`);
      await visible(page.getByRole("heading", { level: 2, name: "Why it was not delivered" }));
      await visible(page.getByText("The recipient's mail server refused this address: it may be mistyped or no longer exist. Check the address with the person before you retry."));
      await visible(page.getByText(`Convene gave up after ${MAX_ATTEMPTS} attempts. Retry when the cause is fixed.`));
      expect(await page.locator("section.panel code").innerText()).toMatch(/550 5\.1\.1 <bounce2?@example\.org>: No such user here/);
      expect(await page.locator("pre").innerText()).toContain("Someone");
      if (javaScript) {
        await waitForHydration(page);
        await expectAccessible(page);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/failed-${kind}-${width}.png`, fullPage: true });
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        }
      }
      // The address is fixed at the server's end; the organizer retries.
      refused.delete(address);
      await page.getByRole("button", { name: "Retry now" }).click();
      await visible(page.getByText("The message is back in the queue and will be sent shortly."));
      await expect.poll(() => page.locator("dl.facts .status").innerText(), SETTLED).toBe("Waiting");
      if (javaScript) await expectAccessible(page);
      expect(await db.selectFrom("mail_outbox").select(["status", "attempts"]).where("id", "=", target).executeTakeFirstOrThrow()).toEqual({ status: "queued", attempts: 0 });
      expect(await db.selectFrom("audit_log").select(["actor_id", "subject_id"]).where("action", "=", "mail.retried").where("subject_id", "=", target).execute()).toEqual([{ actor_id: organizer, subject_id: target }]);

      // The sender delivers it now; the page says so.
      // (The mail the busy server asked to wait for may be due again by now, and wait again.)
      const before = smtp.messages.length;
      expect(await deliverDueMail(db, transport, { from: FROM })).toMatchObject({ sent: 1, failed: 0 });
      await smtp.waitFor(before + 1);
      expect((smtp.messages[before]!.to as { text: string }).text).toBe(address);
      await page.goto(`${app.url}/organize/mail/${target}`);
      await expect.poll(() => page.locator("dl.facts .status").innerText(), SETTLED).toBe("Sent");
      expect(await page.getByRole("heading", { name: "Why it was not delivered" }).count()).toBe(0);

      // A retry of a mail that is not failed (a second click, an old page) is refused and changes nothing.
      const client = await httpClient(db, organizer);
      const stale = await fetch(`${app.url}/organize/mail/${target}`, { method: "POST", redirect: "manual", headers: { cookie: client.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf: client.token, intent: "retry" }) });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain("Only failed messages can be retried.");
      expect(await db.selectFrom("mail_outbox").select(["status", "attempts"]).where("id", "=", target).executeTakeFirstOrThrow()).toEqual({ status: "sent", attempts: 1 });
      expect(errors).toEqual([]);
      expect(failedLoads).toEqual([]);
      await context.close();
    });
  }

  it("is for site organizers only", async () => {
    const participant = await makePerson(db, "someone@example.org", "Someone");
    const { page, context } = await openPage(browser);
    await signInAs(context, db, app.url, participant);
    expect((await page.goto(`${app.url}/organize/mail/${ids.agenda}`))!.status()).toBe(403);
    expect((await page.goto(`${app.url}/organize/mail`))!.status()).toBe(403);
    await context.close();
    const anonymous = await fetch(`${app.url}/organize/mail/${ids.agenda}`, { redirect: "manual" });
    expect([anonymous.status, anonymous.headers.get("location")?.startsWith("/login")]).toEqual([302, true]);
    const missing = await openPage(browser);
    await signInAs(missing.context, db, app.url, organizer);
    expect((await missing.page.goto(`${app.url}/organize/mail/999999`))!.status()).toBe(404);
    expect((await missing.page.goto(`${app.url}/organize/mail/not-a-number`))!.status()).toBe(404);
    await missing.context.close();
  });
});
