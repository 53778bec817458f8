// Calendars checked with two independent parsers (ical.js and node-ical) against the agenda.
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { agenda, convening, participant, proposal } from "../../../tests/factories";
import { placeSession, unplaceSession } from "../agenda/placements.server";
import { publishAgenda } from "../agenda/publish.server";
import { getPublicConvening, listTracks } from "../convenings/convenings.server";
import { setAnonymousLabel } from "../proposals/labels.server";
import { setInterest } from "../proposals/sessions.server";
import { scheduleJsonValidator, xmllint } from "../../../tests/setup/interop";
import { agendaCalendar, calendarResponse, feedToken, personForFeed, resetFeedToken, scheduleInput } from "./feeds.server";
import { scheduleJson, scheduleXml } from "./schedule-format";

const NOW = new Date("2027-02-01T12:00:00Z");

interface Parsed {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  status: string | null;
  location: string;
  categories: string[];
  description: string;
  url: string;
}

function withIcalJs(text: string): Parsed[] {
  const component = new ICAL.Component(ICAL.parse(text));
  for (const tz of component.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  return component.getAllSubcomponents("vevent").map((v) => {
    const event = new ICAL.Event(v);
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      summary: event.summary,
      status: (v.getFirstPropertyValue("status") as string | null) ?? null,
      location: event.location,
      categories: v.getAllProperties("categories").flatMap((p) => p.getValues() as string[]),
      description: event.description,
      url: String(v.getFirstPropertyValue("url") ?? ""),
    };
  });
}

function withNodeIcal(text: string) {
  return Object.values(nodeIcal.sync.parseICS(text))
    .filter((c): c is nodeIcal.VEvent => c?.type === "VEVENT")
    .map((e) => ({ uid: e.uid, start: new Date(e.start).toISOString(), end: new Date(e.end!).toISOString(), summary: String(e.summary), status: e.status ?? null }));
}

describe.each(DATABASE_KINDS)("calendars on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  // Each test has a database of its own holding the convening with version 1 of its agenda.
  let ids: Record<string, number>;
  const registered = async (name: string) => (await participant(t.db, conveningId, { name, fullName: `${name} Secretsurname` })).id;

  beforeEach(async () => {
    ids = {};
    t = await freshDatabase(kind);
    // Clocks in Lisbon go forward on 28 March 2027 at 01:00 UTC: 10:00 is 10:00Z on the 27th, 09:00Z on the 28th.
    const c = await convening(t.db, { slug: `dst-${kind}`, title: "Spring Meeting", startsOn: "2027-03-27", endsOn: "2027-03-28", venue: "Casa", registration: {}, cfp: {} });
    ({ id: conveningId, organizerId } = c);
    const ana = await registered("Ana");
    const ben = await registered("Ben");
    for (const [title, proposer, linked] of [["Before the change", ana, [c.trackIds[2]!]], ["After the change", ben, []]] as const) {
      ids[title] = (await proposal(t.db, { conveningId, proposerId: proposer, status: "accepted", now: NOW, answers: { title, abstract: `${title}: what it is about`, linkedTracks: [...linked] } })).id;
    }
    await setAnonymousLabel(t.db, { proposalId: ids["After the change"]!, personId: ben, label: "a facilitator from the migrant workers' caucus" });
    const made = await agenda(t.db, {
      conveningId,
      rooms: [{ name: "Room 1", capacity: 30 }, { name: "Room 2", capacity: 30 }],
      slots: [{ date: "2027-03-27", time: "10:00" }, { date: "2027-03-28", time: "10:00" }],
      placements: [{ proposalId: ids["Before the change"]!, slot: 0, room: 0 }, { proposalId: ids["After the change"]!, slot: 1, room: 0 }],
      publish: { now: NOW },
    });
    Object.assign(ids, { room: made.rooms[0], room2: made.rooms[1], day1: made.slots[0], day2: made.slots[1] });
  });
  afterEach(async () => {
    await t.drop();
  });

  /** Version 2, as the sequence test publishes it: "After the change" moves to Room 2, "Before the change" is dropped. */
  async function secondVersion() {
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids["After the change"]!, slotId: ids.day2!, roomId: ids.room2! });
    await unplaceSession(t.db, { conveningId, organizerId, proposalId: ids["Before the change"]! });
    await publishAgenda(t.db, { conveningId, organizerId, note: "", now: new Date("2027-02-02T12:00:00Z") });
  }

  const publicConvening = async () => (await getPublicConvening(t.db, `dst-${kind}`))!;

  it("writes each session with its UID, times right across the daylight-saving change, and what people may see", async () => {
    const file = await agendaCalendar(t.db, await publicConvening(), {}, "Spring Meeting");
    expect(file.body).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Lisbon");
    const parsed = withIcalJs(file.body);
    expect(parsed.map((e) => [e.uid, e.sequence, e.start, e.end, e.summary, e.status, e.location])).toEqual([
      [`${ids["Before the change"]}@convene.test`, 0, "2027-03-27T10:00:00.000Z", "2027-03-27T11:00:00.000Z", "Before the change", "CONFIRMED", "Room 1, Casa"],
      [`${ids["After the change"]}@convene.test`, 0, "2027-03-28T09:00:00.000Z", "2027-03-28T10:00:00.000Z", "After the change", "CONFIRMED", "Room 1, Casa"],
    ]);
    expect(withNodeIcal(file.body)).toEqual(parsed.map((e) => ({ uid: e.uid, start: e.start, end: e.end, summary: e.summary, status: e.status })));
    expect(parsed[0]!.categories).toEqual(["Sex work", "HIV/AIDS"]);
    expect(parsed[0]!.url).toBe(`http://convene.test/convenings/dst-${kind}/sessions/${ids["Before the change"]}`);
    expect(parsed[0]!.description).toBe(`Before the change: what it is about\n\nFacilitators: Ana\n\nTracks: Sex work, HIV/AIDS\n\n${parsed[0]!.url}`);
    // A facilitator who chose a label appears only by it; nobody's full name or email is ever in a feed.
    expect(parsed[1]!.description).toContain("Facilitators: a facilitator from the migrant workers' caucus");
    expect(file.body).not.toMatch(/Secretsurname|@example\.org|Ben/);
  });

  it("raises SEQUENCE when a session moves and keeps a dropped one as CANCELLED in the next version", async () => {
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids["After the change"]!, slotId: ids.day2!, roomId: ids.room2! });
    await unplaceSession(t.db, { conveningId, organizerId, proposalId: ids["Before the change"]! });
    await publishAgenda(t.db, { conveningId, organizerId, note: "", now: new Date("2027-02-02T12:00:00Z") });
    const parsed = withIcalJs((await agendaCalendar(t.db, await publicConvening(), {}, "Spring Meeting")).body);
    expect(parsed.map((e) => [e.summary, e.sequence, e.status, e.location])).toEqual([
      ["Before the change", 1, "CANCELLED", "Room 1, Casa"],
      ["After the change", 1, "CONFIRMED", "Room 2, Casa"],
    ]);
    const track = (await listTracks(t.db, conveningId))[2]!;
    const trackFeed = withIcalJs((await agendaCalendar(t.db, await publicConvening(), { trackId: track.id }, "HIV/AIDS")).body);
    expect(trackFeed.map((e) => e.summary)).toEqual(["Before the change"]);

    // Facilitators got their invitations: a REQUEST first, an update with the same UID and a higher SEQUENCE, then a CANCEL.
    const invitations = await t.db.selectFrom("mail_outbox").select(["to_address", "subject", "ics", "ics_method"]).where("template", "=", "session-invitation").where("convening_id", "=", conveningId).orderBy("id").execute();
    const summary = invitations.map((m) => {
      const event = withIcalJs(m.ics!)[0]!;
      return [m.ics_method, ICAL.Component.fromString(m.ics!).getFirstPropertyValue("method"), event.summary, event.sequence, event.status];
    });
    expect(summary).toEqual([
      ["REQUEST", "REQUEST", "Before the change", 0, "CONFIRMED"],
      ["REQUEST", "REQUEST", "After the change", 0, "CONFIRMED"],
      ["REQUEST", "REQUEST", "After the change", 1, "CONFIRMED"],
      ["CANCEL", "CANCEL", "Before the change", 1, "CANCELLED"],
    ]);
    expect(invitations[0]!.subject).toBe('Your session "Before the change": 27 Mar 2027, 10:00');
  });

  it("answers 304 to a subscriber that already has the current calendar", async () => {
    await secondVersion();
    const file = await agendaCalendar(t.db, await publicConvening(), {}, "Spring Meeting");
    const fresh = calendarResponse(new Request("http://convene.test/x.ics"), file, "x.ics");
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(fresh.headers.get("content-disposition")).toBe('attachment; filename="x.ics"');
    expect(fresh.headers.get("last-modified")).toBe("Tue, 02 Feb 2027 12:00:00 GMT");
    const again = calendarResponse(new Request("http://convene.test/x.ics", { headers: { "If-None-Match": fresh.headers.get("etag")! } }), file, "x.ics");
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(calendarResponse(new Request("http://convene.test/x.ics", { headers: { "If-None-Match": '"other"' } }), file, "x.ics").status).toBe(200);
  });

  it("gives each person a secret feed address that a reset retires", async () => {
    const viewer = await registered("Viewer");
    await setInterest(t.db, { conveningId, personId: viewer, proposalId: ids["After the change"]!, interested: true });
    const token = await feedToken(t.db, viewer, "agenda");
    expect(await feedToken(t.db, viewer, "agenda")).toBe(token);
    expect(await personForFeed(t.db, token, "agenda")).toBe(viewer);
    expect(await personForFeed(t.db, token, "actions")).toBeNull();
    const fresh = await resetFeedToken(t.db, viewer, "agenda");
    expect(fresh).not.toBe(token);
    expect(await personForFeed(t.db, token, "agenda")).toBeNull();
    expect(await personForFeed(t.db, fresh, "agenda")).toBe(viewer);
    const mine = withIcalJs((await agendaCalendar(t.db, await publicConvening(), { proposalIds: [ids["After the change"]!] }, "mine")).body);
    expect(mine.map((e) => e.summary)).toEqual(["After the change"]);
  });

  it("exports the published agenda as schedule.json and schedule.xml that validate against the shared schemas", async () => {
    await secondVersion();
    const c = (await getPublicConvening(t.db, `dst-${kind}`))!;
    const input = (await scheduleInput(t.db, c))!;
    expect(input.conference.acronym).toBe(`dst_${kind}`);
    expect(input.events.map((e) => [e.title, e.room, e.persons.map((p) => p.name)])).toEqual([["After the change", "Room 2", ["a facilitator from the migrant workers' caucus"]]]);
    const validate = scheduleJsonValidator();
    const doc = scheduleJson(input);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(xmllint(scheduleXml(input), `schedule-${kind}.xml`)).toMatch(/validates\n$/);
    expect(JSON.stringify(doc)).not.toMatch(/Secretsurname|@example\.org|"Ben"/);
  });
});
