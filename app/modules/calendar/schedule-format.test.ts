import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INTEROP, scheduleJsonValidator as validator, xmllint } from "../../../tests/setup/interop";
import { scheduleJson, scheduleXml, type ScheduleInput } from "./schedule-format";

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface JsonEvent {
  id: number;
  guid: string;
  date: string;
  start: string;
  end: string;
  duration: string;
  room: string;
  slug: string;
  title: string;
  track: string | null;
  type: string;
  language: string | null;
  abstract: string;
  persons: Array<Record<string, unknown>>;
}
interface JsonDay {
  index: number;
  date: string;
  day_start: string;
  day_end: string;
  rooms: Record<string, JsonEvent[]>;
}
interface JsonDoc {
  $schema: string;
  schedule: {
    version: string;
    base_url: string;
    conference: {
      acronym: string;
      start: string;
      end: string;
      daysCount: number;
      timeslot_duration: string;
      time_zone_name?: string;
      tracks: Array<{ name: string }>;
      rooms: Array<{ name: string; guid: string }>;
      days: JsonDay[];
    };
  };
}

const ROOM_A = "Sala Grande";
const ROOM_B = `Auditório "Oeste" & <Anexo>`;
const ROOM_C = "Sala 3, sem sessões";
const JOAO = `João "Jo" Gonçalves`;
const ZOE = "Zoë O'Brien <zoe>";
const BASE = "https://convene.example.org/convenings/lisbon27";

// Lisbon moves its clocks from 01:00 WET (+00:00) to 02:00 WEST (+01:00) at 2027-03-28T01:00Z.
function input(): ScheduleInput {
  const event = (id: number, fields: Partial<ScheduleInput["events"][number]> & { startsAt: string; minutes: number; room: string }) => ({
    id,
    uid: `${id}@convene.example.org`,
    title: `Session ${id}`,
    abstract: "",
    track: "Commons & Care",
    type: "workshop",
    language: "en",
    persons: [],
    url: `${BASE}/sessions/${id}`,
    slug: `lisbon27-${id}-session`,
    ...fields,
  });
  return {
    conference: { acronym: "lisbon27", title: "Convene Lisboa & <Friends> 2027", start: "2027-03-27", end: "2027-03-28", timeZone: "Europe/Lisbon", url: BASE, baseUrl: `${BASE}/` },
    version: "3",
    rooms: [
      { id: 1, name: ROOM_A },
      { id: 2, name: ROOM_B },
      { id: 3, name: ROOM_C },
    ],
    // Deliberately out of order: the output must sort them.
    events: [
      event(16, { title: "Manhã de verão", startsAt: "2027-03-28T09:00:00.000Z", minutes: 120, room: ROOM_A, track: "", type: "talk", persons: [{ id: 7, name: ZOE }] }),
      event(13, { title: "Second room, same start", startsAt: "2027-03-27T09:00:00.000Z", minutes: 45, room: ROOM_B, language: "" }),
      event(12, {
        title: `Coffee & <Code> "live"`,
        abstract: "a < b && c > d ]]> \u0007bell",
        startsAt: "2027-03-27T09:00:00.000Z",
        minutes: 90,
        room: ROOM_A,
        persons: [
          { id: 3, name: JOAO },
          { id: 4, name: ZOE },
        ],
      }),
      event(15, { title: "Across the change", startsAt: "2027-03-28T00:30:00.000Z", minutes: 60, room: ROOM_B }),
      event(14, { title: "Late night", startsAt: "2027-03-27T23:30:00.000Z", minutes: 60, room: ROOM_A }),
    ],
  };
}

const json = () => scheduleJson(input()) as JsonDoc;
const allEvents = (doc: JsonDoc) => doc.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());
const byId = (doc: JsonDoc, id: number) => allEvents(doc).find((e) => e.id === id)!;

describe("schedule.json", () => {
  it("validates against the c3voc JSON schema", () => {
    const validate = validator();
    const ok = validate(json());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("uses a validator that rejects what the schema forbids and accepts pretalx's own example", () => {
    const validate = validator();
    const broken = json();
    byId(broken, 12).duration = "90 minutes";
    expect(validate(broken)).toBe(false);
    expect(validate(JSON.parse(readFileSync(join(INTEROP, "example-pretalx-democon.json"), "utf8")))).toBe(true);
  });

  it("describes the convening: dates, day count, zone, grid step, rooms and tracks", () => {
    const doc = json();
    const c = doc.schedule.conference;
    expect(doc.$schema).toBe("https://c3voc.de/schedule/schema.json");
    expect(doc.schedule.version).toBe("3");
    expect(doc.schedule.base_url).toBe(`${BASE}/`);
    expect([c.acronym, c.start, c.end, c.daysCount, c.time_zone_name]).toEqual(["lisbon27", "2027-03-27", "2027-03-28", 2, "Europe/Lisbon"]);
    // Starts on :00 and :30, lengths of 45, 60, 90 and 120 minutes: a 15-minute grid fits them all.
    expect(c.timeslot_duration).toBe("00:15");
    expect(c.rooms.map((r) => r.name)).toEqual([ROOM_A, ROOM_B, ROOM_C]);
    expect(c.rooms.every((r) => UUID_V5.test(r.guid))).toBe(true);
    expect(new Set(c.rooms.map((r) => r.guid)).size).toBe(3);
    expect(c.rooms[0]!.guid).toBe("d75179be-b2fb-5bfd-85c8-025abfd5f7a8");
    expect(c.tracks).toEqual([{ name: "Commons & Care" }]);
  });

  it("splits the agenda into the convening's local days, with the offsets in force at each bound", () => {
    const days = json().schedule.conference.days;
    expect(days.map(({ index, date, day_start, day_end }) => ({ index, date, day_start, day_end }))).toEqual([
      { index: 1, date: "2027-03-27", day_start: "2027-03-27T00:00:00+00:00", day_end: "2027-03-27T23:59:00+00:00" },
      { index: 2, date: "2027-03-28", day_start: "2027-03-28T00:00:00+00:00", day_end: "2027-03-28T23:59:00+01:00" },
    ]);
    // Only rooms with something on that day, in the organiser's room order.
    expect(days.map((d) => Object.keys(d.rooms))).toEqual([
      [ROOM_A, ROOM_B],
      [ROOM_A, ROOM_B],
    ]);
    expect(days.map((d) => Object.values(d.rooms).map((events) => events.map((e) => e.id)))).toEqual([
      [[12, 14], [13]],
      [[16], [15]],
    ]);
  });

  it("gives each event its local date, start, end and duration on both sides of the clock change", () => {
    const doc = json();
    const pick = (id: number) => {
      const { date, start, end, duration, room } = byId(doc, id);
      return { date, start, end, duration, room };
    };
    expect(pick(12)).toEqual({ date: "2027-03-27T09:00:00+00:00", start: "09:00", end: "2027-03-27T10:30:00+00:00", duration: "01:30", room: ROOM_A });
    expect(pick(13)).toEqual({ date: "2027-03-27T09:00:00+00:00", start: "09:00", end: "2027-03-27T09:45:00+00:00", duration: "00:45", room: ROOM_B });
    // Crosses midnight into the day of the change, still on winter time.
    expect(pick(14)).toEqual({ date: "2027-03-27T23:30:00+00:00", start: "23:30", end: "2027-03-28T00:30:00+00:00", duration: "01:00", room: ROOM_A });
    // Starts on winter time and ends on summer time: an hour long, though the clock says two.
    expect(pick(15)).toEqual({ date: "2027-03-28T00:30:00+00:00", start: "00:30", end: "2027-03-28T02:30:00+01:00", duration: "01:00", room: ROOM_B });
    expect(pick(16)).toEqual({ date: "2027-03-28T10:00:00+01:00", start: "10:00", end: "2027-03-28T12:00:00+01:00", duration: "02:00", room: ROOM_A });
  });

  it("carries titles, track, type and language through, with null for none", () => {
    const doc = json();
    expect(byId(doc, 12)).toMatchObject({ title: `Coffee & <Code> "live"`, track: "Commons & Care", type: "workshop", language: "en", slug: "lisbon27-12-session", abstract: "a < b && c > d ]]> \u0007bell" });
    expect(byId(doc, 13).language).toBeNull();
    expect(byId(doc, 16)).toMatchObject({ title: "Manhã de verão", track: null, type: "talk" });
  });

  it("derives a stable version-5 guid from the uid alone", () => {
    const doc = json();
    const guids = Object.fromEntries(allEvents(doc).map((e) => [e.id, e.guid]));
    // The same values as Python's uuid.uuid5(uuid.NAMESPACE_URL, "<id>@convene.example.org").
    expect(guids).toEqual({
      12: "2b5c3891-09a5-56e3-9292-f898688a7c52",
      13: "21c2da9d-6651-573e-a237-9e1b4afa7f92",
      14: "5c724512-c990-554c-a2a1-032a2f0452aa",
      15: "bb8cdbdc-d3dd-554a-821d-afd3d499f403",
      16: "3af2e128-29cb-59a1-a62b-f9d6a5ab1f31",
    });
    expect(Object.values(guids).every((g) => UUID_V5.test(g))).toBe(true);
    const moved = input();
    moved.events = moved.events.map((e) => (e.id === 12 ? { ...e, title: "Renamed", startsAt: "2027-03-28T15:00:00.000Z", room: ROOM_C } : e));
    expect(byId(scheduleJson(moved) as JsonDoc, 12).guid).toBe(guids[12]);
  });

  it("lists persons by the names given and nothing else about them", () => {
    const withPrivate = input();
    // A caller handing over wider rows (as TypeScript allows) must not leak the extra fields.
    const private_ = { email: "joao@private.example", fullName: "João Hiddensurname" };
    withPrivate.events = withPrivate.events.map((e) => ({ ...e, persons: e.persons.map((p) => ({ ...p, ...private_ })) }));
    const doc = scheduleJson(withPrivate) as JsonDoc;
    expect(byId(doc, 12).persons).toEqual([
      { id: 3, name: JOAO },
      { id: 4, name: ZOE },
    ]);
    expect(byId(doc, 16).persons).toEqual([{ id: 7, name: ZOE }]);
    expect(byId(doc, 13).persons).toEqual([]);
    const names = new Set(allEvents(doc).flatMap((e) => e.persons.map((p) => p.name)));
    expect([...names].sort()).toEqual([JOAO, ZOE].sort());
    for (const person of allEvents(doc).flatMap((e) => e.persons)) expect(Object.keys(person).sort()).toEqual(["id", "name"]);
    for (const text of [JSON.stringify(doc), scheduleXml(withPrivate)]) {
      expect(text).not.toContain("private.example");
      expect(text).not.toContain("Hiddensurname");
    }
  });

  it("refuses an event outside the convening's days rather than dropping it", () => {
    const late = input();
    late.events.push({ ...late.events[0]!, id: 99, uid: "99@convene.example.org", startsAt: "2027-03-28T23:30:00.000Z" });
    expect(() => scheduleJson(late)).toThrow(/event 99 .* falls outside the convening's days/);
  });
});

describe("schedule.xml", () => {
  it("validates against the c3voc XSD", () => {
    expect(xmllint(scheduleXml(input()), "schedule.xml")).toMatch(/\/schedule\.xml validates\n$/);
  });

  it("is checked by an xmllint run that does reject an invalid document", () => {
    const broken = scheduleXml(input()).replace("<duration>01:30</duration>", "<duration>90 minutes</duration>");
    expect(xmllint(broken, "broken.xml")).toContain("fails to validate");
  });

  it("escapes every text and attribute, keeps non-ASCII, and drops what XML cannot carry", () => {
    const xml = scheduleXml(input());
    expect(xml).toContain(`<title>Convene Lisboa &amp; &lt;Friends&gt; 2027</title>`);
    expect(xml).toContain(`<title>Coffee &amp; &lt;Code&gt; &quot;live&quot;</title>`);
    expect(xml).toContain(`<room name="Auditório &quot;Oeste&quot; &amp; &lt;Anexo&gt;" guid="`);
    expect(xml).toContain(`<room>Auditório &quot;Oeste&quot; &amp; &lt;Anexo&gt;</room>`);
    expect(xml).toContain(`<abstract>a &lt; b &amp;&amp; c &gt; d ]]&gt; bell</abstract>`);
    expect(xml).toContain(`<track name="Commons &amp; Care"></track>`);
    expect(xml).toContain(`<title>Manhã de verão</title>`);
    expect(xml).not.toContain("\u0007");
  });

  it("holds the same days, times, order and guids as the JSON", () => {
    const xml = scheduleXml(input());
    expect([...xml.matchAll(/<day index="(\d+)" date="([^"]+)" start="([^"]+)" end="([^"]+)">/g)].map((m) => m.slice(1))).toEqual([
      ["1", "2027-03-27", "2027-03-27T00:00:00+00:00", "2027-03-27T23:59:00+00:00"],
      ["2", "2027-03-28", "2027-03-28T00:00:00+00:00", "2027-03-28T23:59:00+01:00"],
    ]);
    const events = [...xml.matchAll(/<event id="(\d+)" guid="([^"]+)">\s*<date>([^<]+)<\/date>\s*<start>([^<]+)<\/start>\s*<duration>([^<]+)<\/duration>/g)].map((m) => m.slice(1));
    expect(events).toEqual([
      ["12", "2b5c3891-09a5-56e3-9292-f898688a7c52", "2027-03-27T09:00:00+00:00", "09:00", "01:30"],
      ["14", "5c724512-c990-554c-a2a1-032a2f0452aa", "2027-03-27T23:30:00+00:00", "23:30", "01:00"],
      ["13", "21c2da9d-6651-573e-a237-9e1b4afa7f92", "2027-03-27T09:00:00+00:00", "09:00", "00:45"],
      ["16", "3af2e128-29cb-59a1-a62b-f9d6a5ab1f31", "2027-03-28T10:00:00+01:00", "10:00", "02:00"],
      ["15", "bb8cdbdc-d3dd-554a-821d-afd3d499f403", "2027-03-28T00:30:00+00:00", "00:30", "01:00"],
    ]);
    expect(xml).toContain(`<language>en</language>`);
    expect(xml.match(/<language>/g)).toHaveLength(4);
  });

  it("lists persons by the names given only", () => {
    const xml = scheduleXml(input());
    const persons = [...xml.matchAll(/<person([^>]*)>([^<]*)<\/person>/g)].map((m) => [m[1], m[2]]);
    expect(persons).toEqual([
      [` id="3"`, "João &quot;Jo&quot; Gonçalves"],
      [` id="4"`, "Zoë O&apos;Brien &lt;zoe&gt;"],
      [` id="7"`, "Zoë O&apos;Brien &lt;zoe&gt;"],
    ]);
  });
});
