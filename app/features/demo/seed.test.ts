import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { evaluateAgenda } from "../../modules/agenda/placements.server";
import { DEMO_CAPACITY, demoDates, isEmpty, seedDemo } from "./seed";

describe("demoDates", () => {
  it("puts the demo convening on a Monday to Wednesday about seven months ahead, with registration open now", () => {
    const now = new Date("2026-11-28T22:00:00Z");
    expect(demoDates(now)).toEqual({
      slug: "annual-meeting-2027",
      year: 2027,
      startsOn: "2027-06-28",
      endsOn: "2027-06-30",
      registrationOpensAt: "2026-10-29T22:00:00.000Z",
      registrationClosesAt: "2027-06-07T00:00:00.000Z",
    });
    expect(new Date("2027-06-28T12:00:00Z").getUTCDay()).toBe(1);
  });
});

describe.each(DATABASE_KINDS)("the demo data on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("loads a published convening with six tracks, an organizer and 64 registered participants, a few waitlisted", async () => {
    expect(await isEmpty(t.db)).toBe(true);
    const { conveningId, people } = await seedDemo(t.db);
    expect(people).toBe(64);
    expect(await isEmpty(t.db)).toBe(false);

    const convening = await t.db.selectFrom("convenings").selectAll().where("id", "=", conveningId).executeTakeFirstOrThrow();
    expect(convening).toMatchObject({ status: "published", time_zone: "Europe/Lisbon", capacity_in_person: DEMO_CAPACITY, approval_required: 0 });
    const tracks = await t.db.selectFrom("tracks").select("name").where("convening_id", "=", conveningId).orderBy("position").execute();
    expect(tracks.map((tr) => tr.name)).toEqual(["Sex work", "Trafficking", "HIV/AIDS", "LGBTQ rights", "Migrant and labor rights", "Reproductive rights and health"]);

    const roles = await t.db
      .selectFrom("roles")
      .innerJoin("people", "people.id", "roles.person_id")
      .select(["people.email", "roles.role", "roles.convening_id"])
      .orderBy("roles.id")
      .execute();
    expect(roles).toEqual([
      { email: "organizer@example.org", role: "organizer", convening_id: null },
      ...[41, 42, 43, 44, 45, 46].map((n) => ({ email: `participant${n}@example.org`, role: "reviewer", convening_id: conveningId })),
    ]);

    const statuses = await t.db
      .selectFrom("registrations")
      .select((eb) => ["status", "attendance", eb.fn.countAll<number>().as("n")])
      .groupBy(["status", "attendance"])
      .orderBy("status")
      .orderBy("attendance")
      .execute();
    expect(statuses.map((s) => [s.status, s.attendance, Number(s.n)])).toEqual([
      ["confirmed", "in_person", DEMO_CAPACITY],
      ["confirmed", "remote", 9],
      ["waitlisted", "in_person", 3],
    ]);

    const varied = await t.db
      .selectFrom("registrations")
      .select((eb) => [
        eb.fn.sum<number>("consent_directory").as("listed"),
        eb.fn.sum<number>("consent_contact").as("sharing"),
        eb.fn.sum<number>("support_requested").as("support"),
      ])
      .executeTakeFirstOrThrow();
    expect([Number(varied.listed), Number(varied.sharing), Number(varied.support)]).toEqual([48, 22, 16]);
    const chosenOnly = await t.db.selectFrom("people").select("id").where("full_name", "is", null).execute();
    expect(chosenOnly).toHaveLength(13);
    const constituencies = await t.db.selectFrom("people").select("constituency").distinct().execute();
    // six constituencies and "prefer not to say"
    expect(constituencies).toHaveLength(7);

    const proposals = await t.db
      .selectFrom("proposals")
      .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .orderBy("status")
      .execute();
    expect(proposals.map((p) => [p.status, Number(p.n)])).toEqual([
      ["confirmed", 25],
      ["declined", 4],
      ["submitted", 7],
      ["waitlisted", 4],
    ]);
    const count = async (table: "reviews" | "interests" | "review_criteria") =>
      Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    expect([await count("review_criteria"), await count("reviews"), await count("interests")]).toEqual([3, 69, 382]);
    const crossTrack = await t.db.selectFrom("proposal_tracks").select("proposal_id").distinct().where("is_primary", "=", 0).execute();
    expect(crossTrack).toHaveLength(24);
    const coFacilitators = await t.db.selectFrom("facilitators").select("status").where("role", "=", "co").execute();
    expect(coFacilitators).toEqual(Array(10).fill({ status: "accepted" }));

    // A two-day agenda built by the scheduler and published as version 1, without hard conflicts.
    const placed = await t.db.selectFrom("placements").select("proposal_id").execute();
    expect(placed).toHaveLength(25);
    const versions = await t.db.selectFrom("agenda_versions").select(["number", "changes"]).execute();
    expect(versions.map((v) => [v.number, JSON.parse(v.changes).length])).toEqual([[1, 25]]);
    const { evaluation } = await evaluateAgenda(t.db, conveningId);
    expect(evaluation.hard).toEqual([]);
    // Follow-up: action items from the sessions (some done, some overdue) and last year's commitments.
    const items = await t.db.selectFrom("action_items").select(["convening_id", "status"]).execute();
    expect(items.filter((i) => i.convening_id === conveningId)).toHaveLength(28);
    expect(items.filter((i) => i.convening_id !== conveningId).map((i) => i.status)).toEqual(["done", "open", "open"]);
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(["open", "in_progress", "done"]));
    const slots = await t.db.selectFrom("slots").select("starts_at").orderBy("starts_at").execute();
    expect(new Set(slots.map((s) => s.starts_at.slice(0, 10))).size).toBe(2);
  });
});
