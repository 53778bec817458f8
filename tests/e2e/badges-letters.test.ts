// Name badges and visa invitation letters in Chromium against the real server with a real SMTP
// server, with JavaScript and without. An organizer prints badges from the registrations page
// (the PDF shows chosen names, pronouns and consented organizations, never full names); writes
// the letter template (an unknown placeholder is refused beside the field); a participant asks
// for a letter, cannot download it before approval; the organizer approves; the participant is
// mailed and downloads their letter, which nobody else can.
import fs from "node:fs";
import type { AddressObject } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { readPdf } from "../setup/pdf";
import { convening, participant, person, unique, type TestPerson } from "../factories";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const MEETING = "Lisbon Strategy Meeting";
const SHOTS = "/tmp/shots-pdf";
const BODY = "To the Consulate,\n\nWe invite {fullName}, {nationality}, passport {passportNumber}, to {conveningTitle} on {dates} at {venue}.";

describe.each(BROWSER_DATABASE_KINDS)("badges and visa letters on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  const opened: WatchedPage[] = [];
  let checker: Page | undefined;

  let slug: string;
  let organizer: number;
  let conveningId: number;
  let ana: TestPerson;
  let boris: TestPerson;

  async function pageAs(personId: number, javaScript: boolean, width = 1280): Promise<Page> {
    const watched = await openPage(browser, { javaScript, viewport: { width, height: 900 } });
    await signInAs(watched.context, db, app.url, personId);
    opened.push(watched);
    return watched.page;
  }
  async function go(page: Page, path: string, javaScript: boolean) {
    await page.goto(`${app.url}${path}`);
    if (javaScript) await waitForHydration(page);
  }
  /** axe on the page; without JavaScript the server's HTML is checked in a page that runs scripts. */
  async function accessible(page: Page, javaScript: boolean) {
    if (javaScript) return expectAccessible(page);
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    if (!checker) {
      const watched = await openPage(browser);
      opened.push(watched);
      checker = watched.page;
    }
    const at = `${app.url}/accessibility-check-${unique()}`;
    await checker.route(at, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
    await checker.goto(at);
    await expectAccessible(checker);
    await checker.unroute(at);
  }
  async function shoot(page: Page, name: string) {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { ...SETTLED, message: `${name} at ${width}` }).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  /** Clicks what starts a download and reads the file back as a PDF. */
  async function download(page: Page, click: () => Promise<void>) {
    const [file] = await Promise.all([page.waitForEvent("download"), click()]);
    const path = await file.path();
    const bytes = fs.readFileSync(path);
    return { name: file.suggestedFilename(), bytes, pages: await readPdf(bytes) };
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  beforeEach(async () => {
    const n = unique();
    slug = `badges-${n}`;
    organizer = (await person(db, { name: "Organizing team" })).id;
    const c = await convening(db, { slug, title: MEETING, organizerId: organizer, venue: "Casa do Alentejo, Lisbon" });
    conveningId = c.id;
    ana = await participant(db, c.id, { name: `Ana ${n}`, fullName: "Ana Maria Legalname", answers: { displayName: `Ana M ${n}`, pronouns: "she/her", organization: "Sex Workers Alliance", consentDirectory: true } });
    boris = await participant(db, c.id, { name: `Boris ${n}`, fullName: "Boris Passportov", answers: { displayName: `Борис ${n}`, organization: "Hidden Collective", consentDirectory: false } });
  });

  for (const { javaScript } of scriptModes(kind)) {
    const mode = javaScript ? "with JavaScript" : "without JavaScript";

    it(`prints name badges from the registrations page (${mode})`, { timeout: 120_000 }, async () => {
      const page = await pageAs(organizer, javaScript);
      await go(page, `/organize/${slug}/registrations`, javaScript);
      await page.getByRole("link", { name: "Name badges (PDF)" }).click();
      await page.waitForURL(`${app.url}/organize/${slug}/badges`);
      await visible(page.getByRole("heading", { level: 1, name: "Name badges" }));
      await accessible(page, javaScript);
      if (javaScript && kind === "sqlite") await shoot(page, "badges");

      await page.getByLabel("Paper").selectOption({ label: "Letter (US)" });
      const pdf = await download(page, () => page.getByRole("button", { name: "Download badges (PDF)" }).click());
      expect(pdf.name).toBe(`${slug}-badges-letter.pdf`);
      if (javaScript && kind === "sqlite") fs.writeFileSync(`${SHOTS}/badges.pdf`, pdf.bytes);
      expect(pdf.pages.map((p) => [p.width, p.height])).toEqual([[612, 792]]);
      const text = pdf.pages[0]!.text;
      expect(text).toContain(ana.name.replace("Ana", "Ana M"));
      expect(text).toContain(`Борис ${boris.name.split(" ")[1]}`);
      expect(text).toContain("she/her");
      expect(text).toContain("Sex Workers Alliance");
      for (const hidden of ["Legalname", "Passportov", "Hidden Collective", "@"]) expect(text).not.toContain(hidden);
      const audit = await db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "badges.exported").where("actor_id", "=", organizer).execute();
      expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ badges: 2, paper: "LETTER", status: "confirmed", attendance: "in_person", track: null }]);

      // Nobody chosen: the page says so beside the form, and nothing is exported.
      await page.getByLabel("Registration status").selectOption({ label: "Declined" });
      await page.getByRole("button", { name: "Download badges (PDF)" }).click();
      await visible(page.getByRole("alert"));
      expect(await page.getByRole("alert").textContent()).toBe("No registration matches these choices, so there are no badges to print.");
      await accessible(page, javaScript);
      expect((await db.selectFrom("audit_log").select("id").where("action", "=", "badges.exported").where("actor_id", "=", organizer).execute()).length).toBe(1);
    });

    it(`writes the letter, takes a request, approves it, and gives the letter to its owner only (${mode})`, { timeout: 150_000 }, async () => {
      const org = await pageAs(organizer, javaScript);
      await go(org, `/organize/${slug}/registrations`, javaScript);
      await org.getByRole("link", { name: "Visa invitation letters" }).click();
      await org.waitForURL(`${app.url}/organize/${slug}/letters`);
      await visible(org.getByRole("heading", { level: 1, name: "Visa invitation letters" }));
      await accessible(org, javaScript);

      // An unknown placeholder is refused beside the text, and what was typed stays.
      await org.getByLabel("Letterhead").fill("Global Network of Sex Work Projects\nEdinburgh, Scotland");
      await org.getByLabel("Signed by").fill("Ruth Morgan");
      await org.getByLabel("Role of the person who signs").fill("Executive Director");
      await org.getByLabel("Text of the letter").fill(BODY.replace("{fullName}", "{name}"));
      await org.getByRole("button", { name: "Save the letter" }).click();
      await expect.poll(() => org.locator("#field-body-error").textContent(), SETTLED).toBe("The text uses a placeholder that does not exist: {name}. Use only the placeholders listed above.");
      expect(await org.getByLabel("Signed by").inputValue()).toBe("Ruth Morgan");
      expect(await db.selectFrom("letter_templates").select("convening_id").where("convening_id", "=", conveningId).execute()).toEqual([]);
      await accessible(org, javaScript);
      await org.getByLabel("Text of the letter").fill(BODY);
      await org.getByRole("button", { name: "Save the letter" }).click();
      await visible(org.getByText("The letter was saved."));

      // The participant asks from their registration page; no letter before approval.
      const me = await pageAs(ana.id, javaScript);
      await go(me, `/convenings/${slug}/register`, javaScript);
      await me.getByRole("link", { name: "Visa invitation letter" }).click();
      await me.waitForURL(`${app.url}/convenings/${slug}/letter`);
      await visible(me.getByRole("heading", { level: 1, name: "Visa invitation letter" }));
      await accessible(me, javaScript);
      await me.getByLabel("Full name as in your passport").fill("Ana Maria Legalname");
      await me.getByLabel("Nationality").fill("Brazilian");
      await me.getByLabel("Passport number").fill("BR7788990");
      await me.getByLabel("Date of birth (optional)").fill("1988-02-29");
      await me.getByRole("button", { name: "Ask for the letter" }).click();
      await visible(me.getByText("Your request was sent. You will get an email when the organizers have decided."));
      await visible(me.getByRole("heading", { level: 2, name: "Your request is waiting for the organizers." }));
      await accessible(me, javaScript);
      if (javaScript && kind === "sqlite") await shoot(me, "letter-request");
      expect((await me.request.get(`${app.url}/convenings/${slug}/letter.pdf`)).status()).toBe(404);

      // The organizer sees the request with its passport details (the read is audited) and approves.
      await go(org, `/organize/${slug}/letters`, javaScript);
      const card = org.getByRole("article", { name: `Request from ${ana.name.replace("Ana", "Ana M")}` });
      await visible(card);
      expect(await card.locator("dd").allTextContents()).toEqual(["Ana Maria Legalname", "Brazilian", "BR7788990", "29 February 1988", "Not given"]);
      await accessible(org, javaScript);
      if (javaScript && kind === "sqlite") await shoot(org, "letters");
      await card.getByRole("button", { name: "Approve" }).click();
      await visible(org.getByText("The letter was approved and the participant was told by email."));
      // Every showing of the details is audited: the page before, and the page again after the decision.
      const actions = async () => (await db.selectFrom("audit_log").select("action").where("action", "like", "letter.%").where("actor_id", "in", [organizer, ana.id]).orderBy("id").execute()).map((a) => a.action);
      await expect.poll(actions, SETTLED).toEqual(["letter.template_saved", "letter.requested", "letter.details_viewed", "letter.approved", "letter.details_viewed"]);

      // Mailed through the outbox, to the participant, by the name they registered under.
      await expect
        .poll(() => smtp.messages.filter((m) => (m.to as AddressObject).text.includes(ana.email) && m.subject === `Your invitation letter for ${MEETING} is ready`).length, { timeout: 30_000, interval: 100 })
        .toBe(1);

      // The participant downloads it; another participant gets nothing.
      await go(me, `/convenings/${slug}/letter`, javaScript);
      await visible(me.getByRole("heading", { level: 2, name: "Your letter is ready." }));
      const letter = await download(me, () => me.getByRole("link", { name: "Download your letter (PDF)" }).click());
      expect(letter.name).toBe(`${slug}-invitation-letter.pdf`);
      expect(letter.pages.length).toBe(1);
      expect(letter.pages[0]!.text).toContain("Global Network of Sex Work Projects");
      expect(letter.pages[0]!.text).toContain(`We invite Ana Maria Legalname, Brazilian, passport BR7788990, to ${MEETING} on 1 – 3 June 2027 at Casa do Alentejo, Lisbon.`);
      expect(letter.pages[0]!.text).toContain("Executive Director");
      const other = await pageAs(boris.id, javaScript);
      expect((await other.request.get(`${app.url}/convenings/${slug}/letter.pdf`)).status()).toBe(404);
      if (javaScript && kind === "sqlite") fs.writeFileSync(`${SHOTS}/letter.pdf`, letter.bytes);
    });
  }
});
