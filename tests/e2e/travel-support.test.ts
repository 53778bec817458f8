// Travel support in Chromium against the real server, with JavaScript and without: a participant
// asks for travel and lodging (a wrong amount is shown next to its field first), an organizer
// who reads sensitive answers sets a budget, sees the totals, grants in part with a message; the
// participant gets the mail (real SMTP) and sees the decision; the table filters by support
// status; the finance CSV; an organizer without sensitive rights gets 403. Axe on each page (with
// JavaScript), screenshots at 1280 and 390 px.
import { mkdirSync } from "node:fs";
import type { AddressObject } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { convening, organizerRole, person, unique } from "../factories";

const DAY = 24 * 60 * 60 * 1000;
const SHOTS = "/tmp/shots-support";

describe.each(BROWSER_DATABASE_KINDS)("travel support on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let smtp: SmtpSink;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  async function as(personId: number, javaScript: boolean): Promise<Page> {
    const watched = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
    opened.push(watched);
    await signInAs(watched.context, db, app.url, personId);
    return watched.page;
  }
  async function deliver() {
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@localhost>" });
    } finally {
      transport.close();
    }
  }
  async function shots(page: Page, name: string, javaScript: boolean) {
    await page.screenshot({ path: `${SHOTS}/${kind}-${name}-${javaScript ? "js" : "nojs"}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/${kind}-${name}-${javaScript ? "js" : "nojs"}-390.png`, fullPage: true });
    if (javaScript) await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  for (const { javaScript } of scriptModes(kind)) {
    it(`asks, budgets, grants in part, mails and shows the decision ${javaScript ? "with" : "without"} JavaScript`, async () => {
      const n = unique();
      const slug = `support-${n}`;
      const organizer = (await person(db, { name: `Organizer ${n}` })).id;
      const c = await convening(db, { slug, title: `Support Meeting ${n}`, organizerId: organizer, registration: { opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: new Date(Date.now() + 30 * DAY).toISOString() } });
      const ama = await person(db, { name: `Ama ${n}`, fullName: `Ama Legal ${n}` });
      const go = async (page: Page, path: string) => {
        await page.goto(`${app.url}${path}`);
        if (javaScript) await waitForHydration(page);
      };

      // The participant asks for travel and lodging; a wrong amount is refused next to its field, the rest kept.
      const p = await as(ama.id, javaScript);
      await go(p, `/convenings/${slug}/register`);
      await p.getByRole("radio", { name: "In person" }).check();
      await p.getByRole("checkbox", { name: c.tracks[0]!.name }).check();
      const support = p.getByRole("group", { name: /^Do you need support with travel or lodging\?/ });
      await support.getByRole("radio", { name: "Yes" }).check();
      await p.getByRole("checkbox", { name: "Travel", exact: true }).check();
      await p.getByRole("checkbox", { name: "Lodging", exact: true }).check();
      await p.getByLabel("Travel: amount").fill("600.123");
      await p.getByLabel("Travel: currency").selectOption("EUR");
      await p.getByLabel("Lodging: amount").fill("300.50");
      await p.getByLabel("Lodging: currency").selectOption("USD");
      await p.getByLabel("Why you need support").fill("Our collective has no travel budget.");
      await p.getByRole("button", { name: "Register" }).click();
      await expect.poll(() => p.locator("#field-support_travel_amount-error").textContent(), SETTLED).toBe("Give an amount above 0, with at most 2 decimals (for example 450 or 120.50).");
      expect(await p.getByLabel("Travel: amount").getAttribute("aria-invalid")).toBe("true");
      expect(await p.getByLabel("Lodging: amount").inputValue()).toBe("300.50");
      expect(await p.getByLabel("Lodging: currency").inputValue()).toBe("USD");
      expect(await p.getByLabel("Why you need support").inputValue()).toBe("Our collective has no travel budget.");
      expect(await db.selectFrom("registrations").select("id").where("convening_id", "=", c.id).execute()).toEqual([]);
      await shots(p, "form-error", javaScript);
      await p.getByLabel("Travel: amount").fill("600");
      await p.getByRole("button", { name: "Register" }).click();
      await p.waitForURL(/done=submitted/);
      await visible(p.getByRole("heading", { name: "Your request for support" }));
      expect(await p.getByText("Waiting for a decision").count()).toBe(1);

      // The organizer sets a budget, sees the totals and grants in part with a message.
      const o = await as(organizer, javaScript);
      await go(o, `/organize/${slug}/registrations`);
      await o.getByRole("link", { name: "Travel support requests" }).click();
      await o.waitForURL(`${app.url}/organize/${slug}/support`);
      if (javaScript) await waitForHydration(o);
      await visible(o.getByRole("heading", { level: 1, name: "Travel support" }));
      await o.getByLabel("Budget amount").fill("2000");
      await o.getByLabel("Budget currency").selectOption("EUR");
      await o.getByRole("button", { name: "Save the budget" }).click();
      await o.waitForURL(/done=budget/);
      await visible(o.getByText("The budget is saved."));
      const totals = o.locator("#support-totals tbody tr td");
      await expect.poll(() => totals.allTextContents(), SETTLED).toEqual(["€2,000", "€600", "€0", "€2,000"]);
      expect(await o.locator("#support-other-totals tbody tr").allTextContents()).toEqual(["USDUS$300.50US$0"]);
      const request = o.getByRole("article", { name: `Ama ${n}` });
      await request.getByRole("radio", { name: "Grant in part (amounts below)" }).check();
      await request.getByLabel(/^Travel: amount granted in EUR/).fill("400");
      await request.getByLabel(/^Lodging: amount granted in USD/).fill("0");
      await request.getByLabel("Message to the person (optional)").fill("We cover most of the flight.");
      await shots(o, "support-page", javaScript);
      await request.getByRole("button", { name: "Save the decision" }).click();
      await o.waitForURL(/done=decided/);
      await visible(o.getByText("The decision is saved and the person will be mailed."));
      await expect.poll(() => totals.allTextContents(), SETTLED).toEqual(["€2,000", "€600", "€400", "€1,600"]);
      expect(await o.getByRole("article", { name: `Ama ${n}` }).getByText("Granted in part").count()).toBe(1);
      await shots(o, "support-decided", javaScript);

      // The participant is mailed and sees the decision.
      await deliver();
      const mails = await smtp.waitFor(1);
      const mail = mails.find((m) => (m.to as AddressObject).text === ama.email && m.subject === `Your travel support for Support Meeting ${n}`);
      expect(mail?.text).toContain("grant your request for support in part");
      expect(mail?.text).toContain("Travel: €400 granted (you asked for €600)");
      expect(mail?.text).toContain("Lodging: US$0 granted (you asked for US$300.50)");
      expect(mail?.text).toContain("Their message: We cover most of the flight.");
      await go(p, `/convenings/${slug}/register`);
      await visible(p.getByText("Granted in part"));
      expect(await p.locator(".own-support tbody tr").allTextContents()).toEqual(["Travel€600€400", "LodgingUS$300.50US$0"]);
      await visible(p.getByText("Message from the organizers: We cover most of the flight."));
      await shots(p, "participant-decision", javaScript);

      // The table's filter.
      await go(o, `/organize/${slug}/registrations`);
      await o.getByLabel("Support requested").selectOption("partly");
      await o.getByRole("button", { name: "Filter" }).click();
      await o.waitForURL(/support=partly/);
      await visible(o.getByRole("link", { name: `Ama ${n}` }));
      await go(o, `/organize/${slug}/registrations?support=waiting`);
      expect(await o.getByRole("link", { name: `Ama ${n}` }).count()).toBe(0);

      // The finance CSV, with full names for an organizer who reads sensitive answers.
      const csv = await o.request.get(`${app.url}/organize/${slug}/support.csv`);
      expect(csv.status()).toBe(200);
      const registrationId = (await db.selectFrom("registrations").select("id").where("person_id", "=", ama.id).executeTakeFirstOrThrow()).id;
      const decidedAt = (await db.selectFrom("support_requests").select("decided_at").where("registration_id", "=", registrationId).executeTakeFirstOrThrow()).decided_at;
      expect((await csv.text()).split("\r\n")).toEqual([
        "\uFEFFName,Full name,Registration,Kind,Currency,Requested,Granted,Status,Decided at",
        `Ama ${n},Ama Legal ${n},${registrationId},Travel,EUR,600,400,Granted in part,${decidedAt}`,
        `Ama ${n},Ama Legal ${n},${registrationId},Lodging,USD,300.50,0,Granted in part,${decidedAt}`,
        "",
      ]);

      // An organizer without sensitive rights: 403 on the page and the CSV, and no amounts on the detail page.
      const plain = (await person(db, { name: `Plain organizer ${n}` })).id;
      await organizerRole(db, c.id, plain, { readsSensitive: false });
      const q = await as(plain, javaScript);
      expect((await q.goto(`${app.url}/organize/${slug}/support`))?.status()).toBe(403);
      expect((await q.request.get(`${app.url}/organize/${slug}/support.csv`)).status()).toBe(403);
      await go(q, `/organize/${slug}/registrations/${registrationId}`);
      await visible(q.getByRole("heading", { level: 1, name: `Ama ${n}` }));
      expect(await q.content()).not.toMatch(/€600|collective has no travel budget|most of the flight/);
      expect(await q.getByRole("link", { name: "Travel support requests" }).count()).toBe(0);
    });
  }
});
