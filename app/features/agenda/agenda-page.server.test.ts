import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { agenda, convening, participant, proposal, unique } from "../../../tests/factories";
import { unplaceSession } from "../../modules/agenda/placements.server";
import { suggestNow } from "../../modules/agenda/suggestions.server";
import { addFixedItem } from "../../modules/agenda/setup.server";
import { getConvening } from "../../modules/convenings/convenings.server";
import { agendaPage } from "./agenda-page.server";

const NOW = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("the organizer's agenda page on %s", (kind) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  /** Two days in Lisbon; Hall (50, projector) and Small (10); two slots on the first day and one on the second, closed for lunch. */
  async function setUp() {
    const slug = `p-${kind}-${unique()}`;
    const made = await convening(t.db, { slug, title: "Page Meeting", startsOn: "2027-06-14", endsOn: "2027-06-15", registration: {}, cfp: {} });
    const ana = await participant(t.db, made.id, { name: "Ana" });
    const ben = await participant(t.db, made.id, { name: "Ben" });
    const session = async (title: string, proposerId: number, needs: Array<"projector"> = []) =>
      (await proposal(t.db, { conveningId: made.id, proposerId, status: "accepted", now: NOW, answers: { title, needs, primaryTrack: made.trackIds[0]! } })).id;
    const alpha = await session("Alpha", ana.id);
    const beta = await session("Beta", ben.id, ["projector"]);
    const gamma = await session("Gamma", ana.id);
    await proposal(t.db, { conveningId: made.id, proposerId: ana.id, status: "declined", now: NOW, answers: { title: "Declined one" } });
    const { rooms, slots } = await agenda(t.db, {
      conveningId: made.id,
      rooms: [{ name: "Hall", capacity: 50, features: ["projector"] }, { name: "Small", capacity: 10 }],
      slots: [{ date: "2027-06-14", time: "09:00", minutes: 90 }, { date: "2027-06-14", time: "14:00", minutes: 90 }, { date: "2027-06-15", time: "12:30", minutes: 60 }],
      // Beta needs a projector and Small has none: a hard conflict.
      placements: [{ proposalId: alpha, slot: 0, room: 0, pinned: true }, { proposalId: beta, slot: 0, room: 1 }],
    });
    const organizerId = made.organizerId;
    const plenary = await addFixedItem(t.db, { conveningId: made.id, organizerId, slotId: slots[1]!, roomId: rooms[0]!, title: "Plenary", kind: "plenary" });
    const lunch = await addFixedItem(t.db, { conveningId: made.id, organizerId, slotId: slots[2]!, roomId: null, title: "Lunch", kind: "meal" });
    const page = await agendaPage(t.db, (await getConvening(t.db, slug))!);
    return { made, slug, ids: { alpha, beta, gamma, hall: rooms[0]!, small: rooms[1]!, am: slots[0]!, pm: slots[1]!, noon: slots[2]!, plenary, lunch }, page };
  }

  it("lays out the grid by day with names for ids, flags the sessions that break a hard rule, and lists what is not placed", async () => {
    const { made, slug, ids, page } = await setUp();
    const color = (await t.db.selectFrom("tracks").select("color").where("id", "=", made.trackIds[0]!).executeTakeFirstOrThrow()).color;
    const hall = { id: ids.hall, name: "Hall", capacity: 50 };
    const small = { id: ids.small, name: "Small", capacity: 10 };
    expect(page.convening).toEqual({ slug, title: "Page Meeting" });
    expect(page.choices).toEqual({
      slots: [{ value: String(ids.am), label: "14 Jun 2027, 09:00" }, { value: String(ids.pm), label: "14 Jun 2027, 14:00" }, { value: String(ids.noon), label: "15 Jun 2027, 12:30" }],
      rooms: [hall, small],
    });
    expect(page.grid).toEqual({
      zone: "Europe/Lisbon",
      rooms: [hall, small],
      days: [
        {
          value: "2027-06-14",
          label: "Monday 14 June",
          rows: [
            {
              slotId: ids.am,
              label: "14 Jun 2027, 09:00",
              minutes: 90,
              whole: null,
              wholeSessions: [],
              anchor: `slot-${ids.am}`,
              cells: [
                { roomId: ids.hall, anchor: `cell-${ids.am}-${ids.hall}`, fixed: null, sessions: [{ id: ids.alpha, title: "Alpha", minutes: 60, pinned: true, flagged: false, trackColor: color }] },
                { roomId: ids.small, anchor: `cell-${ids.am}-${ids.small}`, fixed: null, sessions: [{ id: ids.beta, title: "Beta", minutes: 60, pinned: false, flagged: true, trackColor: color }] },
              ],
            },
            {
              slotId: ids.pm,
              label: "14 Jun 2027, 14:00",
              minutes: 90,
              whole: null,
              wholeSessions: [],
              anchor: `slot-${ids.pm}`,
              cells: [{ roomId: ids.hall, anchor: `cell-${ids.pm}-${ids.hall}`, fixed: "Plenary", sessions: [] }, { roomId: ids.small, anchor: `cell-${ids.pm}-${ids.small}`, fixed: null, sessions: [] }],
            },
          ],
        },
        { value: "2027-06-15", label: "Tuesday 15 June", rows: [{ slotId: ids.noon, label: "15 Jun 2027, 12:30", minutes: 60, whole: "Lunch", wholeSessions: [], anchor: `slot-${ids.noon}`, cells: [] }] },
      ],
    });
    expect(page.unplaced).toEqual({
      sessions: [{ value: String(ids.alpha), label: "Alpha" }, { value: String(ids.beta), label: "Beta" }, { value: String(ids.gamma), label: "Gamma" }],
      list: [{ id: ids.gamma, title: "Gamma", minutes: 60, trackColor: color }],
    });
    // Both sessions are in the first track, side by side: a soft conflict, named by the track.
    expect(page.conflicts).toEqual({
      hard: [{ kind: "missing_feature", session: "Beta", room: "Small", features: ["projector"], anchor: `cell-${ids.am}-${ids.small}` }],
      soft: [{ kind: "same_track", slot: "14 Jun 2027, 09:00", track: "Sex work", sessions: ["Alpha", "Beta"] }],
    });
    expect(page.figures).toEqual({ current: { attendeeClashes: 0, overflow: 0, sameTrackOverlaps: 1, hardViolations: 1 }, suggestion: null, clashesByGroup: [], lostSessions: 0, keepByDefault: false });
    // Nothing is published yet: both placed sessions would be added, and their facilitators mailed.
    expect(page.publish).toEqual({
      slug,
      nextNumber: 1,
      versions: [],
      preview: {
        changes: [
          { kind: "added", title: "Alpha", at: "14 Jun 2027, 09:00", room: "Hall" },
          { kind: "added", title: "Beta", at: "14 Jun 2027, 09:00", room: "Small" },
        ],
        mailed: page.publish.preview.mailed,
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        missing: [],
      },
    });
    expect(page.publish.preview.mailed).toBeGreaterThan(0);
    expect(page.setup).toEqual({
      rooms: [{ ...hall, features: ["projector"] }, { ...small, features: [] }],
      slots: [{ id: ids.am, label: "14 Jun 2027, 09:00", minutes: 90 }, { id: ids.pm, label: "14 Jun 2027, 14:00", minutes: 90 }, { id: ids.noon, label: "15 Jun 2027, 12:30", minutes: 60 }],
      fixed: [{ id: ids.plenary, title: "Plenary", slot: "14 Jun 2027, 14:00", room: "Hall" }, { id: ids.lunch, title: "Lunch", slot: "15 Jun 2027, 12:30", room: null }],
      days: [{ value: "2027-06-14", label: "Monday 14 June" }, { value: "2027-06-15", label: "Tuesday 15 June" }],
    });
  });

  // Beta needs the Hall's projector, and the Hall is taken by pinned Alpha and the plenary.
  it("shows a pending suggestion's figures, what it could not place, and the versions published, newest first, with their changes", async () => {
    const { made, slug, ids } = await setUp();
    const organizerId = made.organizerId;
    // Beta in the Small room breaks a hard rule, and publishing refuses that: it comes off first.
    await unplaceSession(t.db, { conveningId: made.id, organizerId, proposalId: ids.beta });
    const suggestion = await suggestNow(t.db, { conveningId: made.id, organizerId, keep: false, fairness: true, now: NOW });
    await agenda(t.db, { conveningId: made.id, publish: { note: "First cut", now: NOW } });
    await agenda(t.db, { conveningId: made.id, publish: { note: "", now: NOW } });
    const page = await agendaPage(t.db, (await getConvening(t.db, slug))!);
    expect(page.figures.keepByDefault).toBe(true);
    expect(page.figures.suggestion).toEqual({ id: suggestion.id, status: "done", fairness: true, score: suggestion.result!.score, cannotPlace: [{ proposalId: ids.beta, title: "Beta", reason: "no free place without a hard conflict" }] });
    expect(page.publish).toEqual({
      slug,
      nextNumber: 3,
      preview: { changes: [], mailed: 0, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), missing: [] },
      versions: [
        { id: expect.any(Number), number: 2, note: "", changes: [] },
        { id: expect.any(Number), number: 1, note: "First cut", changes: [{ kind: "added", title: "Alpha" }] },
      ],
    });
  });
});
