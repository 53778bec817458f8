// A convening's life in Chromium against the real server, as organizer, participant and anonymous
// visitor: a new convening is a draft nobody else sees; published, its page is public but its
// registration stays closed until the organizer sets the window; once it has ended the organizer
// closes it (read-only: a settings change answers 409, the follow-up still answers), and reopens it.
// Every page visited with JavaScript passes axe; the overview is photographed at 1280 and 390 px.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { httpClient } from "../setup/http";
import { convening, person, unique } from "../factories";

const SHOTS = "/tmp/shots-convening-life";

describe.each(BROWSER_DATABASE_KINDS)("a convening's life on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let organizer: number;
  let participantId: number;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    app = await startApp({ kind });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
    organizer = (await addSiteOrganizer(db, (await person(db, { name: "Site organizer" })).email)).personId;
    participantId = (await person(db, { name: "Pat" })).id;
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  /** Status and whether the text is on the page, for an anonymous visitor and a signed-in participant. */
  async function seenFromOutside(path: string) {
    const participant = await httpClient(db, participantId);
    const out: Array<[string, number, string]> = [];
    for (const [who, cookie] of [["anonymous", ""], ["participant", participant.cookie]] as const) {
      const response = await fetch(`${app.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
      out.push([who, response.status, await response.text()]);
    }
    return out;
  }

  async function organizerPage(javaScript: boolean): Promise<Page> {
    const watched = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
    opened.push(watched);
    await signInAs(watched.context, db, app.url, organizer);
    return watched.page;
  }

  async function change(page: Page, javaScript: boolean, button: string, notice: string, status: string) {
    if (javaScript) await waitForHydration(page);
    await page.getByRole("button", { name: button }).click();
    await visible(page.getByRole("status").filter({ hasText: notice }));
    await visible(page.getByRole("heading", { level: 2, name: `Status: ${status}` }));
  }

  for (const { javaScript, name } of scriptModes(kind)) {
    it(`creates a draft nobody else sees, publishes it with registration closed until its window is set (${name})`, async () => {
      const page = await organizerPage(javaScript);
      const slug = `life-${kind}-${unique()}`;
      const title = `Strategy meeting ${slug}`;
      await page.goto(`${app.url}/organize/convenings/new`);
      if (javaScript) await waitForHydration(page);
      await page.getByLabel("Title").fill(title);
      await page.getByLabel("Short name for addresses").fill(slug);
      await page.getByLabel("First day").fill("2027-09-14");
      await page.getByLabel("Last day").fill("2027-09-16");
      // The second run copies the first run's convening (whose registration window is set by then):
      // the copy is a draft too, and its window starts empty.
      const copied = (await page.getByLabel("Copy the setup of").locator("option").count()) > 1;
      await page.getByRole("button", { name: "Create convening" }).click();
      await page.waitForURL((url) => url.pathname === `/organize/${slug}` && url.searchParams.has("created"));
      await visible(page.getByText("The convening is created as a draft: only organizers see it."));
      await visible(page.getByRole("heading", { level: 2, name: "Status: Draft" }));
      await visible(page.getByText("Registration has no window yet: the form stays closed until you set when it opens."));
      await visible(page.getByText("The public page does not exist yet: publish the convening first."));
      if (javaScript) {
        await expectAccessible(page);
        mkdirSync(SHOTS, { recursive: true });
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/overview-draft-${kind}-${width}.png`, fullPage: true });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      const row = await db.selectFrom("convenings").select(["status", "registration_opens_at"]).where("slug", "=", slug).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "draft", registration_opens_at: null });

      // A draft: no page, no form, not listed, for anyone but its organizers.
      for (const path of [`/convenings/${slug}`, `/convenings/${slug}/register`, `/convenings/${slug}/agenda`, `/convenings/${slug}/sessions`]) {
        // The form asks anonymous visitors to sign in first, as for every convening.
        expect((await seenFromOutside(path)).map(([who, status]) => [who, status]), path).toEqual([
          ["anonymous", path.endsWith("/register") ? 302 : 404],
          ["participant", 404],
        ]);
      }
      expect((await seenFromOutside("/")).map(([who, , body]) => [who, body.includes(title)])).toEqual([
        ["anonymous", false],
        ["participant", false],
      ]);

      await change(page, javaScript, "Publish the convening", "The convening is published.", "Published");
      expect(await page.getByRole("button", { name: "Close the convening" }).count()).toBe(0);
      await visible(page.getByText("You can close the convening once it has ended"));
      if (javaScript) await expectAccessible(page);
      const published = await seenFromOutside(`/convenings/${slug}`);
      expect(published.map(([who, status, body]) => [who, status, body.includes("Registration has not opened yet.")])).toEqual([
        ["anonymous", 200, true],
        ["participant", 200, true],
      ]);
      expect((await seenFromOutside("/")).map(([who, , body]) => [who, body.includes(title)])).toEqual([
        ["anonymous", true],
        ["participant", true],
      ]);
      const form = await seenFromOutside(`/convenings/${slug}/register`);
      expect(form.map(([who, status, body]) => [who, status, body.includes("Registration is closed.")])).toEqual([
        ["anonymous", 302, false],
        ["participant", 200, true],
      ]);

      // The organizer sets the window: the form opens.
      await page.getByRole("link", { name: "Set the registration window" }).click();
      await page.waitForURL(`${app.url}/organize/${slug}/registrations?settings=1#settings`);
      if (javaScript) await waitForHydration(page);
      await page.getByLabel("Registration opens").fill("2026-01-01T09:00");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.waitForURL((url) => url.searchParams.has("saved"));
      const open = await seenFromOutside(`/convenings/${slug}`);
      expect(open.map(([who, status, body]) => [who, status, body.includes("Registration is open.")])).toEqual([
        ["anonymous", 200, true],
        ["participant", 200, true],
      ]);
      const audit = await db.selectFrom("audit_log").innerJoin("convenings", "convenings.id", "audit_log.subject_id").select(["audit_log.action", "audit_log.actor_id"]).where("convenings.slug", "=", slug).where("audit_log.subject_type", "=", "convening").orderBy("audit_log.id").execute();
      expect(audit).toEqual([
        { action: "convening.created", actor_id: organizer },
        ...(copied ? [{ action: "convening.setup_copied", actor_id: organizer }] : []),
        { action: "convening.published", actor_id: organizer },
        { action: "convening.registration_settings", actor_id: organizer },
      ]);
    });

    it(`closes a convening that has ended: read-only, its follow-up still answers, and reopens it (${name})`, async () => {
      const past = await convening(db, { startsOn: "2026-10-06", endsOn: "2026-10-08", title: `Past meeting ${unique()}`, organizerId: organizer });
      const page = await organizerPage(javaScript);
      await page.goto(`${app.url}/organize/${past.slug}`);
      await visible(page.getByRole("heading", { level: 2, name: "Status: Published" }));
      await change(page, javaScript, "Close the convening", "The convening is closed.", "Closed");
      await visible(page.getByText("This convening is closed: it is read-only."));
      if (javaScript) {
        await expectAccessible(page);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/overview-closed-${kind}-${width}.png`, fullPage: true });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      // Still public, and the registration form is closed.
      const outside = await seenFromOutside(`/convenings/${past.slug}`);
      expect(outside.map(([who, status, body]) => [who, status, body.includes("Registration is closed.")])).toEqual([
        ["anonymous", 200, true],
        ["participant", 200, true],
      ]);

      // A change to the closed convening is refused and changes nothing; its follow-up answers.
      const client = await httpClient(db, organizer);
      const post = (path: string, fields: Array<[string, string]>) =>
        fetch(`${app.url}${path}`, { method: "POST", headers: { cookie: client.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams([["csrf", client.token], ...fields]), redirect: "manual" });
      const before = await db.selectFrom("convenings").select(["registration_opens_at", "capacity_in_person"]).where("id", "=", past.id).executeTakeFirstOrThrow();
      const refused = await post(`/organize/${past.slug}/registrations?index`, [["opensAt", "2026-01-01T10:00"], ["capacity", "40"]]);
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain("This convening is closed, so it can no longer be changed.");
      expect(await db.selectFrom("convenings").select(["registration_opens_at", "capacity_in_person"]).where("id", "=", past.id).executeTakeFirstOrThrow()).toEqual(before);
      const preview = await post(`/organize/${past.slug}/messages`, [["intent", "preview"], ["subject", "What we agreed"], ["body", "The follow-up of our commitments."]]);
      expect(preview.status).toBe(200);

      await page.goto(`${app.url}/organize/${past.slug}/registrations?settings=1`);
      if (javaScript) await waitForHydration(page);
      await page.getByRole("button", { name: "Save settings" }).click();
      await visible(page.getByText("This convening is closed, so it can no longer be changed. An organizer can reopen it from its overview."));
      if (javaScript) await expectAccessible(page);

      await page.goto(`${app.url}/organize/${past.slug}`);
      await change(page, javaScript, "Reopen the convening", "The convening is open again.", "Published");
      const audit = await db.selectFrom("audit_log").select("action").where("subject_type", "=", "convening").where("subject_id", "=", past.id).where("action", "in", ["convening.closed", "convening.reopened"]).orderBy("id").execute();
      expect(audit.map((a) => a.action)).toEqual(["convening.closed", "convening.reopened"]);
    });
  }
});
