// Calendar benchmark: building the iCalendar text of a 1,000-session agenda and of a personal
// feed of 10 sessions (the pure build; the published-agenda feed is then cached per version).
import { buildCalendar, type CalendarEvent } from "../app/lib/ics";

function events(count: number): CalendarEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    uid: `${i + 1}@convene.example.org`,
    sequence: i % 3,
    start: new Date(Date.UTC(2027, 5, 14 + Math.floor(i / 200), 8 + (i % 5) * 2)).toISOString(),
    minutes: 90,
    summary: `Session ${i + 1}: rights-based responses across tracks`,
    description: `An abstract of a couple of sentences about session ${i + 1}.\n\nFacilitators: River, Sky\n\nTracks: Sex work, HIV/AIDS\n\nhttps://convene.example.org/convenings/x/sessions/${i + 1}`,
    location: `Room ${(i % 45) + 1}, Conference centre`,
    categories: ["Sex work", "HIV/AIDS"],
    url: `https://convene.example.org/convenings/x/sessions/${i + 1}`,
    status: i % 50 === 0 ? "cancelled" : "confirmed",
    stamp: "2027-05-01T10:00:00.000Z",
  }));
}

function time(label: string, count: number, runs: number) {
  const list = events(count);
  buildCalendar({ name: "warm-up", timeZone: "Europe/Lisbon", events: list });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    buildCalendar({ name: label, timeZone: "Europe/Lisbon", events: list });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { feed: label, events: count, runs, medianMs: Number(samples[Math.floor(runs / 2)]!.toFixed(2)), p95Ms: Number(samples[Math.floor(runs * 0.95)]!.toFixed(2)) };
}

export function runCalendarBench(log: (line: string) => void) {
  const figures = [time("full agenda", 1000, 30), time("personal feed", 10, 200)];
  for (const f of figures) log(`${f.feed} (${f.events} events): median ${f.medianMs} ms, p95 ${f.p95Ms} ms over ${f.runs} builds`);
  return figures;
}
