// iCalendar text from events: a pure function. Times are written in the convening's zone with a
// VTIMEZONE block, so calendar apps show them right across a daylight-saving change.
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";

export interface CalendarEvent {
  /** stable for the session's whole life: `<id>@<host>` */
  uid: string;
  /** rises whenever time, room or title change in a newly published version */
  sequence: number;
  /** UTC ISO instant, or a YYYY-MM-DD date for an all-day event */
  start: string;
  minutes: number;
  allDay?: boolean;
  summary: string;
  description: string;
  location: string;
  categories: string[];
  url: string;
  status: "confirmed" | "cancelled";
  /** when this version of the event was published */
  stamp: string;
}

export interface CalendarInput {
  name: string;
  timeZone: string;
  events: CalendarEvent[];
  /** for mail invitations: REQUEST or CANCEL, with the organizer and the invitee */
  method?: "REQUEST" | "CANCEL";
  organizer?: { name: string; email: string };
  attendee?: { name: string; email: string };
}

// The VTIMEZONE text of a zone never changes; ical-generator may ask for it more than once.
const zones = new Map<string, string | null>();
function vtimezone(zone: string): string | null {
  if (!zones.has(zone)) zones.set(zone, getVtimezoneComponent(zone));
  return zones.get(zone)!;
}

/**
 * Folds content lines at 75 octets (RFC 5545 §3.1). ical-generator's own folding encodes every
 * character separately and takes half a second for a 1,000-session agenda; ASCII needs no encoding.
 */
export function foldLines(text: string): string {
  return text
    .split("\r\n")
    .map((line) => {
      if (line.length <= 75 && Buffer.byteLength(line, "utf8") === line.length) return line;
      let out = "";
      let octets = 0;
      for (const char of line) {
        const size = char.charCodeAt(0) < 0x80 ? 1 : Buffer.byteLength(char, "utf8");
        if (octets + size > 75) {
          out += "\r\n ";
          octets = 1;
        }
        out += char;
        octets += size;
      }
      return out;
    })
    .join("\r\n");
}

/** A UTC date-time as RFC 5545 writes it: 20270601T083000Z. */
export function utcStamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

export function buildCalendar(input: CalendarInput): string {
  const options = {
    name: input.name,
    prodId: { company: "Convene", product: "Agenda", language: "EN" },
    timezone: { name: input.timeZone, generator: vtimezone },
    method: input.method === "REQUEST" ? ICalCalendarMethod.REQUEST : input.method === "CANCEL" ? ICalCalendarMethod.CANCEL : null,
  };
  const calendar = ical(options);
  for (const event of input.events) {
    const start = event.allDay ? DateTime.fromISO(event.start, { zone: input.timeZone }) : DateTime.fromISO(event.start, { zone: "utc" }).setZone(input.timeZone);
    const created = calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      start,
      end: event.allDay ? start.plus({ days: 1 }) : start.plus({ minutes: event.minutes }),
      allDay: event.allDay ?? false,
      timezone: event.allDay ? null : input.timeZone,
      stamp: new Date(event.stamp),
      summary: event.summary,
      description: event.description,
      location: event.location || null,
      categories: event.categories.map((name) => ({ name })),
      url: event.url,
      status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
    if (input.organizer) created.organizer(input.organizer);
    if (input.attendee) created.createAttendee({ ...input.attendee, rsvp: false });
  }
  // The frame (properties and VTIMEZONE) comes from ical-generator; the events' own text, which
  // it leaves unfolded until the end, is folded here.
  const frame = ical(options).toString();
  // ical-generator writes DTSTAMP in the calendar's zone without a "Z"; RFC 5545 wants it in UTC.
  const events = calendar
    .events()
    .map((event, i) => event.toString().replace(/^DTSTAMP:.*$/m, `DTSTAMP:${utcStamp(input.events[i]!.stamp)}`))
    .join("");
  return frame.replace(/END:VCALENDAR$/, `${foldLines(events)}END:VCALENDAR`);
}
