// The published agenda in the conference schedule interchange format (schedule.json and
// schedule.xml, validated by the c3voc schemas in tests/fixtures/interop) that apps such as Giggity,
// ConfClerk and EventFahrplan read. Pure: the caller gathers the data, so these can be tested
// against the schemas without a database.
import { createHash } from "node:crypto";
import { DateTime } from "luxon";

export interface ScheduleInput {
  conference: { acronym: string; title: string; start: string /* YYYY-MM-DD */; end: string; timeZone: string /* IANA */; url: string; baseUrl: string };
  version: string;
  rooms: Array<{ id: number; name: string }>;
  events: Array<{
    id: number;
    uid: string /* e.g. "12@convene.example.org", stable */;
    title: string;
    abstract: string;
    startsAt: string /* UTC ISO */;
    minutes: number;
    room: string;
    track: string;
    type: string /* session format, e.g. "workshop" */;
    language: string /* "" or a code like "en" */;
    persons: Array<{ id: number; name: string }>;
    url: string;
    slug: string;
  }>;
}

type ScheduleEvent = ScheduleInput["events"][number];

interface Placed {
  event: ScheduleEvent;
  start: DateTime;
  end: DateTime;
}

interface Day {
  index: number;
  date: string;
  start: DateTime;
  end: DateTime;
  rooms: Array<{ name: string; guid: string; events: Placed[] }>;
}

interface Prepared {
  days: Day[];
  rooms: Array<{ name: string; guid: string }>;
  tracks: string[];
  timeslot: string;
}

// The schema's own $id; readers use it to tell which format (and version of it) they are given.
const SCHEMA_URL = "https://c3voc.de/schedule/schema.json";
const GENERATOR = "Convene";

// RFC 4122's URL namespace: the one the format's own guidance uses for uuid5 person guids, so any
// uuid5 implementation reproduces our guids from the uid alone.
const NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// Convene's agenda pages and slot entry both work in local calendar dates, so a day starts at local
// midnight: a slot lands on the date its organiser gave it in every app. pretalx's 04:00 cut-off
// would move a 01:00 slot to the evening before, and one on the first date out of the convening.
const DAY_STARTS_AT_HOUR = 0;

// Offsets are always written as ±HH:MM (never "Z"), as pretalx does: readers that show local time
// take it from the offset, and the XSD's dateTimeTZ insists on one being present.
const DATE_TIME = "yyyy-MM-dd'T'HH:mm:ssZZ";

// The JSON schema's time_zone_name pattern rejects some real IANA names (e.g. "Etc/GMT-1"); the
// name is optional there and every date carries its offset, so an unmatched name is left out
// rather than making the document invalid.
const JSON_TIME_ZONE_NAME = /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/;

// The XSD only wants a slug when it is not the one readers would derive from the title, and its
// pattern is stricter than the JSON schema's; a slug that does not fit is left out of the XML.
const XML_SLUG = /^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$/;

// XML 1.0 cannot carry these at all, not even as character references.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const pad = (n: number) => String(n).padStart(2, "0");

function uuidV5(name: string): string {
  const bytes = createHash("sha1").update(Buffer.from(NAMESPACE_URL.replace(/-/g, ""), "hex")).update(name, "utf8").digest().subarray(0, 16);
  // Version and variant bits make it a well-formed version 5 UUID rather than 16 bytes of hash.
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function duration(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function prepare(input: ScheduleInput): Prepared {
  const zone = input.conference.timeZone;
  const first = DateTime.fromISO(input.conference.start, { zone });
  const last = DateTime.fromISO(input.conference.end, { zone });
  if (!first.isValid || !last.isValid) throw new RangeError(`invalid convening dates or time zone: ${input.conference.start}–${input.conference.end} in ${zone}`);
  if (last < first) throw new RangeError(`convening ends (${input.conference.end}) before it starts (${input.conference.start})`);

  // Rooms keep the organiser's order (the caller lists them by position); a room only named by an
  // entry still needs a place and a guid, so it follows, by name.
  const rooms = new Map<string, { name: string; guid: string; rank: number }>();
  for (const room of input.rooms) {
    if (!rooms.has(room.name)) rooms.set(room.name, { name: room.name, guid: uuidV5(`${input.conference.url}#room-${room.id}`), rank: rooms.size });
  }
  const extra = [...new Set(input.events.map((e) => e.room))].filter((name) => !rooms.has(name)).sort();
  for (const name of extra) rooms.set(name, { name, guid: uuidV5(`${input.conference.url}#room-${encodeURIComponent(name)}`), rank: rooms.size });
  const rank = (name: string) => rooms.get(name)!.rank;

  const placed: Placed[] = input.events.map((event) => {
    const start = DateTime.fromISO(event.startsAt, { zone: "utc" });
    if (!start.isValid) throw new RangeError(`event ${event.id} has an invalid start: ${event.startsAt}`);
    if (!Number.isInteger(event.minutes) || event.minutes <= 0) throw new RangeError(`event ${event.id} has an invalid length: ${event.minutes}`);
    // Adding to the instant (not to the wall clock) keeps the length right across a clock change.
    return { event, start: start.setZone(zone), end: start.plus({ minutes: event.minutes }).setZone(zone) };
  });
  placed.sort((a, b) => a.start.toMillis() - b.start.toMillis() || rank(a.event.room) - rank(b.event.room) || a.event.id - b.event.id);

  // Each day's bounds are computed as instants from its own local date, so a day with a clock
  // change is 23 or 25 hours long and its start and end carry different offsets.
  const dayStart = (date: DateTime) => date.set({ hour: DAY_STARTS_AT_HOUR, minute: 0, second: 0, millisecond: 0 });
  const days: Day[] = [];
  for (let date = first, index = 1; date <= last; date = date.plus({ days: 1 }), index++) {
    const start = dayStart(date);
    const next = dayStart(date.plus({ days: 1 }));
    const events = placed.filter((p) => p.start >= start && p.start < next);
    const used = [...rooms.values()].filter((room) => events.some((p) => p.event.room === room.name));
    days.push({
      index,
      date: date.toISODate()!,
      start,
      // As in pretalx's output: a day ends the minute before the next one starts.
      end: next.minus({ minutes: 1 }),
      rooms: used.map((room) => ({ name: room.name, guid: room.guid, events: events.filter((p) => p.event.room === room.name) })),
    });
  }
  const outside = placed.find((p) => !days.some((d) => d.rooms.some((r) => r.events.includes(p))));
  // Dropping an entry would publish a schedule that silently lacks it; the caller has to decide.
  if (outside) throw new RangeError(`event ${outside.event.id} (${outside.start.toISO()}) falls outside the convening's days`);

  // The display grid: the coarsest step on which every start and length falls, at most an hour.
  const step = placed.reduce((g, p) => gcd(gcd(g, p.event.minutes), p.start.hour * 60 + p.start.minute), 0);
  const timeslot = duration(step === 0 ? 60 : Math.min(step, 60));

  const tracks = [...new Set(placed.map((p) => p.event.track).filter((t) => t !== ""))];
  return { days, rooms: [...rooms.values()].map(({ name, guid }) => ({ name, guid })), tracks, timeslot };
}

export function scheduleJson(input: ScheduleInput): object {
  const { days, rooms, tracks, timeslot } = prepare(input);
  const c = input.conference;
  return {
    $schema: SCHEMA_URL,
    generator: { name: GENERATOR },
    schedule: {
      version: input.version,
      base_url: c.baseUrl,
      conference: {
        acronym: c.acronym,
        title: c.title,
        start: c.start,
        end: c.end,
        daysCount: days.length,
        timeslot_duration: timeslot,
        ...(JSON_TIME_ZONE_NAME.test(c.timeZone) ? { time_zone_name: c.timeZone } : {}),
        url: c.url,
        tracks: tracks.map((name) => ({ name })),
        rooms,
        days: days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start.toFormat(DATE_TIME),
          day_end: day.end.toFormat(DATE_TIME),
          rooms: Object.fromEntries(day.rooms.map((room) => [room.name, room.events.map(jsonEvent)])),
        })),
      },
    },
  };
}

function jsonEvent({ event, start, end }: Placed) {
  return {
    id: event.id,
    guid: uuidV5(event.uid),
    date: start.toFormat(DATE_TIME),
    start: start.toFormat("HH:mm"),
    end: end.toFormat(DATE_TIME),
    duration: duration(event.minutes),
    room: event.room,
    slug: event.slug,
    url: event.url,
    title: event.title,
    subtitle: "",
    // null is the format's "none", which readers show as nothing rather than as an empty label.
    track: event.track === "" ? null : event.track,
    type: event.type,
    language: event.language === "" ? null : event.language,
    abstract: event.abstract,
    // The schema's Person is oneOf a frab person (id + public_name) or a pretalx one (name): one
    // carrying both would match both and fail, so only the current field, name, is written.
    persons: event.persons.map((p) => ({ id: p.id, name: p.name })),
    links: [],
  };
}

function escapeXml(text: string, attribute = false): string {
  const escaped = text.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
  // A parser turns raw tabs and line breaks in an attribute into spaces; references keep them.
  return attribute ? escaped.replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;") : escaped;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value), true)}"`)
    .join("");
}

function element(name: string, text: string | number, attributes: Record<string, string | number> = {}): string {
  return `<${name}${attrs(attributes)}>${escapeXml(String(text))}</${name}>`;
}

export function scheduleXml(input: ScheduleInput): string {
  const { days, tracks, timeslot } = prepare(input);
  const c = input.conference;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<schedule>`,
    `  <generator${attrs({ name: GENERATOR })}/>`,
    `  ${element("version", input.version)}`,
    `  <conference>`,
    `    ${element("acronym", c.acronym)}`,
    `    ${element("title", c.title)}`,
    `    ${element("start", c.start)}`,
    `    ${element("end", c.end)}`,
    `    ${element("days", days.length)}`,
    `    ${element("timeslot_duration", timeslot)}`,
    `    ${element("base_url", c.baseUrl)}`,
    `    ${element("url", c.url)}`,
    `    ${element("time_zone_name", c.timeZone)}`,
    ...tracks.map((name) => `    ${element("track", "", { name })}`),
    `  </conference>`,
  ];
  for (const day of days) {
    lines.push(`  <day${attrs({ index: day.index, date: day.date, start: day.start.toFormat(DATE_TIME), end: day.end.toFormat(DATE_TIME) })}>`);
    for (const room of day.rooms) {
      lines.push(`    <room${attrs({ name: room.name, guid: room.guid })}>`);
      for (const placed of room.events) lines.push(...xmlEvent(placed));
      lines.push(`    </room>`);
    }
    lines.push(`  </day>`);
  }
  lines.push(`</schedule>`, "");
  return lines.join("\n");
}

function xmlEvent({ event, start }: Placed): string[] {
  const inner = [
    element("date", start.toFormat(DATE_TIME)),
    element("start", start.toFormat("HH:mm")),
    element("duration", duration(event.minutes)),
    element("room", event.room),
    ...(XML_SLUG.test(event.slug) ? [element("slug", event.slug)] : []),
    element("url", event.url),
    element("title", event.title),
    element("subtitle", ""),
    element("track", event.track),
    element("type", event.type),
    // The element is optional in the XSD, and an empty one would read as a language called "".
    ...(event.language === "" ? [] : [element("language", event.language)]),
    element("abstract", event.abstract),
    `<persons>${event.persons.map((p) => element("person", p.name, { id: p.id })).join("")}</persons>`,
    `<links></links>`,
  ];
  return [`      <event${attrs({ id: event.id, guid: uuidV5(event.uid) })}>`, ...inner.map((line) => `        ${line}`), `      </event>`];
}
