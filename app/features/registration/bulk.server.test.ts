import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, person, organizerRole } from "../../../tests/factories";
import { decideRegistrations } from "./bulk.server";
import { bulkResultParams, readBulkResult } from "./bulk-result";
import { BULK_DECISIONS } from "../../modules/registration/schema";

const BEFORE = new Date("2027-02-01T12:00:00Z");
// The convening runs 1 to 3 June 2027 in Lisbon (UTC+1 in summer): 23:30 UTC on 31 May is already its first day there.
const FIRST_DAY = new Date("2027-05-31T23:30:00Z");

describe.each(DATABASE_KINDS)("bulk decisions on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  async function setup(capacity: number, pending: number, options: { remote?: number } = {}) {
    const c = await convening(t.db, { registration: { capacity, approvalRequired: true } });
    const people = [];
    for (let i = 0; i < pending + (options.remote ?? 0); i += 1) {
      people.push(await participant(t.db, c.id, { status: "pending", answers: { attendance: i < pending ? "in_person" : "remote" }, now: BEFORE }));
    }
    const rows = await t.db.selectFrom("registrations").select(["id", "person_id"]).where("convening_id", "=", c.id).orderBy("id").execute();
    return { c, ids: rows.map((r) => r.id), people };
  }
  const statusOf = async (conveningId: number) =>
    (await t.db.selectFrom("registrations").select(["id", "status"]).where("convening_id", "=", conveningId).orderBy("id").execute()).map((r) => r.status);
  const mails = (conveningId: number) => t.db.selectFrom("mail_outbox").select(["to_address", "template", "text_body"]).where("convening_id", "=", conveningId).orderBy("id").execute();

  it("approves up to capacity, oldest first, waitlists the rest, and says what happened to each", async () => {
    const { c, ids, people } = await setup(2, 4, { remote: 1 });
    const mailsBefore = (await mails(c.id)).length;
    // Given in any order and twice over, the rows are taken once each, in the order they arrived.
    const result = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[3]!, ids[0]!, ids[4]!, ids[2]!, ids[1]!, ids[0]!], decision: "approve", now: BEFORE });
    expect(result).toEqual({ decision: "approve", outcomes: { confirmed: [ids[0], ids[1], ids[4]], waitlisted: [ids[2], ids[3]] } });
    expect(await statusOf(c.id)).toEqual(["confirmed", "confirmed", "waitlisted", "waitlisted", "confirmed"]);
    const sent = (await mails(c.id)).slice(mailsBefore);
    expect(sent.map((m) => [m.to_address, m.template])).toEqual([
      [people[0]!.email, "registration-confirmed"],
      [people[1]!.email, "registration-confirmed"],
      [people[2]!.email, "registration-waitlisted"],
      [people[3]!.email, "registration-waitlisted"],
      [people[4]!.email, "registration-confirmed"],
    ]);
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "subject_id", "details"]).where("convening_id", "=", c.id).where("action", "=", "registration.approved").orderBy("id").execute();
    expect(audit.map((a) => [a.actor_id, a.subject_id, JSON.parse(a.details).to])).toEqual([
      [c.organizerId, ids[0], "confirmed"],
      [c.organizerId, ids[1], "confirmed"],
      [c.organizerId, ids[2], "waitlisted"],
      [c.organizerId, ids[3], "waitlisted"],
      [c.organizerId, ids[4], "confirmed"],
    ]);

    // Again: nothing is possible, nothing changes, nobody is mailed twice.
    const again = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids, decision: "approve", now: BEFORE });
    expect(again.outcomes).toEqual({ invalid_transition: ids });
    expect((await mails(c.id)).length).toBe(mailsBefore + 5);

    // A registration of another convening is not found here, and is left alone.
    const other = await setup(5, 1);
    const foreign = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: other.ids, decision: "approve", now: BEFORE });
    expect(foreign.outcomes).toEqual({ not_found: other.ids });
    expect(await statusOf(other.c.id)).toEqual(["pending"]);
  });

  it("waitlists what is still to decide only when the house is full, and moves confirmed people only when someone waits", async () => {
    const { c, ids } = await setup(1, 3);
    const free = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!], decision: "waitlist", now: BEFORE });
    expect(free.outcomes).toEqual({ place_free: [ids[0]] });
    await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!], decision: "approve", now: BEFORE });
    const moved = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!, ids[1]!], decision: "waitlist", now: BEFORE });
    // The confirmed one has nobody behind them (yet): ids[1] joins the waitlist after that check.
    expect(moved.outcomes).toEqual({ nobody_waiting: [ids[0]], waitlisted: [ids[1]] });
    expect(await statusOf(c.id)).toEqual(["confirmed", "waitlisted", "pending"]);
    // Later (the queue is served by the time one joined it).
    const swap = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!], decision: "waitlist", now: new Date(BEFORE.getTime() + 3_600_000) });
    expect(swap.outcomes).toEqual({ waitlisted: [ids[0]] });
    // The freed place went to the one waiting.
    expect(await statusOf(c.id)).toEqual(["waitlisted", "confirmed", "pending"]);
  });

  it("declines with the message, mailed to each, and gives a freed place to the waitlist", async () => {
    const { c, ids, people } = await setup(1, 3);
    await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: ids.slice(0, 2), decision: "approve", now: BEFORE });
    const message = "We could not offer you a place this year.";
    const result = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!, ids[2]!], decision: "decline", message, now: BEFORE });
    expect(result.outcomes).toEqual({ declined: [ids[0], ids[2]] });
    expect(await statusOf(c.id)).toEqual(["declined", "confirmed", "declined"]);
    const rows = await t.db.selectFrom("registrations").select("organizer_message").where("id", "in", [ids[0]!, ids[2]!]).execute();
    expect(rows.map((r) => r.organizer_message)).toEqual([message, message]);
    const sent = await mails(c.id);
    for (const p of [people[0]!, people[2]!]) {
      const declined = sent.filter((m) => m.to_address === p.email && m.template === "registration-declined");
      expect(declined).toHaveLength(1);
      expect(declined[0]!.text_body).toContain(`Their message: ${message}`);
    }
    expect(sent.filter((m) => m.to_address === people[1]!.email).map((m) => m.template)).toEqual(["registration-received", "registration-waitlisted", "registration-promoted"]);
  });

  it("marks attendance from the convening's first day where it is held, and only of confirmed people", async () => {
    const { c, ids } = await setup(5, 2);
    await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: [ids[0]!], decision: "approve", now: BEFORE });
    const early = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids, decision: "attended", now: new Date("2027-05-31T22:30:00Z") });
    expect(early.outcomes).toEqual({ not_yet: [ids[0]], invalid_transition: [ids[1]] });
    const onTime = await decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids, decision: "attended", now: FIRST_DAY });
    expect(onTime.outcomes).toEqual({ attended: [ids[0]], invalid_transition: [ids[1]] });
    const rows = await t.db.selectFrom("registrations").select(["attended_at"]).where("convening_id", "=", c.id).orderBy("id").execute();
    expect(rows.map((r) => r.attended_at)).toEqual([FIRST_DAY.toISOString(), null]);
    const audit = await t.db.selectFrom("audit_log").select("subject_id").where("convening_id", "=", c.id).where("action", "=", "registration.attended").execute();
    expect(audit.map((a) => a.subject_id)).toEqual([ids[0]]);
  });

  it("never gives more places than there are when two organizers approve overlapping selections at once, and mails each person once", async () => {
    const { c, ids, people } = await setup(5, 12);
    const second = (await person(t.db, { name: "Second organizer" })).id;
    await organizerRole(t.db, c.id, second);
    const before = (await mails(c.id)).length;
    const [a, b] = await Promise.all([
      decideRegistrations(t.db, { conveningId: c.id, organizerId: c.organizerId, ids: ids.slice(0, 8), decision: "approve" }),
      decideRegistrations(t.db, { conveningId: c.id, organizerId: second, ids: ids.slice(4), decision: "approve" }),
    ]);
    const statuses = await statusOf(c.id);
    expect(statuses.filter((s) => s === "confirmed")).toHaveLength(5);
    expect(statuses.filter((s) => s === "waitlisted")).toHaveLength(7);
    // Each person was decided by exactly one of the two; the other was told it was no longer possible.
    const decidedBy = (r: typeof a) => [...(r.outcomes.confirmed ?? []), ...(r.outcomes.waitlisted ?? [])];
    expect([...decidedBy(a), ...decidedBy(b)].sort((x, y) => x - y)).toEqual(ids);
    expect([...(a.outcomes.invalid_transition ?? []), ...(b.outcomes.invalid_transition ?? [])].sort((x, y) => x - y)).toEqual(ids.slice(4, 8));
    const sent = (await mails(c.id)).slice(before);
    expect(sent).toHaveLength(12);
    expect(new Set(sent.map((m) => m.to_address))).toEqual(new Set(people.map((p) => p.email)));
    expect(sent.filter((m) => m.template === "registration-confirmed")).toHaveLength(5);
    const approvals = await t.db.selectFrom("audit_log").select("subject_id").where("convening_id", "=", c.id).where("action", "=", "registration.approved").execute();
    expect(approvals.map((r) => Number(r.subject_id)).sort((x, y) => x - y)).toEqual(ids);
  });

  it("carries its result through the page's address and reads back only what parses", () => {
    const params = bulkResultParams({ decision: "approve", outcomes: { confirmed: [3, 1], waitlisted: [7] } }, new URLSearchParams("q=ana&sort=name&done=decline&o.declined=9"));
    expect(params.toString()).toBe("q=ana&sort=name&done=approve&o.confirmed=3%2C1&o.waitlisted=7");
    expect(readBulkResult(params, BULK_DECISIONS)).toEqual({ decision: "approve", outcomes: { confirmed: [3, 1], waitlisted: [7] } });
    expect(readBulkResult(new URLSearchParams("done=explode&o.confirmed=1"), BULK_DECISIONS)).toBeNull();
    expect(readBulkResult(new URLSearchParams("done=decline&o.declined=1,x,-2,3&o.bogus=4"), BULK_DECISIONS)).toEqual({ decision: "decline", outcomes: { declined: [1, 3] } });
  });
});
