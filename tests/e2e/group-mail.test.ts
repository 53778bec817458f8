// Mail to a group, end to end in Chromium with and without JavaScript: an organizer chooses
// confirmed registrants of a track who facilitate an accepted session, sees the exact count and
// the mails as each will receive them, queues it, and the real SMTP server receives exactly those
// mails; one recipient follows the unsubscribe link and is left out of the next message, but an
// essential message still reaches them, without a link. Others are refused the page (403).
// Each page is checked with axe; screenshots of the page go to /tmp/shots-group/.
import fs from "node:fs";
import type { AddressObject, ParsedMail } from "mailparser";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, waitForTitle } from "../setup/browser";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { convening, participant, proposal, registration, type TestPerson } from "../factories";
import { createSession } from "../../app/modules/auth/session.server";
import { cancelRegistration } from "../../app/modules/registration/registering.server";

const SHOTS = "/tmp/shots-group";
const FOOTER = "You receive this because of your participation in a Convene convening.";
const DURING = new Date("2027-02-01T12:00:00Z");

describe.each(BROWSER_DATABASE_KINDS)("mail to a group, on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let db: DB;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  const recipient = (mail: ParsedMail) => (mail.to as AddressObject | undefined)?.text ?? "";
  const header = (mail: ParsedMail, key: string) => mail.headerLines.find((h) => h.key === key)?.line ?? null;

  /** Every mail with this subject, once the outbox has sent all it queued with it; fails naming where they are. */
  async function delivered(subject: string, count: number): Promise<ParsedMail[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await db.selectFrom("mail_outbox").select(["to_address", "status", "error"]).where("subject", "=", subject).execute();
      const arrived = smtp.messages.filter((m) => m.subject === subject);
      if (rows.length === count && rows.every((r) => r.status === "sent") && arrived.length === count) return arrived.sort((a, b) => recipient(a).localeCompare(recipient(b)));
      if (Date.now() > deadline) throw new Error(`"${subject}": ${arrived.length} arrived, outbox holds ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The texts of the elements, read one by one (a page without scripts cannot evaluate a list at once). */
  async function texts(locator: Locator): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0, n = await locator.count(); i < n; i++) out.push(await locator.nth(i).innerText());
    return out;
  }

  /**
   * axe on the page as it is now. Without scripts axe cannot run in the page itself, so the very
   * HTML the server sent (its scripts removed) is checked in a page that runs them, at the same
   * address so that its styles load.
   */
  async function accessible(page: Page, javaScript: boolean) {
    if (javaScript) return expectAccessible(page);
    const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
    const checker = await openPage(browser);
    const at = `${app.url}/__as-served-without-scripts`;
    await checker.page.route(at, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
    await checker.page.goto(at);
    await expectAccessible(checker.page);
    await checker.context.close();
  }

  async function shoot(page: Page, name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: `${SHOTS}/${kind}-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** A convening with an organizer, two people in the group and four who are not, and their sessions. */
  async function setting(mode: string) {
    const c = await convening(db, { title: `Meeting ${mode}`, cfp: {} });
    const sexWork = c.track("Sex work");
    const p: Record<string, TestPerson> = {};
    for (const [name, tracks] of [["Ana", [sexWork]], ["Ben", [sexWork, c.track("HIV/AIDS")]], ["Cleo", [c.track("HIV/AIDS")]], ["Dan", [sexWork]], ["Eve", [sexWork]], ["Fay", [sexWork]]] as const) {
      p[name] = await participant(db, c.id, { name: `${name} ${mode}`, answers: { tracks: [...tracks] } });
    }
    // Ana, Ben, Cleo and Eve facilitate accepted sessions; Fay's is only submitted; Dan facilitates nothing; Eve cancels.
    await proposal(db, { conveningId: c.id, proposerId: p.Ana!.id, facilitators: [p.Ben!.id], status: "accepted", now: DURING });
    await proposal(db, { conveningId: c.id, proposerId: p.Cleo!.id, status: "accepted", now: DURING });
    await proposal(db, { conveningId: c.id, proposerId: p.Eve!.id, status: "accepted", now: DURING });
    await proposal(db, { conveningId: c.id, proposerId: p.Fay!.id, status: "submitted", now: DURING });
    await cancelRegistration(db, { conveningId: c.id, personId: p.Eve!.id });
    return { c, p };
  }

  async function writeMessage(page: Page, track: string, subject: string, body: string, essential: boolean) {
    await page.getByLabel("Registration status").selectOption("confirmed");
    await page.getByLabel("Track").selectOption({ label: track });
    await page.getByLabel("Facilitators only").check();
    await page.getByLabel("Subject", { exact: true }).fill(subject);
    await page.getByLabel("Message", { exact: true }).fill(body);
    if (essential) await page.getByLabel("Essential: logistics people cannot do without").check();
    await page.getByRole("button", { name: "Preview" }).click();
    await visible(page.getByRole("heading", { level: 2, name: "Preview" }));
  }

  const previewOf = (page: Page, name: string) => page.locator("li.card", { has: page.getByRole("heading", { level: 3, name: `Mail to ${name}` }) });

  async function queue(page: Page, label: string, slug: string) {
    await page.getByRole("button", { name: label }).click();
    await page.waitForURL((url) => url.pathname === `/organize/${slug}/messages` && url.searchParams.has("queued"));
  }

  for (const { javaScript } of scriptModes(kind)) {
    const mode = javaScript ? "js" : "html";
    it(`lets an organizer preview and queue messages to a filtered group, honours unsubscribing, and sends essential ones to all (${mode})`, { timeout: 120_000 }, async () => {
      const { c, p } = await setting(mode);
      const ana = p.Ana!;
      const ben = p.Ben!;
      const { page, context, errors } = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      await signInAs(context, db, app.url, c.organizerId);

      // From the organizer's convenings to the new page.
      await page.goto(`${app.url}/organize`);
      await visible(page.getByRole("heading", { level: 1, name: "Organizer tools" }));
      await accessible(page, javaScript);
      await page.locator("li.card", { has: page.getByRole("heading", { name: c.title }) }).getByRole("link", { name: "Mail to a group" }).click();
      await page.waitForURL(`${app.url}/organize/${c.slug}/messages`);
      await waitForTitle(page, `Mail to a group: ${c.title} · Convene`);
      if (javaScript) await waitForHydration(page);
      await visible(page.getByRole("heading", { level: 1, name: `Mail to a group: ${c.title}` }));
      await visible(page.getByText("No message to a group yet."));
      await visible(page.getByText("Never mark news, invitations or requests as essential.", { exact: false }));
      await accessible(page, javaScript);
      await shoot(page, `${mode}-form`);

      // Confirmed, in the Sex work track, facilitators only: Ana and Ben (not Cleo's track, not Dan, not Eve who cancelled, not Fay's submitted session).
      const subject = `Room change for facilitators (${mode})`;
      const body = "Your sessions move to room 2 on the first floor.\n\nThe lift is on the left of the entrance.";
      await writeMessage(page, "Sex work", subject, body, false);
      await expect.poll(() => page.locator("#preview-heading + p[role=status]").innerText(), SETTLED).toBe("2 people.");
      expect(await texts(page.locator("li.card h3"))).toEqual([`Mail to ${ana.name}`, `Mail to ${ben.name}`]);
      const anaPreview = await previewOf(page, ana.name).locator(".prewrap").innerText();
      const link = new RegExp(`^Hello ${ana.name},\\n\\nYour sessions move to room 2 on the first floor\\.\\n\\nThe lift is on the left of the entrance\\.\\n\\n— The organizers of ${c.title}\\n\\n--\\n\\n${FOOTER}\\n\\nStop these mails: (${app.url}/unsubscribe/${ana.id}-messages-[0-9a-f]{32})\\n?$`).exec(anaPreview);
      expect(link, anaPreview).not.toBeNull();
      await visible(previewOf(page, ana.name).getByText(`Subject: ${subject}`));
      await accessible(page, javaScript);
      await shoot(page, `${mode}-preview`);

      await queue(page, "Queue for 2 people", c.slug);
      await expect.poll(() => page.getByRole("status").first().innerText(), SETTLED).toBe(`Queued: “${subject}” goes to 2 people.`);
      const firstRow = page.locator("tbody tr").first();
      expect(await texts(firstRow.locator("td"))).toEqual([subject, "Organizer", expect.any(String), "2", "No"]);
      await accessible(page, javaScript);
      await shoot(page, `${mode}-list`);

      // Exactly Ana and Ben receive it, each alone on the To line, each with their own link.
      const first = await delivered(subject, 2);
      expect(first.map(recipient)).toEqual([ana.email, ben.email].sort());
      const anaMail = first.find((m) => recipient(m) === ana.email)!;
      const unsubscribe = link![1]!;
      expect(anaMail.text).toBe(`${anaPreview.replace(/\n?$/, "")}\n`);
      expect(anaMail.text).toBe(
        `Hello ${ana.name},\n\nYour sessions move to room 2 on the first floor.\n\nThe lift is on the left of the entrance.\n\n— The organizers of ${c.title}\n\n--\n\n${FOOTER}\n\nStop these mails: ${unsubscribe}\n`,
      );
      expect(/<([^>]+)>/.exec(header(anaMail, "list-unsubscribe")!)![1]).toBe(unsubscribe);
      const benMail = first.find((m) => recipient(m) === ben.email)!;
      expect(benMail.text).toContain(`Hello ${ben.name},\n\n`);
      expect(benMail.text).not.toContain(ana.email);
      expect(anaMail.text).not.toContain(ben.email);

      // Ana follows the link in her mail, without signing in, and turns these messages off.
      const visitor = await openPage(browser, { javaScript });
      await visitor.page.goto(unsubscribe);
      await visible(visitor.page.getByRole("heading", { level: 1, name: "Mail preferences" }));
      await visible(visitor.page.getByText("You currently receive messages from the organizers that are not essential."));
      await accessible(visitor.page, javaScript);
      if (javaScript) await waitForHydration(visitor.page);
      await visitor.page.getByRole("button", { name: "Unsubscribe" }).click();
      await visible(visitor.page.getByText("Done: you will no longer receive messages from the organizers that are not essential."));
      await visible(visitor.page.getByText("Messages the organizers mark essential (a change of venue, safety information, a change to the schedule on the day) still reach you."));
      await accessible(visitor.page, javaScript);
      expect(visitor.errors).toEqual([]);
      await visitor.context.close();
      expect((await db.selectFrom("people").select("messages_off").where("id", "=", ana.id).executeTakeFirstOrThrow()).messages_off).toBe(1);

      // The next message that is not essential leaves her out, and says so.
      const second = `Facilitators' dinner (${mode})`;
      await writeMessage(page, "Sex work", second, "Dinner is at eight.", false);
      await expect.poll(() => page.locator("#preview-heading + p[role=status]").innerText(), SETTLED).toBe("1 person; 1 left out because they turned this mail off.");
      expect(await texts(page.locator("li.card h3"))).toEqual([`Mail to ${ben.name}`]);
      await accessible(page, javaScript);
      await queue(page, "Queue for 1 person", c.slug);
      await expect.poll(() => page.getByRole("status").first().innerText(), SETTLED).toBe(`Queued: “${second}” goes to 1 person.`);
      expect((await delivered(second, 1)).map(recipient)).toEqual([ben.email]);

      // An essential message reaches her still, without an unsubscribe link.
      const essential = `Fire drill at 10:00 (${mode})`;
      await writeMessage(page, "Sex work", essential, "Leave by the nearest exit when the alarm sounds.", true);
      await expect.poll(() => page.locator("#preview-heading + p[role=status]").innerText(), SETTLED).toBe("2 people.");
      await visible(page.getByText("Essential: it reaches those who turned these messages off too, and carries no unsubscribe link."));
      expect(await previewOf(page, ana.name).locator(".prewrap").innerText()).not.toContain("Stop these mails");
      await accessible(page, javaScript);
      await queue(page, "Queue for 2 people", c.slug);
      await expect.poll(() => page.getByRole("status").first().innerText(), SETTLED).toBe(`Queued: “${essential}” goes to 2 people.`);
      const third = await delivered(essential, 2);
      expect(third.map(recipient)).toEqual([ana.email, ben.email].sort());
      const anaEssential = third.find((m) => recipient(m) === ana.email)!;
      expect(anaEssential.text).toBe(`Hello ${ana.name},\n\nLeave by the nearest exit when the alarm sounds.\n\n— The organizers of ${c.title}\n\n--\n\n${FOOTER}\n`);
      expect(header(anaEssential, "list-unsubscribe")).toBeNull();

      // The list shows all three, newest first.
      expect(await Promise.all([0, 1, 2].map((i) => texts(page.locator("tbody tr").nth(i).locator("td"))))).toEqual([
        [essential, "Organizer", expect.any(String), "2", "Yes"],
        [second, "Organizer", expect.any(String), "1", "No"],
        [subject, "Organizer", expect.any(String), "2", "No"],
      ]);
      await accessible(page, javaScript);
      await shoot(page, `${mode}-list-three`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("refuses the page to a participant and to an organizer of another convening, on GET and on a well-formed POST, and changes nothing", async () => {
    const { c, p } = await setting("refused");
    const elsewhere = await convening(db, { title: "Elsewhere" });
    await registration(db, { conveningId: elsewhere.id, personId: p.Dan!.id });
    const path = `/organize/${c.slug}/messages`;
    for (const personId of [p.Dan!.id, elsewhere.organizerId]) {
      const session = (await createSession(db, personId)).split(";")[0]!;
      // A page they may open gives them a real anti-forgery cookie and token.
      const account = await fetch(`${app.url}/account`, { headers: { Cookie: session } });
      const csrf = account.headers.getSetCookie().find((h) => h.startsWith("convene_csrf="))!.split(";")[0]!;
      const token = /<input type="hidden" name="csrf" value="([^"]+)"\/>/.exec(await account.text())![1]!;
      const cookie = `${session}; ${csrf}`;
      expect((await fetch(`${app.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(403);
      for (const intent of ["preview", "queue"]) {
        const fields = new URLSearchParams({ csrf: token, intent, status: "confirmed", subject: "Hello", body: "Hi all", token: "a".repeat(32), fingerprint: "0".repeat(64) });
        const response = await fetch(`${app.url}${path}`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: fields.toString(), redirect: "manual" });
        expect(response.status, `${intent} by ${personId}`).toBe(403);
      }
    }
    // In the browser, too.
    const { page, context } = await openPage(browser);
    await signInAs(context, db, app.url, p.Dan!.id);
    const response = await page.goto(`${app.url}${path}`);
    expect(response!.status()).toBe(403);
    await expectAccessible(page);
    await context.close();
    expect(await db.selectFrom("group_messages").select("id").where("convening_id", "=", c.id).execute()).toEqual([]);
    expect(await db.selectFrom("mail_outbox").select("id").where("template", "=", "group-message").where("convening_id", "=", c.id).execute()).toEqual([]);
  });
});
