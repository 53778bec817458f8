// The audit log page, in Chromium with and without JavaScript, on SQLite and PostgreSQL: more
// entries than one page, paged by "Older entries" so that each shows exactly once in time
// order; each filter (who acted, which action, which days) gives exactly the matching rows and
// stays in the address; entries read as sentences naming their subject.
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { writeAudit, type AuditAction } from "../../app/platform/audit.server";
import { convening, participant, person, unique } from "../factories";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, visible, waitForHydration } from "../setup/browser";
import { signInAs } from "../setup/flows";

const SHOTS = "/tmp/shots-forms";

describe.each(BROWSER_DATABASE_KINDS)("the audit log on %s", (kind) => {
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  let organizer: number;
  let bo: number;
  let ana: { id: number; registrationId: number };
  let slug: string;

  beforeAll(async () => {
    app = await startApp({ kind, env: { JOBS: "off" } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS, { recursive: true });
    const org = await person(db, { name: "Rita", fullName: "Rita Organizer" });
    organizer = (await addSiteOrganizer(db, org.email)).personId;
    bo = (await person(db, { name: "Bo", fullName: "Bo Lindqvist", email: `bo.${unique()}@example.net` })).id;
    slug = `audit-${unique()}`;
    const conveningId = (await convening(db, { slug, title: "Audit Meeting", startsOn: "2027-06-01", endsOn: "2027-06-02", organizerId: organizer, registration: {} })).id;
    const made = await participant(db, conveningId, { name: "Ana", fullName: "Ana Martins", answers: { displayName: "Ana M." } });
    const registration = await db.selectFrom("registrations").select("id").where("person_id", "=", made.id).executeTakeFirstOrThrow();
    ana = { id: made.id, registrationId: registration.id };
    // More than two pages of settings changes by Bo and Rita, three at each instant, in January 2025 (before the entries the test's own actions write).
    for (let i = 0; i < 110; i += 1) {
      const action: AuditAction = i % 2 ? "convening.cfp_settings" : "convening.registration_settings";
      await writeAudit(db, { actorId: i % 3 ? bo : organizer, action, subjectType: "convening", subjectId: conveningId, conveningId, now: new Date(Date.UTC(2025, 0, 1 + Math.floor(((i * 7) % 110) / 3), 10)) });
    }
  });

  afterAll(async () => {
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  /** Every entry in the order the page must show them: newest first, by time then id. */
  const ordered = async (where: (q: ReturnType<typeof base>) => ReturnType<typeof base> = (q) => q) => (await where(base()).orderBy("audit_log.at", "desc").orderBy("audit_log.id", "desc").execute()).map((r) => r.id);
  const base = () => db.selectFrom("audit_log").leftJoin("people", "people.id", "audit_log.actor_id").select("audit_log.id");

  const shownIds = (page: Page) => page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-entry"))));
  /** The ids of the rows, read without scripts as well (attributes through the locator). */
  async function rowIds(page: Page): Promise<number[]> {
    const rows = page.locator("tbody tr");
    const ids: number[] = [];
    for (let i = 0; i < (await rows.count()); i += 1) ids.push(Number(await rows.nth(i).getAttribute("data-entry")));
    return ids;
  }

  async function open(javaScript: boolean, path: string) {
    const watched = await openPage(browser, { javaScript });
    await signInAs(watched.context, db, app.url, organizer);
    await watched.page.goto(`${app.url}${path}`);
    if (javaScript) await waitForHydration(watched.page);
    return watched;
  }

  /** Follows "Older entries" to the last page, collecting the entries shown. */
  async function everyPage(page: Page, javaScript: boolean): Promise<{ ids: number[]; pages: number }> {
    const ids: number[] = [];
    let pages = 0;
    for (;;) {
      await visible(page.getByRole("heading", { name: "Audit log" }));
      ids.push(...(javaScript ? await shownIds(page) : await rowIds(page)));
      pages += 1;
      if (javaScript) await expectAccessible(page);
      const older = page.getByRole("link", { name: "Older entries" });
      if ((await older.count()) === 0) return { ids, pages };
      const before = page.url();
      const first = await page.locator("tbody tr").first().getAttribute("data-entry");
      await older.click();
      await page.waitForURL((url) => url.toString() !== before);
      // The next page's rows, not the last one's still on screen.
      await expect.poll(() => page.locator("tbody tr").first().getAttribute("data-entry")).not.toBe(first);
    }
  }

  describe.each(scriptModes(kind))("$name", ({ javaScript }) => {
    it("pages through every entry exactly once, newest first in time order", async () => {
      // The organizer reads Ana's sensitive answers first: a real entry, written by the page.
      const { page, context, errors } = await open(javaScript, `/organize/${slug}/registrations/${ana.registrationId}`);
      await page.goto(`${app.url}/organize/audit`);
      if (javaScript) await waitForHydration(page);
      const expected = await ordered();
      expect(expected.length).toBeGreaterThan(100);
      const { ids, pages } = await everyPage(page, javaScript);
      expect(pages).toBe(Math.ceil(expected.length / 50));
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("filters by who acted, by action and by day, keeping the filters in the address", async () => {
      const { page, context, errors } = await open(javaScript, "/organize/audit");
      const apply = async () => {
        const before = page.url();
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL((url) => url.toString() !== before);
        await visible(page.getByRole("heading", { name: "Audit log" }));
      };

      // Who acted, by a part of the full name.
      await page.getByLabel("Who acted").fill("lindqvist");
      await apply();
      expect(new URL(page.url()).searchParams.get("actor")).toBe("lindqvist");
      expect((await everyPage(page, javaScript)).ids).toEqual(await ordered((q) => q.where("audit_log.actor_id", "=", bo)));
      expect(await page.getByLabel("Who acted").inputValue()).toBe("lindqvist");

      // Or by email address; with an action chosen by its words, and days in UTC.
      await page.goto(`${app.url}/organize/audit`);
      await page.getByLabel("Who acted").fill("@example.net");
      await page.getByLabel("Action").selectOption({ label: "Call for proposals changed" });
      await page.getByLabel("From (day)").fill("2025-01-05");
      await page.getByLabel("To (day, included)").fill("2025-01-09");
      await apply();
      const query = new URL(page.url()).searchParams;
      expect([query.get("actor"), query.get("action"), query.get("from"), query.get("to")]).toEqual(["@example.net", "convening.cfp_settings", "2025-01-05", "2025-01-09"]);
      const wanted = await ordered((q) =>
        q.where("audit_log.actor_id", "=", bo).where("audit_log.action", "=", "convening.cfp_settings").where("audit_log.at", ">=", "2025-01-05T00:00:00.000Z").where("audit_log.at", "<", "2025-01-10T00:00:00.000Z"),
      );
      expect(wanted.length).toBeGreaterThan(3);
      expect(wanted.length).toBeLessThan(20);
      expect(await rowIds(page)).toEqual(wanted);
      await expect.poll(() => page.locator("tbody tr td:nth-child(3)").allTextContents()).toEqual(wanted.map(() => "Changed the call for proposals of Audit Meeting"));
      if (javaScript) await expectAccessible(page);

      // The sensitive reads alone.
      await page.goto(`${app.url}/organize/audit?action=registration.sensitive_viewed`);
      expect(await rowIds(page)).toEqual(await ordered((q) => q.where("audit_log.action", "=", "registration.sensitive_viewed")));
      // A filter that is not one of the list is refused, not guessed.
      const refused = await page.goto(`${app.url}/organize/audit?action=registration.`);
      expect(refused?.status()).toBe(400);
      await visible(page.getByText("Choose one of the options."));
      expect(await rowIds(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("tells each entry as a sentence that names its subject", async () => {
      const { page, context, errors } = await open(javaScript, `/organize/${slug}/registrations/${ana.registrationId}`);
      await page.goto(`${app.url}/organize/audit`);
      await visible(page.getByRole("cell", { name: "Viewed the sensitive answers of Ana M." }).first());
      await visible(page.getByRole("cell", { name: "Created the convening Audit Meeting" }).first());
      expect(await page.getByText("registration.sensitive_viewed").count()).toBe(0);
      await visible(page.getByText("Times and days are in UTC.", { exact: false }));
      if (javaScript) {
        await expectAccessible(page);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/audit-${kind}-${width}.png`, fullPage: false });
        }
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
