import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildCalendar, foldLines } from "./ics";

describe("iCalendar text", () => {
  it("folds lines at 75 octets without splitting a character", () => {
    const ascii = `DESCRIPTION:${"a".repeat(100)}`;
    expect(foldLines(ascii).split("\r\n").map((l) => Buffer.byteLength(l))).toEqual([75, 38]);
    const wide = `SUMMARY:${"ação ✊🏾 ".repeat(12)}`;
    const lines = foldLines(wide).split("\r\n");
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(wide);
    expect(foldLines("SHORT:ok\r\nOTHER:fine")).toBe("SHORT:ok\r\nOTHER:fine");
  });

  it("builds a calendar whose long, non-ASCII fields survive a round trip through a parser", () => {
    const summary = "Derechos laborales de las trabajadoras sexuales migrantes — ação, solidariedade ✊🏾 e muito mais";
    const text = buildCalendar({
      name: "Test",
      timeZone: "Europe/Lisbon",
      events: [{ uid: "1@x", sequence: 3, start: "2027-06-14T08:00:00.000Z", minutes: 90, summary, description: "Línea 1\n\nLínea 2", location: "Sala 1, Lisboa", categories: ["Sex work"], url: "https://x/s/1", status: "confirmed", stamp: "2027-05-01T00:00:00Z" }],
    });
    expect(text.split("\r\n").every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!);
    expect([event.summary, event.description, event.sequence, event.location]).toEqual([summary, "Línea 1\n\nLínea 2", 3, "Sala 1, Lisboa"]);
  });
});
