// Calendars and schedule files over HTTP, on the demo convening: what subscribers and schedule
// apps fetch, parsed with ical.js and validated against the shared schemas.
import ICAL from "ical.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/utils/db.server";
import { startDemoApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, visible } from "../setup/browser";
import { createSession } from "../../app/modules/auth/session.server";
import { signInAs } from "../setup/flows";
import { scheduleJsonValidator, xmllint } from "../setup/interop";

function events(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents("vevent").map((v) => ({ uid: String(v.getFirstPropertyValue("uid")), summary: String(v.getFirstPropertyValue("summary")), categories: v.getAllProperties("categories").flatMap((p) => p.getValues() as string[]) }));
}

describe("calendars and schedule files", () => {
  let app: RunningApp & { slug: string };
  let db: DB;
  let browser: Browser;
  let slug: string;

  beforeAll(async () => {
    app = await startDemoApp();
    slug = app.slug;
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  it("serves the whole agenda, one track and one session as calendars, and 304 to a subscriber that has the current one", async () => {
    const whole = await fetch(`${app.url}/convenings/${slug}/agenda.ics`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="${slug}.ics"`);
    const all = events(await whole.text());
    const placed = await db.selectFrom("placements").select("proposal_id").execute();
    const fixed = await db.selectFrom("fixed_items").select("id").execute();
    expect(all).toHaveLength(placed.length + fixed.length);
    expect(all.filter((e) => !e.uid.startsWith("fixed-")).map((e) => e.uid).sort()).toEqual(placed.map((p) => `${p.proposal_id}@127.0.0.1`).sort());

    const again = await fetch(`${app.url}/convenings/${slug}/agenda.ics`, { headers: { "If-None-Match": whole.headers.get("etag")! } });
    expect(again.status).toBe(304);

    const track = events(await (await fetch(`${app.url}/convenings/${slug}/tracks/sex-work/agenda.ics`)).text());
    expect(track.length).toBeGreaterThan(0);
    expect(track.every((e) => e.categories.includes("Sex work"))).toBe(true);

    const id = placed[0]!.proposal_id;
    const one = await fetch(`${app.url}/convenings/${slug}/sessions/${id}.ics`);
    expect(one.status).toBe(200);
    expect(events(await one.text()).map((e) => e.uid)).toEqual([`${id}@127.0.0.1`]);
    expect((await fetch(`${app.url}/convenings/${slug}/sessions/999999.ics`)).status).toBe(404);
    expect((await fetch(`${app.url}/convenings/${slug}/tracks/no-such-track/agenda.ics`)).status).toBe(404);
  });

  it("serves schedule.json and schedule.xml that validate against the shared schemas, naming people only by their public names", async () => {
    const json = await fetch(`${app.url}/convenings/${slug}/schedule.json`);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const doc = (await json.json()) as object;
    const validate = scheduleJsonValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const xml = await (await fetch(`${app.url}/convenings/${slug}/schedule.xml`)).text();
    expect(xmllint(xml, "demo-schedule.xml")).toMatch(/validates\n$/);
    const fullNames = (await db.selectFrom("people").select("full_name").where("full_name", "is not", null).execute()).map((p) => p.full_name!);
    for (const name of fullNames) {
      expect(JSON.stringify(doc)).not.toContain(name);
      expect(xml).not.toContain(name);
    }
    expect(JSON.stringify(doc)).not.toContain("@example.org");
  });

  it("gives a participant a private feed of their agenda on the My agenda page, which a reset retires", async () => {
    const person = await db.selectFrom("people").select("id").where("email", "=", "participant3@example.org").executeTakeFirstOrThrow();
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, person.id);
    await page.goto(`${app.url}/convenings/${slug}/my-agenda`);
    await visible(page.getByRole("heading", { name: "Your agenda in your calendar" }));
    await expectAccessible(page);
    const feed = (await page.getByRole("link", { name: "Download .ics" }).getAttribute("href"))!;
    expect(feed).toMatch(new RegExp(`^${app.url}/feeds/[A-Za-z0-9_-]{43}/my-agenda\\.ics$`));
    expect(await page.getByRole("link", { name: "Subscribe (webcal)" }).getAttribute("href")).toBe(feed.replace(/^http:/, "webcal:"));

    // No cookie needed: a calendar app fetches it as is.
    const mine = events(await (await fetch(feed)).text());
    const marked = await db
      .selectFrom("interests")
      .innerJoin("placements", "placements.proposal_id", "interests.proposal_id")
      .select("interests.proposal_id")
      .where("interests.person_id", "=", person.id)
      .execute();
    expect(mine.map((e) => e.uid).sort()).toEqual(marked.map((m) => `${m.proposal_id}@127.0.0.1`).sort());

    await page.getByRole("button", { name: "Reset the address" }).click();
    await visible(page.getByText("Your calendar address is new"));
    const fresh = (await page.getByRole("link", { name: "Download .ics" }).getAttribute("href"))!;
    expect(fresh).not.toBe(feed);
    expect((await fetch(feed)).status).toBe(404);
    expect((await fetch(fresh)).status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows proposals opened early for interest to registered participants only", async () => {
    await db.updateTable("convenings").set({ interest_open: 1 }).execute();
    const submitted = (await db.selectFrom("proposals").select("id").where("status", "=", "submitted").executeTakeFirstOrThrow()).id;
    const anonymous = await fetch(`${app.url}/convenings/${slug}/sessions/${submitted}`);
    expect(anonymous.status).toBe(404);
    const participant = await db.selectFrom("people").select("id").where("email", "=", "participant3@example.org").executeTakeFirstOrThrow();
    const cookie = (await createSession(db, participant.id)).split(";")[0]!;
    expect((await fetch(`${app.url}/convenings/${slug}/sessions/${submitted}`, { headers: { Cookie: cookie } })).status).toBe(200);
    const list = await (await fetch(`${app.url}/convenings/${slug}/sessions`)).text();
    const title = (await db.selectFrom("proposals").select("title").where("id", "=", submitted).executeTakeFirstOrThrow()).title;
    expect(list).not.toContain(title.replace(/&/g, "&amp;").replace(/'/g, "&#x27;"));
    await db.updateTable("convenings").set({ interest_open: 0 }).execute();
  });
});
