import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { agenda, convening, participant, person, proposal, unique, type TestPerson } from "../../../tests/factories";
import type { SessionNeed } from "../../../db/schema";
import { setInterest } from "../proposals/sessions.server";
import { AgendaError } from "./errors";
import { evaluateAgenda, placeSession, unplaceSession } from "./placements.server";
import { acceptSuggestion, suggestNow } from "./suggestions.server";
import { publishAgenda } from "./publish.server";
import { myAgenda, publishedAgenda } from "./published.server";
import { addFixedItem, addRoom, addSlot, setUnavailability } from "./setup.server";

const NOW = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("agenda on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  // Each test has a convening of its own, made by beforeEach; what a test needs beyond it, it seeds.
  let ids: Record<string, number>;
  let people: Record<string, TestPerson>;

  const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof AgendaError ? `${e.status} ${e.code}` : String(e)));
  const fullName = (name: string) => `${name} Hiddensurname`;
  const session = async (title: string, proposerId: number, status: "accepted" | "declined", needs: SessionNeed[] = []) =>
    (ids[title] = (await proposal(t.db, { conveningId, proposerId, status, now: NOW, answers: { title, needs } })).id);

  const mailsOf = (template: string) => t.db.selectFrom("mail_outbox").select(["to_address", "subject", "text_body"]).where("template", "=", template).where("convening_id", "=", conveningId).orderBy("to_address").execute();
  const entries = (version: number) =>
    t.db
      .selectFrom("agenda_entries")
      .innerJoin("agenda_versions", "agenda_versions.id", "agenda_entries.version_id")
      .select(["agenda_entries.proposal_id", "agenda_entries.sequence", "agenda_entries.status", "agenda_entries.room_name"])
      .where("agenda_versions.convening_id", "=", conveningId)
      .where("agenda_versions.number", "=", version)
      .where("agenda_entries.proposal_id", "is not", null)
      .orderBy("agenda_entries.proposal_id")
      .execute();

  /** Hall (50, projector) and Small (10); a morning and an afternoon slot on 14 June; the placements given. */
  async function setUp(placed: Array<[title: string, slot: "am" | "pm", room: "hall" | "small", pinned?: boolean]> = []) {
    const made = await agenda(t.db, {
      conveningId,
      organizerId,
      rooms: [{ name: "Hall", capacity: 50, features: ["projector"] }, { name: "Small", capacity: 10 }],
      slots: [{ date: "2027-06-14", time: "09:00", minutes: 90 }, { date: "2027-06-14", time: "14:00", minutes: 90 }],
      placements: placed.map(([title, slot, room, pinned]) => ({ proposalId: ids[title]!, slot: slot === "am" ? 0 : 1, room: room === "hall" ? 0 : 1, pinned })),
    });
    Object.assign(ids, { hall: made.rooms[0], small: made.rooms[1], am: made.slots[0], pm: made.slots[1] });
  }
  const placementsHere = () => t.db.selectFrom("placements").where("convening_id", "=", conveningId);

  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  beforeEach(async () => {
    ids = {};
    people = {};
    ({ id: conveningId, organizerId } = await convening(t.db, { slug: `a-${kind}-${unique()}`, title: "Agenda Meeting", startsOn: "2027-06-14", endsOn: "2027-06-15", registration: {}, cfp: {} }));
    for (const name of ["Ana", "Ben"]) people[name] = await participant(t.db, conveningId, { name, fullName: fullName(name) });
    await session("Alpha", people.Ana!.id, "accepted");
    await session("Beta", people.Ben!.id, "accepted", ["projector"]);
    await session("Gamma", people.Ana!.id, "accepted");
    await session("Declined one", people.Ben!.id, "declined");
    for (const name of ["Viewer", "Bystander"]) people[name] = await participant(t.db, conveningId, { name, fullName: fullName(name) });
    await setInterest(t.db, { conveningId, personId: people.Viewer!.id, proposalId: ids.Alpha!, interested: true });
    await setInterest(t.db, { conveningId, personId: people.Viewer!.id, proposalId: ids.Gamma!, interested: true });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("refuses overlapping slots, slots outside the dates, placing a declined proposal and unknown places", async () => {
    ids.hall = await addRoom(t.db, { conveningId, organizerId, name: "Hall", capacity: 50, features: ["projector"] });
    ids.small = await addRoom(t.db, { conveningId, organizerId, name: "Small", capacity: 10, features: [] });
    ids.am = await addSlot(t.db, { conveningId, organizerId, date: "2027-06-14", time: "09:00", minutes: 90 });
    ids.pm = await addSlot(t.db, { conveningId, organizerId, date: "2027-06-14", time: "14:00", minutes: 90 });
    // 09:00 Lisbon in June is 08:00 UTC.
    expect((await t.db.selectFrom("slots").select("starts_at").where("id", "=", ids.am).executeTakeFirstOrThrow()).starts_at).toBe("2027-06-14T08:00:00.000Z");
    expect(await reject(addSlot(t.db, { conveningId, organizerId, date: "2027-06-14", time: "10:00", minutes: 60 }))).toBe("409 slot_overlaps");
    expect(await reject(addSlot(t.db, { conveningId, organizerId, date: "2027-06-20", time: "10:00", minutes: 60 }))).toBe("400 outside_dates");
    expect(await reject(placeSession(t.db, { conveningId, organizerId, proposalId: ids["Declined one"]!, slotId: ids.am, roomId: ids.hall }))).toBe("409 not_accepted");
    expect(await reject(placeSession(t.db, { conveningId, organizerId, proposalId: ids.Alpha!, slotId: 999_999, roomId: ids.hall }))).toBe("400 unknown_slot");
    expect(await reject(placeSession(t.db, { conveningId, organizerId, proposalId: ids.Alpha!, slotId: ids.am, roomId: 999_999 }))).toBe("400 unknown_room");
    expect(await placementsHere().select("id").execute()).toEqual([]);
    expect(await t.db.selectFrom("slots").select("id").where("convening_id", "=", conveningId).execute()).toHaveLength(2);
  });

  it("flags manual placements that break hard rules, and the scheduler's suggestion removes them while keeping pins", async () => {
    await setUp();
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Alpha!, slotId: ids.am!, roomId: ids.small! });
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Beta!, slotId: ids.am!, roomId: ids.small! });
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Gamma!, slotId: ids.am!, roomId: ids.hall! });
    const before = (await evaluateAgenda(t.db, conveningId)).evaluation;
    expect(before.hard.map((h) => h.kind).sort()).toEqual(["facilitator_double_booked", "missing_feature", "room_double_booked"]);
    expect(before.score.attendeeClashes).toBe(1);

    // Gamma is pinned in the small room; Ben cannot make the afternoon and Beta needs the projector.
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Gamma!, slotId: ids.am!, roomId: ids.small!, pinned: true });
    await setUnavailability(t.db, { conveningId, personId: people.Ben!.id, slotIds: [ids.pm!] });
    const current = (await evaluateAgenda(t.db, conveningId)).evaluation.score;
    const suggestion = await suggestNow(t.db, { conveningId, organizerId, keep: false, fairness: false });
    expect(suggestion.currentScore).toEqual(current);
    // Beta and Gamma must both be in the morning, and share the main track: one same-track overlap.
    expect(suggestion.result!.score).toEqual({ attendeeClashes: 0, overflow: 0, sameTrackOverlaps: 1, hardViolations: 0 });
    expect(suggestion.result!.unplaced).toEqual([]);
    await acceptSuggestion(t.db, { conveningId, organizerId, jobId: suggestion.id });
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: suggestion.id }))).toBe("409 stale_suggestion");
    const placements = await placementsHere().select(["proposal_id", "slot_id", "room_id", "pinned"]).orderBy("proposal_id").execute();
    expect(placements.map((p) => [p.proposal_id, p.slot_id, p.pinned])).toEqual([
      [ids.Alpha, ids.pm, 0],
      [ids.Beta, ids.am, 0],
      [ids.Gamma, ids.am, 1],
    ]);
    expect(placements.find((p) => p.proposal_id === ids.Beta)!.room_id).toBe(ids.hall);
    expect(placements.find((p) => p.proposal_id === ids.Gamma)!.room_id).toBe(ids.small);
    expect((await evaluateAgenda(t.db, conveningId)).evaluation.hard).toEqual([]);
  });

  it("publishes numbered versions with a changelog, raises a session's sequence when it changes, keeps dropped sessions as cancelled, and mails only those affected", async () => {
    // The suggestion the test before accepts: Alpha in the afternoon, Beta in the Hall and Gamma (pinned) in Small in the morning.
    await setUp([["Alpha", "pm", "hall"], ["Beta", "am", "hall"], ["Gamma", "am", "small", true]]);
    await setUnavailability(t.db, { conveningId, personId: people.Ben!.id, slotIds: [ids.pm!] });
    const lunch = await addSlot(t.db, { conveningId, organizerId, date: "2027-06-14", time: "12:00", minutes: 60 });
    await addFixedItem(t.db, { conveningId, organizerId, slotId: lunch, roomId: null, title: "Lunch", kind: "meal" });
    const v1 = await publishAgenda(t.db, { conveningId, organizerId, note: "First", now: NOW });
    expect(v1.number).toBe(1);
    expect(v1.changes.map((c) => [c.kind, c.title])).toEqual([
      ["added", "Beta"],
      ["added", "Gamma"],
      ["added", "Alpha"],
    ]);
    expect(await entries(1)).toEqual([
      { proposal_id: ids.Alpha, sequence: 0, status: "confirmed", room_name: expect.any(String) },
      { proposal_id: ids.Beta, sequence: 0, status: "confirmed", room_name: "Hall" },
      { proposal_id: ids.Gamma, sequence: 0, status: "confirmed", room_name: "Small" },
    ]);
    const first = await mailsOf("agenda-changed");
    expect(first.map((m) => m.to_address)).toEqual([people.Ana!.email, people.Ben!.email, people.Viewer!.email].sort());
    expect(first.map((m) => m.subject)).toEqual(Array(3).fill("The agenda of Agenda Meeting is published"));
    const viewerMail = first.find((m) => m.to_address === people.Viewer!.email)!.text_body;
    expect(viewerMail).toContain("Alpha: 14 Jun 2027, 14:00");
    expect(viewerMail).toContain("Gamma: 14 Jun 2027, 09:00, Small");
    expect(viewerMail).not.toContain("Beta");

    const agenda = await publishedAgenda(t.db, conveningId);
    expect(agenda!.entries.map((e) => e.title)).toEqual(["Beta", "Gamma", "Lunch", "Alpha"]);
    expect(agenda!.entries.find((e) => e.title === "Gamma")!.facilitators).toEqual(["Ana"]);

    // Alpha moves room: version 2 changes only Alpha, and only Ana and Viewer hear of it.
    const other = (await t.db.selectFrom("placements").select("room_id").where("proposal_id", "=", ids.Alpha!).executeTakeFirstOrThrow()).room_id === ids.hall ? ids.small! : ids.hall!;
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Alpha!, slotId: ids.pm!, roomId: other });
    const v2 = await publishAgenda(t.db, { conveningId, organizerId, note: "", now: NOW });
    expect(v2.changes.map((c) => [c.kind, c.title])).toEqual([["moved", "Alpha"]]);
    expect((await entries(2)).map((e) => [e.proposal_id, e.sequence, e.status])).toEqual([
      [ids.Alpha, 1, "confirmed"],
      [ids.Beta, 0, "confirmed"],
      [ids.Gamma, 0, "confirmed"],
    ]);
    const second = (await mailsOf("agenda-changed")).filter((m) => m.subject === "The agenda of Agenda Meeting has changed (version 2)");
    expect(second.map((m) => m.to_address)).toEqual([people.Ana!.email, people.Viewer!.email].sort());

    // Beta leaves the agenda: version 3 keeps it as cancelled with a higher sequence.
    await unplaceSession(t.db, { conveningId, organizerId, proposalId: ids.Beta! });
    const v3 = await publishAgenda(t.db, { conveningId, organizerId, note: "", now: NOW });
    expect(v3.changes).toEqual([{ kind: "cancelled", proposalId: ids.Beta, title: "Beta" }]);
    expect((await entries(3)).map((e) => [e.proposal_id, e.sequence, e.status])).toEqual([
      [ids.Alpha, 1, "confirmed"],
      [ids.Beta, 1, "cancelled"],
      [ids.Gamma, 0, "confirmed"],
    ]);
    expect((await mailsOf("agenda-changed")).filter((m) => m.subject.includes("(version 3)")).map((m) => m.to_address)).toEqual([people.Ben!.email]);
    expect((await publishedAgenda(t.db, conveningId))!.entries.map((e) => e.title)).toEqual(["Gamma", "Lunch", "Alpha"]);

    const mine = await myAgenda(t.db, conveningId, people.Viewer!.id);
    expect(mine!.entries.map((e) => [e.title, e.clashesWith])).toEqual([
      ["Gamma", []],
      ["Alpha", []],
    ]);
    expect((await myAgenda(t.db, conveningId, people.Bystander!.id))!.entries).toEqual([]);
  });

  it("refuses to publish while a placed session has a facilitator who is not registered, naming it", async () => {
    await setUp([["Alpha", "pm", "hall"], ["Gamma", "am", "small", true]]);
    const outsider = await person(t.db, { name: "Outsider", fullName: fullName("Outsider") });
    const delta = await session("Delta", outsider.id, "accepted");
    await placeSession(t.db, { conveningId, organizerId, proposalId: delta, slotId: ids.pm!, roomId: ids.small! });
    const versions = await t.db.selectFrom("agenda_versions").select("id").where("convening_id", "=", conveningId).execute();
    const error = await publishAgenda(t.db, { conveningId, organizerId, note: "", now: NOW }).catch((e: AgendaError) => e);
    expect(error).toMatchObject({ code: "facilitators_unregistered", status: 409, detail: "Delta" });
    expect(await t.db.selectFrom("agenda_versions").select("id").where("convening_id", "=", conveningId).execute()).toEqual(versions);
  });

  it("discards a suggestion once the working agenda changes, so accepting it cannot undo a hand edit", async () => {
    await setUp([["Alpha", "pm", "small"], ["Beta", "am", "hall"], ["Gamma", "am", "small", true]]);
    const suggestion = await suggestNow(t.db, { conveningId, organizerId, keep: false, fairness: false });
    const placed = await placementsHere().select(["proposal_id", "slot_id", "room_id"]).orderBy("proposal_id").execute();
    await placeSession(t.db, { conveningId, organizerId, proposalId: ids.Alpha!, slotId: ids.pm!, roomId: ids.hall! });
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: suggestion.id }))).toBe("409 stale_suggestion");
    const again = await suggestNow(t.db, { conveningId, organizerId, keep: false, fairness: false });
    await addRoom(t.db, { conveningId, organizerId, name: "Annex", capacity: 5, features: [] });
    expect(await reject(acceptSuggestion(t.db, { conveningId, organizerId, jobId: again.id }))).toBe("409 stale_suggestion");
    expect((await placementsHere().select(["proposal_id", "slot_id", "room_id"]).orderBy("proposal_id").execute()).map((p) => p.proposal_id)).toEqual(placed.map((p) => p.proposal_id));
  });
});
