import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, person, registration, type TestConvening } from "../../../tests/factories";
import { addDeskVolunteer, isDeskVolunteer, listDeskVolunteers, removeDeskVolunteer } from "../../modules/auth/desk-volunteers.server";
import { decideRegistration } from "../../modules/registration/decisions.server";
import { cancelRegistration, submitRegistration } from "../../modules/registration/registering.server";
import { RegistrationError } from "../../modules/registration/errors";
import { registrationAnswers } from "../../../tests/factories";
import { deskCounts, deskEntryByCode, deskRole, searchDesk } from "./desk.server";
import type { RoleGrant } from "../../modules/auth/permissions";
import { deleteAccount } from "../account/erase.server";

// The test convening runs 1 to 3 June 2027 in Lisbon (UTC+1 in summer): the desk opens on 31 May, local time.
const DURING = new Date("2027-06-02T09:00:00Z");
const DAY_BEFORE_JUST = new Date("2027-05-30T23:30:00Z"); // 00:30 on 31 May in Lisbon
const TOO_EARLY = new Date("2027-05-30T22:30:00Z"); // 23:30 on 30 May in Lisbon
const LAST_EVENING = new Date("2027-06-03T22:30:00Z"); // 23:30 on 3 June in Lisbon
const AFTER = new Date("2027-06-03T23:30:00Z"); // 00:30 on 4 June in Lisbon
const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;

describe.each(DATABASE_KINDS)("the check-in desk on %s", (kind) => {
  let t: TestDatabase;
  let c: TestConvening;
  const organizer: { id: number; roles: RoleGrant[] } = { id: 0, roles: [] };

  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    c = await convening(t.db);
    organizer.id = c.organizerId;
    organizer.roles = [{ role: "organizer", conveningId: c.id, trackId: null }];
  });

  async function registered(name: string, over: Parameters<typeof participant>[2] = {}) {
    const p = await participant(t.db, c.id, { name, ...over });
    return t.db.selectFrom("registrations").selectAll().where("convening_id", "=", c.id).where("person_id", "=", p.id).executeTakeFirstOrThrow();
  }

  it("gives every registration a code from the unambiguous alphabet, unique in its convening, kept when the person registers again", async () => {
    const rows = [];
    for (let i = 0; i < 30; i++) rows.push(await registered(`Crowd ${i}`));
    for (const r of rows) expect(r.check_in_code).toMatch(CODE);
    expect(new Set(rows.map((r) => r.check_in_code)).size).toBe(30);
    const first = rows[0]!;
    await cancelRegistration(t.db, { conveningId: c.id, personId: first.person_id });
    const again = await submitRegistration(t.db, { conveningId: c.id, personId: first.person_id, answers: registrationAnswers({ displayName: "Crowd 0", tracks: [c.trackIds[0]!] }) });
    expect(again.check_in_code).toBe(first.check_in_code);
  });

  it("finds people by part of their chosen name in any case, and by their code typed loosely", async () => {
    const ana = await registered("Ana Lúcia Prado");
    await registered("Bea Santos");
    await registered("Anabel Cruz", { status: "cancelled" });
    expect((await searchDesk(t.db, c.id, "ana")).map((e) => e.name)).toEqual(["Ana Lúcia Prado", "Anabel Cruz"]);
    expect((await searchDesk(t.db, c.id, "  SANTOS ")).map((e) => e.name)).toEqual(["Bea Santos"]);
    const loose = `${ana.check_in_code.slice(0, 3).toLowerCase()} ${ana.check_in_code.slice(3).toLowerCase()}`;
    expect((await searchDesk(t.db, c.id, loose)).map((e) => e.registrationId)).toEqual([ana.id]);
    expect((await deskEntryByCode(t.db, c.id, ana.check_in_code.toLowerCase()))?.name).toBe("Ana Lúcia Prado");
    // Wildcards are letters like any other, one letter finds nobody, and codes belong to their convening.
    expect(await searchDesk(t.db, c.id, "%%")).toEqual([]);
    expect(await searchDesk(t.db, c.id, "a")).toEqual([]);
    const other = await convening(t.db);
    expect(await deskEntryByCode(t.db, other.id, ana.check_in_code)).toBeNull();
    expect(await deskEntryByCode(t.db, c.id, "0OIL1A")).toBeNull();
  });

  it("shows the desk the chosen name, pronouns, status, attendance and its flags, and no sensitive answer", async () => {
    const r = await registered("Rosa Door", {
      fullName: "Rosalind Secret-Legalname",
      answers: {
        pronouns: "she/her",
        interpretation: ["Español", "LSF"],
        accessNeeds: ["step_free", "sign_language", "quiet_room", "captioning", "large_print"],
        accessOther: "Private medical detail",
        dietary: "Private dietary detail",
        support: { items: [{ kind: "travel", currency: "EUR", cents: 45_000 }], reason: "Private support reason" },
        emergencyContact: "Private emergency contact",
        organization: "Private-ish Collective",
      },
    });
    const [entry] = await searchDesk(t.db, c.id, "rosa");
    expect(entry).toEqual({
      registrationId: r.id,
      name: "Rosa Door",
      pronouns: "she/her",
      status: "confirmed",
      attendance: "in_person",
      arrivedAt: null,
      code: r.check_in_code,
      flags: ["step_free", "sign_language", "large_print"],
      interpretation: ["Español", "LSF"],
    });
    const email = (await t.db.selectFrom("people").select("email").where("id", "=", r.person_id).executeTakeFirstOrThrow()).email;
    const shown = JSON.stringify([entry, await deskEntryByCode(t.db, c.id, r.check_in_code)]);
    for (const secret of ["Rosalind", "Legalname", "Private", "quiet_room", "captioning", email]) expect(shown).not.toContain(secret);
  });

  it("marks an arrival and undoes it through the one decision function, audited as done at the desk", async () => {
    const r = await registered("Arriving Person");
    const volunteer = await person(t.db, { name: "Volunteer" });
    await addDeskVolunteer(t.db, { conveningId: c.id, email: volunteer.email, actorId: c.organizerId });
    const marked = await decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: volunteer.id, decision: "attended", via: "desk", now: DURING });
    expect(marked.attended_at).toBe(DURING.toISOString());
    expect(await deskCounts(t.db, c.id)).toEqual({ arrived: 1, expected: 1 });
    const undone = await decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: volunteer.id, decision: "not-attended", via: "desk", now: DURING });
    expect(undone.attended_at).toBeNull();
    expect(await deskCounts(t.db, c.id)).toEqual({ arrived: 0, expected: 1 });
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "action", "subject_id", "details"]).where("subject_type", "=", "registration").where("subject_id", "=", r.id).where("action", "like", "registration.%attended").orderBy("id").execute();
    expect(audit).toEqual([
      { actor_id: volunteer.id, action: "registration.attended", subject_id: r.id, details: JSON.stringify({ via: "desk" }) },
      { actor_id: volunteer.id, action: "registration.not-attended", subject_id: r.id, details: JSON.stringify({ via: "desk" }) },
    ]);
  });

  it("refuses an arrival that is not confirmed, and any desk change outside the desk's days in the convening's time zone", async () => {
    const waiting = await convening(t.db, { registration: { approvalRequired: true } });
    const p = await person(t.db, { name: "Pending Person" });
    const pending = await registration(t.db, { conveningId: waiting.id, personId: p.id, status: "pending" });
    await expect(decideRegistration(t.db, { conveningId: waiting.id, registrationId: pending.id, organizerId: waiting.organizerId, decision: "attended", via: "desk", now: DURING })).rejects.toMatchObject({ code: "not_confirmed", status: 409 });
    const r = await registered("Early Bird");
    for (const at of [TOO_EARLY, AFTER]) {
      const refusal = decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: c.organizerId, decision: "attended", via: "desk", now: at });
      await expect(refusal).rejects.toBeInstanceOf(RegistrationError);
      await expect(refusal).rejects.toMatchObject({ code: "desk_closed", status: 409 });
    }
    const rows = await t.db.selectFrom("registrations").select("attended_at").where("id", "in", [pending.id, r.id]).execute();
    expect(rows.map((x) => x.attended_at)).toEqual([null, null]);
    expect((await decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: c.organizerId, decision: "attended", via: "desk", now: DAY_BEFORE_JUST })).attended_at).toBe(DAY_BEFORE_JUST.toISOString());
    expect((await decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: c.organizerId, decision: "not-attended", via: "desk", now: LAST_EVENING })).attended_at).toBeNull();
    await expect(decideRegistration(t.db, { conveningId: c.id, registrationId: r.id, organizerId: c.organizerId, decision: "not-attended", via: "desk", now: AFTER })).rejects.toMatchObject({ code: "desk_closed" });
  });

  it("lets organizers and the convening's own volunteers use the desk, named and removed with an audit entry", async () => {
    const newcomer = "new.volunteer@example.org";
    const added = await addDeskVolunteer(t.db, { conveningId: c.id, email: " New.Volunteer@Example.org ", actorId: c.organizerId });
    expect(added.added).toBe(true);
    expect(await addDeskVolunteer(t.db, { conveningId: c.id, email: newcomer, actorId: c.organizerId })).toEqual({ personId: added.personId, added: false });
    expect((await listDeskVolunteers(t.db, c.id)).map((v) => v.email)).toEqual([newcomer]);
    const volunteer = { id: added.personId, roles: [] as RoleGrant[] };
    const stranger = await participant(t.db, c.id, { name: "Just A Participant" });
    const other = await convening(t.db);
    expect(await deskRole(t.db, c.id, organizer)).toBe("organizer");
    expect(await deskRole(t.db, c.id, volunteer)).toBe("volunteer");
    expect(await deskRole(t.db, c.id, { id: stranger.id, roles: [] })).toBeNull();
    expect(await deskRole(t.db, other.id, volunteer)).toBeNull();
    expect(await deskRole(t.db, other.id, organizer)).toBeNull();

    expect(await removeDeskVolunteer(t.db, { conveningId: c.id, personId: added.personId, actorId: c.organizerId })).toEqual({ removed: true });
    expect(await removeDeskVolunteer(t.db, { conveningId: c.id, personId: added.personId, actorId: c.organizerId })).toEqual({ removed: false });
    expect(await isDeskVolunteer(t.db, c.id, added.personId)).toBe(false);
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "action", "subject_type", "subject_id", "convening_id"]).where("action", "like", "desk.%").where("convening_id", "=", c.id).orderBy("id").execute();
    expect(audit).toEqual([
      { actor_id: c.organizerId, action: "desk.volunteer_added", subject_type: "person", subject_id: added.personId, convening_id: c.id },
      { actor_id: c.organizerId, action: "desk.volunteer_removed", subject_type: "person", subject_id: added.personId, convening_id: c.id },
    ]);
  });

  it("takes the desk from a volunteer who deletes their account", async () => {
    const v = await person(t.db, { name: "Leaving Volunteer" });
    await addDeskVolunteer(t.db, { conveningId: c.id, email: v.email, actorId: c.organizerId });
    expect(await deleteAccount(t.db, v.id)).toBe(true);
    expect(await listDeskVolunteers(t.db, c.id)).toEqual([]);
    expect(await deskRole(t.db, c.id, { id: v.id, roles: [] })).toBeNull();
  });
});
