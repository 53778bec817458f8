// "Alone in its slot", in Chromium against the real server, with JavaScript and without: an
// organizer ticks the box on an accepted proposal's page and saves; the page says so, the box
// stays ticked, the audit log has the change, and the scheduler's instance carries it. Unticking
// lets the session share its slot again. A plenary's page says it runs alone by its format and
// offers no box. Each page visited passes axe (in the run with JavaScript), at 1280 and at 390 px.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInstance } from "../../app/modules/agenda/placements.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { convening, person, proposal, unique } from "../factories";

const DAY = 24 * 60 * 60 * 1000;

describe.each(BROWSER_DATABASE_KINDS)("marking a session alone in its slot on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    app = await startApp({ kind });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  for (const { javaScript } of scriptModes(kind)) {
    it(`ticks and unticks the box ${javaScript ? "with" : "without"} JavaScript, audited, and the scheduler sees it`, async () => {
      const n = unique();
      const slug = `alone-${n}`;
      const organizer = (await person(db, { name: `Organizing team ${n}` })).id;
      const { id: conveningId } = await convening(db, {
        slug,
        title: `Alone Meeting ${n}`,
        organizerId: organizer,
        cfp: { formats: ["workshop", "plenary"], opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: new Date(Date.now() + 30 * DAY).toISOString() },
      });
      const proposer = (await person(db, { name: `Proposer ${n}` })).id;
      const caucus = await proposal(db, { conveningId, proposerId: proposer, status: "accepted", answers: { title: `Caucus ${n}`, format: "workshop" } });
      const plenary = await proposal(db, { conveningId, proposerId: proposer, status: "accepted", answers: { title: `Plenary ${n}`, format: "plenary" } });

      const watched = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(watched);
      await signInAs(watched.context, db, app.url, organizer);
      const { page } = watched;
      const open = async (id: number) => {
        await page.goto(`${app.url}/organize/${slug}/proposals/${id}`);
        if (javaScript) await waitForHydration(page);
      };
      // axe runs in the page's JavaScript, so it checks the pages of the run with JavaScript.
      const accessible = async () => {
        if (javaScript) await expectAccessible(page);
      };
      const aloneOf = async (id: number) => (await buildInstance(db, conveningId)).sessions.find((s) => s.id === id)!.alone;

      await open(caucus.id);
      const box = page.getByRole("checkbox", { name: "Alone in its slot" });
      expect(await box.isChecked()).toBe(false);
      await accessible();
      await box.check();
      await page.getByRole("button", { name: "Save scheduling" }).click();
      await page.getByText("Saved: the scheduler will follow it from the next suggestion.").waitFor();
      expect(await page.getByRole("checkbox", { name: "Alone in its slot" }).isChecked()).toBe(true);
      expect(await aloneOf(caucus.id)).toBe(true);
      await accessible();
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await accessible();
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.getByRole("checkbox", { name: "Alone in its slot" }).uncheck();
      await page.getByRole("button", { name: "Save scheduling" }).click();
      await page.waitForURL(/done=alone/);
      await expect.poll(() => aloneOf(caucus.id)).toBe(false);
      expect(await page.getByRole("checkbox", { name: "Alone in its slot" }).isChecked()).toBe(false);
      const audit = await db.selectFrom("audit_log").select(["action", "actor_id"]).where("convening_id", "=", conveningId).where("subject_id", "=", caucus.id).where("action", "like", "agenda.alone%").orderBy("id").execute();
      expect(audit).toEqual([
        { action: "agenda.alone_set", actor_id: organizer },
        { action: "agenda.alone_cleared", actor_id: organizer },
      ]);

      await open(plenary.id);
      await page.getByText("This is a plenary: it runs alone in its slot, in the largest room that fits.").waitFor();
      expect(await page.getByRole("checkbox", { name: "Alone in its slot" }).count()).toBe(0);
      expect((await buildInstance(db, conveningId)).sessions.find((s) => s.id === plenary.id)!.plenary).toBe(true);
      await accessible();
    });
  }
});
