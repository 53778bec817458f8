// Calendars and schedule files over HTTP, on the demo convening: what subscribers and schedule
// apps fetch, parsed with ical.js and validated against the shared schemas.
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { feedToken } from "../../app/modules/calendar/feeds.server";
import { describe, expect, it } from "vitest";
import { useDemoApp } from "../setup/demo";
import { expectAccessible, openPage, SETTLED, visible } from "../setup/browser";
import { createSession } from "../../app/modules/auth/session.server";
import { signInAs } from "../setup/flows";
import { scheduleJsonValidator, xmllint } from "../setup/interop";

function events(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents("vevent").map((v) => ({ uid: String(v.getFirstPropertyValue("uid")), summary: String(v.getFirstPropertyValue("summary")), categories: v.getAllProperties("categories").flatMap((p) => p.getValues() as string[]) }));
}

describe("calendars and schedule files", () => {
  const demo = useDemoApp();

  it("serves the whole agenda, one track and one session as calendars, and 304 to a subscriber that has the current one", async () => {
    const whole = await fetch(`${demo.app.url}/convenings/${demo.slug}/agenda.ics`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="${demo.slug}.ics"`);
    const all = events(await whole.text());
    const placed = await demo.db.selectFrom("placements").select("proposal_id").execute();
    const fixed = await demo.db.selectFrom("fixed_items").select("id").execute();
    expect(all).toHaveLength(placed.length + fixed.length);
    expect(all.filter((e) => !e.uid.startsWith("fixed-")).map((e) => e.uid).sort()).toEqual(placed.map((p) => `${p.proposal_id}@127.0.0.1`).sort());

    const again = await fetch(`${demo.app.url}/convenings/${demo.slug}/agenda.ics`, { headers: { "If-None-Match": whole.headers.get("etag")! } });
    expect(again.status).toBe(304);

    const track = events(await (await fetch(`${demo.app.url}/convenings/${demo.slug}/tracks/sex-work/agenda.ics`)).text());
    expect(track.length).toBeGreaterThan(0);
    expect(track.every((e) => e.categories.includes("Sex work"))).toBe(true);

    const id = placed[0]!.proposal_id;
    const one = await fetch(`${demo.app.url}/convenings/${demo.slug}/sessions/${id}.ics`);
    expect(one.status).toBe(200);
    expect(events(await one.text()).map((e) => e.uid)).toEqual([`${id}@127.0.0.1`]);
    expect((await fetch(`${demo.app.url}/convenings/${demo.slug}/sessions/999999.ics`)).status).toBe(404);
    expect((await fetch(`${demo.app.url}/convenings/${demo.slug}/tracks/no-such-track/agenda.ics`)).status).toBe(404);
  });

  it("writes DTSTAMP and every other UTC date-time with a Z in every feed, as RFC 5545 requires, read alike by ical.js and node-ical", async () => {
    // A participant who owns an action item and marked placed sessions: both private feeds have events.
    const owner = await demo.db
      .selectFrom("action_owners")
      .innerJoin("interests", "interests.person_id", "action_owners.person_id")
      .select("action_owners.person_id")
      .where("action_owners.person_id", "is not", null)
      .orderBy("action_owners.person_id")
      .limit(1)
      .executeTakeFirstOrThrow();
    const personId = owner.person_id!;
    const session = (await demo.db.selectFrom("placements").select("proposal_id").orderBy("proposal_id").limit(1).executeTakeFirstOrThrow()).proposal_id;
    const track = (await demo.db.selectFrom("tracks").innerJoin("convenings", "convenings.id", "tracks.convening_id").select("tracks.slug").where("convenings.slug", "=", demo.slug).orderBy("tracks.position").limit(1).executeTakeFirstOrThrow()).slug;
    const version = await demo.db.selectFrom("agenda_versions").innerJoin("convenings", "convenings.id", "agenda_versions.convening_id").select("agenda_versions.published_at").where("convenings.slug", "=", demo.slug).orderBy("number", "desc").limit(1).executeTakeFirstOrThrow();
    const feeds = {
      agenda: `/convenings/${demo.slug}/agenda.ics`,
      track: `/convenings/${demo.slug}/tracks/${track}/agenda.ics`,
      session: `/convenings/${demo.slug}/sessions/${session}.ics`,
      myAgenda: `/feeds/${await feedToken(demo.db, personId, "agenda")}/my-agenda.ics`,
      actions: `/feeds/${await feedToken(demo.db, personId, "actions")}/actions.ics`,
    };
    const stampOfVersion = new Date(version.published_at).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
    for (const [name, path] of Object.entries(feeds)) {
      const response = await fetch(`${demo.app.url}${path}`);
      expect(response.status, name).toBe(200);
      const text = await response.text();
      const unfolded = text.replace(/\r\n[ \t]/g, "");
      const lines = unfolded.split("\r\n");
      const events = lines.filter((l) => l === "BEGIN:VEVENT").length;
      expect(events, name).toBeGreaterThan(0);
      // Every stamp line, and every date-time not tied to a zone or a date, is UTC with a Z.
      const stamps = lines.filter((l) => /^(DTSTAMP|CREATED|LAST-MODIFIED)[:;]/.test(l));
      expect(stamps.length, name).toBeGreaterThanOrEqual(events);
      for (const line of stamps) expect(line, name).toMatch(/^(DTSTAMP|CREATED|LAST-MODIFIED):\d{8}T\d{6}Z$/);
      // (Inside VTIMEZONE, DTSTART is local time by definition; the events' own are checked.)
      const inEvents = unfolded.split("BEGIN:VEVENT").slice(1).flatMap((block) => block.split("END:VEVENT")[0]!.split("\r\n"));
      for (const line of inEvents.filter((l) => /^(DTSTART|DTEND)[:;]/.test(l))) expect(line, name).toMatch(/^(DTSTART|DTEND)(;TZID=[^:;]+:\d{8}T\d{6}|;VALUE=DATE:\d{8}|:\d{8}T\d{6}Z)$/);
      if (name !== "actions") expect(lines.filter((l) => l.startsWith("DTSTAMP:")).every((l) => l === `DTSTAMP:${stampOfVersion}`), name).toBe(true);

      // Both parsers read the same stamps, as instants in UTC.
      const byIcalJs = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((v) => {
        const stamp = v.getFirstPropertyValue("dtstamp") as ICAL.Time;
        return { uid: String(v.getFirstPropertyValue("uid")), utc: stamp.zone?.tzid === "UTC", stamp: stamp.toJSDate().toISOString() };
      });
      const byNodeIcal = Object.values(nodeIcal.sync.parseICS(text))
        .filter((c) => c?.type === "VEVENT")
        .map((c) => {
          const event = c as nodeIcal.VEvent;
          return { uid: event.uid, utc: true, stamp: new Date(event.dtstamp).toISOString() };
        });
      expect(byIcalJs.every((e) => e.utc), name).toBe(true);
      expect(byIcalJs.sort((a, b) => a.uid.localeCompare(b.uid)), name).toEqual(byNodeIcal.sort((a, b) => a.uid.localeCompare(b.uid)));
    }
  });

  it("serves schedule.json and schedule.xml that validate against the shared schemas, naming people only by their public names", async () => {
    const json = await fetch(`${demo.app.url}/convenings/${demo.slug}/schedule.json`);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const doc = (await json.json()) as object;
    const validate = scheduleJsonValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const xml = await (await fetch(`${demo.app.url}/convenings/${demo.slug}/schedule.xml`)).text();
    expect(xmllint(xml, "demo-schedule.xml")).toMatch(/validates\n$/);
    const fullNames = (await demo.db.selectFrom("people").select("full_name").where("full_name", "is not", null).execute()).map((p) => p.full_name!);
    for (const name of fullNames) {
      expect(JSON.stringify(doc)).not.toContain(name);
      expect(xml).not.toContain(name);
    }
    expect(JSON.stringify(doc)).not.toContain("@example.org");
  });

  it("gives a participant a private feed of their agenda on the My agenda page, which a reset retires", async () => {
    const person = await demo.db.selectFrom("people").select("id").where("email", "=", "participant3@example.org").executeTakeFirstOrThrow();
    const { page, context, errors } = await openPage(demo.browser);
    await signInAs(context, demo.db, demo.app.url, person.id);
    await page.goto(`${demo.app.url}/convenings/${demo.slug}/my-agenda`);
    await visible(page.getByRole("heading", { name: "Your agenda in your calendar" }));
    await expectAccessible(page);
    const feed = (await page.getByRole("link", { name: "Download .ics" }).getAttribute("href"))!;
    expect(feed).toMatch(new RegExp(`^${demo.app.url}/feeds/[A-Za-z0-9_-]{43}/my-agenda\\.ics$`));
    await expect.poll(() => page.getByRole("link", { name: "Subscribe (webcal)" }).getAttribute("href"), SETTLED).toBe(feed.replace(/^http:/, "webcal:"));

    // No cookie needed: a calendar app fetches it as is.
    const mine = events(await (await fetch(feed)).text());
    const marked = await demo.db
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
    await demo.db.updateTable("convenings").set({ interest_open: 1 }).execute();
    // Put back whatever happens, so the other tests see the demo as it was.
    try {
      const submitted = (await demo.db.selectFrom("proposals").select("id").where("status", "=", "submitted").executeTakeFirstOrThrow()).id;
      const anonymous = await fetch(`${demo.app.url}/convenings/${demo.slug}/sessions/${submitted}`);
      expect(anonymous.status).toBe(404);
      const participant = await demo.db.selectFrom("people").select("id").where("email", "=", "participant3@example.org").executeTakeFirstOrThrow();
      const cookie = (await createSession(demo.db, participant.id)).split(";")[0]!;
      expect((await fetch(`${demo.app.url}/convenings/${demo.slug}/sessions/${submitted}`, { headers: { Cookie: cookie } })).status).toBe(200);
      const list = await (await fetch(`${demo.app.url}/convenings/${demo.slug}/sessions`)).text();
      const title = (await demo.db.selectFrom("proposals").select("title").where("id", "=", submitted).executeTakeFirstOrThrow()).title;
      expect(list).not.toContain(title.replace(/&/g, "&amp;").replace(/'/g, "&#x27;"));
    } finally {
      await demo.db.updateTable("convenings").set({ interest_open: 0 }).execute();
    }
  });
});
