// The organizers' registrations table in Chromium against the real server and a real SMTP server,
// with JavaScript and without: paging with a cursor, search, sorting by a column, bulk approve
// (more people than places: the rest go to the waitlist), waitlist, decline with a message, mark
// attended, each saying what it did to whom and leaving nothing ticked; and the CSV in the
// organizer's words and in codes.
import fs from "node:fs";
import type { AddressObject } from "mailparser";
import type { Page } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayIn } from "../../app/lib/dates";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { convening, participant, person, unique } from "../factories";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const SHOTS = "/tmp/shots-table";
const DAY = 24 * 60 * 60 * 1000;
const SORRY = "We are sorry: the room holds only a few this year.";

describe.each(BROWSER_DATABASE_KINDS)("the registrations table on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  const opened: WatchedPage[] = [];

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

  /** Photographs the page at both widths; with scripts on, also checks nothing is wider than the screen. */
  async function shoot(page: Page, name: string, javaScript: boolean) {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${kind}-${name}-${width}.png`, fullPage: true });
      if (javaScript) await expect.poll(() => page.locator("html").evaluate((el) => el.scrollWidth).catch(() => 0), { ...SETTLED, message: `${name} at ${width}` }).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  // Without JavaScript axe cannot run in the page: it checks the same pages in the run with scripts on.
  for (const { javaScript } of scriptModes(kind)) {
    it(`searches, sorts, pages, acts on the selected rows and exports (${javaScript ? "with" : "without"} JavaScript)`, { timeout: 300_000 }, async () => {
      const n = unique();
      const slug = `table-${n}`;
      const today = dayIn(new Date(), "Europe/Lisbon");
      const organizer = (await person(db, { name: "Organizing team" })).id;
      // Started yesterday, so attendance may be marked; two places in the room, decisions by the organizers.
      const c = await convening(db, {
        slug,
        title: "Table Meeting",
        organizerId: organizer,
        startsOn: dayIn(new Date(Date.now() - DAY), "Europe/Lisbon"),
        endsOn: dayIn(new Date(Date.now() + DAY), "Europe/Lisbon"),
        registration: { capacity: 2, approvalRequired: true },
      });
      expect(today >= dayIn(new Date(Date.now() - DAY), "Europe/Lisbon")).toBe(true);
      // 104 people following online (confirmed: remote places are unlimited), then five waiting for a decision.
      for (let i = 1; i <= 104; i += 1) {
        await participant(db, c.id, { name: `Online${String(i).padStart(3, "0")}`, email: `online${i}.${n}@example.org`, answers: { attendance: "remote" } });
      }
      const waiting = {
        amara: await participant(db, c.id, { name: "Amara", email: `amara.${n}@example.org`, status: "pending", answers: { organization: "Sisonke", constituency: "sex_worker_or_community_member", accessNeeds: ["step_free"] } }),
        bruno: await participant(db, c.id, { name: "Bruno", email: `bruno.${n}@example.org`, fullName: "Bruno Lima", status: "pending", answers: { organization: "Davida" } }),
        chen: await participant(db, c.id, { name: "Chen", email: `chen.${n}@example.org`, status: "pending" }),
        dana: await participant(db, c.id, { name: "Dana", email: `dana.${n}@example.org`, status: "pending" }),
        eli: await participant(db, c.id, { name: "Eli", email: `eli.${n}@example.org`, status: "pending" }),
      };

      const watched = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(watched);
      const { page } = watched;
      await signInAs(watched.context, db, app.url, organizer);
      const go = async (path: string) => {
        await page.goto(`${app.url}${path}`);
        if (javaScript) await waitForHydration(page);
      };
      const names = () => page.locator(".table-wrap tbody tr td:nth-child(2)").allTextContents();
      const click = async (name: string | RegExp, role: "link" | "button" = "link") => {
        await page.getByRole(role, { name, exact: typeof name === "string" }).click();
        if (javaScript) await waitForHydration(page);
      };

      // Pages of a hundred, with a cursor in the address.
      await go(`/organize/${slug}/registrations`);
      await visible(page.getByText("109 registrations match."));
      // axe on a page of a hundred rows does not finish without the page's JavaScript; the smaller views below are checked in both modes.
      if (javaScript) await expectAccessible(page);
      expect(await names()).toHaveLength(100);
      expect((await names())[0]).toBe("Online001");
      await expect.poll(() => page.getByRole("link", { name: "Previous page" }).count(), SETTLED).toBe(0);
      await click("Next page");
      await page.waitForURL((url) => url.searchParams.has("after"));
      await expect.poll(names, SETTLED).toEqual(["Online101", "Online102", "Online103", "Online104", "Amara", "Bruno", "Chen", "Dana", "Eli"]);
      await expect.poll(() => page.getByRole("link", { name: "Next page" }).count(), SETTLED).toBe(0);
      await click("Previous page");
      await page.waitForURL((url) => url.searchParams.has("before"));
      await expect.poll(async () => (await names()).length, SETTLED).toBe(100);
      expect((await names())[99]).toBe("Online100");
      await click("First page");
      await page.waitForURL((url) => !url.searchParams.has("before") && !url.searchParams.has("after"));
      // The first page is drawn (its filter form anew) before anything is typed into it.
      await expect.poll(() => page.getByRole("link", { name: "First page" }).count(), SETTLED).toBe(0);
      if (javaScript) await waitForHydration(page);

      // Search by organization, then by a full name only organizers see (it is not shown in the table).
      await page.getByLabel("Search").fill("sisonke");
      await click("Filter", "button");
      await page.waitForURL((url) => url.searchParams.get("q") === "sisonke");
      await expect.poll(names, SETTLED).toEqual(["Amara"]);
      await page.getByLabel("Search").fill("LIMA");
      await click("Filter", "button");
      await expect.poll(names, SETTLED).toEqual(["Bruno"]);
      await expect.poll(() => page.locator(".table-wrap").textContent(), SETTLED).not.toContain("Bruno Lima");
      if (javaScript) await expectAccessible(page);

      // Those waiting for a decision, sorted by name both ways from the column's header.
      await go(`/organize/${slug}/registrations?status=pending`);
      await click(/^Name shown/);
      await page.waitForURL((url) => url.searchParams.get("sort") === "name" && url.searchParams.get("dir") === "asc");
      await expect.poll(names, SETTLED).toEqual(["Amara", "Bruno", "Chen", "Dana", "Eli"]);
      await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent(), SETTLED).toContain("Name shown");
      await click(/^Name shown/);
      await page.waitForURL((url) => url.searchParams.get("dir") === "desc");
      await expect.poll(names, SETTLED).toEqual(["Eli", "Dana", "Chen", "Bruno", "Amara"]);
      if (javaScript) await expectAccessible(page);

      const bulk = async (ticks: string[], action: string, message?: string) => {
        for (const name of ticks) await page.getByLabel(`Select ${name}`, { exact: true }).check();
        await page.getByLabel("Action", { exact: true }).selectOption({ label: action });
        if (message) await page.getByLabel("Message to the people declined").fill(message);
        await click("Apply to selected", "button");
        await page.waitForURL((url) => url.searchParams.has("done"));
      };
      const notice = async () => [await page.locator(".notice--ok > p").textContent(), ...(await page.locator(".notice--ok li").allTextContents())].join("\n");
      const ticked = () => page.locator("input.row-select:checked").count();

      // Nothing ticked: told so next to the table, nothing changes.
      await page.getByLabel("Action", { exact: true }).selectOption({ label: "Approve" });
      await click("Apply to selected", "button");
      await visible(page.getByText("Tick at least one registration, or all on this page."));
      if (javaScript) await expectAccessible(page);

      // Three approved for two places: the two who came first get them, the third waits, and the page says so.
      await bulk(["Amara", "Bruno", "Chen"], "Approve");
      await expect.poll(notice, SETTLED).toBe(
        "You approved 3 selected registrations.\nConfirmed and emailed (2): Amara, Bruno\nOn the waitlist, no place being free, and emailed (1): Chen",
      );
      // Still the view the organizer had (waiting for a decision, by name, descending), with nothing ticked.
      expect(new URL(page.url()).searchParams.get("status")).toBe("pending");
      expect(new URL(page.url()).searchParams.get("dir")).toBe("desc");
      await expect.poll(names, SETTLED).toEqual(["Eli", "Dana"]);
      expect(await ticked()).toBe(0);
      if (javaScript) await expectAccessible(page);
      await shoot(page, `approved-${javaScript ? "js" : "nojs"}`, javaScript);

      await bulk(["Dana"], "Move to the waitlist");
      await expect.poll(notice, SETTLED).toBe("You moved 1 selected registration to the waitlist.\nOn the waitlist, no place being free, and emailed (1): Dana");
      await bulk(["Eli"], "Decline", SORRY);
      await expect.poll(notice, SETTLED).toBe("You declined 1 selected registration.\nDeclined and emailed (1): Eli");
      await expect.poll(names, SETTLED).toEqual([]);

      // Everyone confirmed in person, all on the page at once, marked as attended.
      await go(`/organize/${slug}/registrations?status=confirmed&attendance=in_person`);
      await expect.poll(names, SETTLED).toEqual(["Amara", "Bruno"]);
      await page.getByLabel("All 2 registrations on this page").check();
      if (javaScript) expect(await ticked()).toBe(2);
      await page.getByLabel("Action", { exact: true }).selectOption({ label: "Mark as attended" });
      await click("Apply to selected", "button");
      await page.waitForURL((url) => url.searchParams.get("done") === "attended");
      await expect.poll(notice, SETTLED).toBe("You marked 2 selected registrations as attended.\nMarked as attended (2): Amara, Bruno");
      await expect.poll(() => page.locator(".table-wrap tbody tr td:nth-child(3)").allTextContents(), SETTLED).toEqual(["Confirmed · attended", "Confirmed · attended"]);

      const statuses = await db.selectFrom("registrations").select(["person_id", "status", "organizer_message", "attended_at"]).where("person_id", "in", Object.values(waiting).map((p) => p.id)).orderBy("id").execute();
      expect(statuses.map((r) => [r.status, r.organizer_message, r.attended_at !== null])).toEqual([
        ["confirmed", null, true],
        ["confirmed", null, true],
        ["waitlisted", null, false],
        ["waitlisted", null, false],
        ["declined", SORRY, false],
      ]);
      // Each person was mailed once for the decision, through the outbox, and the mail reached the server.
      const decisionMails = await db
        .selectFrom("mail_outbox")
        .select(["to_address", "template"])
        .where("convening_id", "=", c.id)
        .where("template", "in", ["registration-confirmed", "registration-waitlisted", "registration-declined"])
        .where("to_address", "in", Object.values(waiting).map((p) => p.email))
        .orderBy("id")
        .execute();
      expect(decisionMails).toEqual([
        { to_address: waiting.amara.email, template: "registration-confirmed" },
        { to_address: waiting.bruno.email, template: "registration-confirmed" },
        { to_address: waiting.chen.email, template: "registration-waitlisted" },
        { to_address: waiting.dana.email, template: "registration-waitlisted" },
        { to_address: waiting.eli.email, template: "registration-declined" },
      ]);
      await expect
        .poll(() => smtp.messages.filter((m) => (m.to as AddressObject).text === waiting.eli.email && (m.text ?? "").includes(`Their message: ${SORRY}`)).length, { timeout: 30_000, interval: 100 })
        .toBe(1);

      // The CSV of this view, in words and in codes.
      const download = async (values: string) => {
        await page.getByText("Download these registrations (CSV)").click();
        await page.getByLabel(values).check();
        const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
        return fs.readFileSync((await file.path())!, "utf8").replace(/^\uFEFF/, "");
      };
      const labelled = (await download("Labels in my language")).split("\r\n");
      expect(labelled[0]).toBe("Id,Name shown,Status,Attendance,Pronouns,Organization,Constituency,Country,Tracks,Languages,Interpretation,Support requested,Listed in directory,Shares email,Photos,Attended,Registered at (UTC)");
      expect(labelled.slice(1, -1).map((line) => line.split(",").slice(1, 8).concat(line.split(",")[15]!))).toEqual([
        ["Amara", "Confirmed", "In person", "", "Sisonke", "Sex worker or community member", "", "Yes"],
        ["Bruno", "Confirmed", "In person", "", "Davida", "", "", "Yes"],
      ]);
      await go(`/organize/${slug}/registrations?status=confirmed&attendance=in_person`);
      const coded = (await download("Codes for spreadsheets")).split("\r\n");
      expect(coded.slice(1, -1).map((line) => line.split(",").slice(1, 8).concat(line.split(",")[15]!))).toEqual([
        ["Amara", "confirmed", "in_person", "", "Sisonke", "sex_worker_or_community_member", "", "yes"],
        ["Bruno", "confirmed", "in_person", "", "Davida", "", "", "yes"],
      ]);
      expect(coded.join("\n")).not.toContain("@example.org");
      await shoot(page, `attended-${javaScript ? "js" : "nojs"}`, javaScript);
    });
  }
});
