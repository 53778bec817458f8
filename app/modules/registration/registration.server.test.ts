import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, registrationAnswers as answers } from "../../../tests/factories";
import { listTracks } from "../convenings/convenings.server";
import { exportRegistrations, registrationsCsv } from "./csv.server";
import { fixedT } from "../../platform/i18n/i18next.server";
import { listRegistrations, participantDirectory, registrationForOrganizer, registrationsForExport, registrationSummary } from "./queries.server";
import { cancelRegistration, submitRegistration, updateRegistration } from "./registering.server";
import { decideRegistration } from "./decisions.server";
import { promoteFromWaitlists } from "./waitlist.server";
import { updateRegistrationSettings } from "./settings.server";
import { RegistrationError } from "./errors";

const OPEN = "2027-01-01T00:00:00.000Z";
const CLOSE = "2027-05-01T00:00:00.000Z";
const DURING = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("registration on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let trackIds: number[];
  let organizerId: number;
  let seq = 0;
  const someone = async (name?: string) => (await person(t.db, { name })).id;

  async function settings(capacity: number | null, approvalRequired = false, window: [string | null, string | null] = [OPEN, CLOSE]) {
    await updateRegistrationSettings(t.db, { conveningId, organizerId, opensAt: window[0], closesAt: window[1], capacity, approvalRequired, now: DURING });
  }

  async function mailsTo(personId: number) {
    const p = await t.db.selectFrom("people").select("email").where("id", "=", personId).executeTakeFirstOrThrow();
    return t.db.selectFrom("mail_outbox").select(["template", "subject", "text_body"]).where("to_address", "=", p.email).orderBy("id").execute();
  }

  async function statuses() {
    return t.db.selectFrom("registrations").select(["id", "person_id", "status", "queued_at"]).where("convening_id", "=", conveningId).orderBy("id").execute();
  }

  beforeAll(async () => {
    t = await freshDatabase(kind);
    organizerId = await someone("Organizer");
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    ({ id: conveningId, trackIds } = await convening(t.db, { slug: `c-${++seq}`, organizerId }));
    await settings(20);
  });

  it("never exceeds capacity with 50 concurrent submissions, and keeps the waitlist in arrival order", async () => {
    // Real time here: arrival order is the order in which the submissions get the lock.
    await settings(20, false, ["2020-01-01T00:00:00.000Z", null]);
    const people = await Promise.all(Array.from({ length: 50 }, (_, i) => someone(`Crowd ${i}`)));
    const results = await Promise.allSettled(
      people.map((personId) => submitRegistration(t.db, { conveningId, personId, answers: answers({ tracks: [trackIds[0]!] }) })),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const rows = await statuses();
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(20);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(30);
    // Places went to the first 20 to arrive; the waitlist is the rest, in the order they arrived.
    expect(rows.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill("confirmed"));
    const waitlist = rows.filter((r) => r.status === "waitlisted");
    const byQueue = [...waitlist].sort((a, b) => (a.queued_at === b.queued_at ? a.id - b.id : a.queued_at < b.queued_at ? -1 : 1));
    expect(byQueue.map((r) => r.id)).toEqual(waitlist.map((r) => r.id));

    // A cancellation promotes the first on the waitlist, who is mailed.
    const first = waitlist[0]!;
    const leaving = rows[5]!;
    await cancelRegistration(t.db, { conveningId, personId: leaving.person_id });
    const after = await statuses();
    expect(after.find((r) => r.id === leaving.id)!.status).toBe("cancelled");
    expect(after.find((r) => r.id === first.id)!.status).toBe("confirmed");
    expect(after.filter((r) => r.status === "confirmed")).toHaveLength(20);
    expect((await mailsTo(first.person_id)).map((m) => m.template)).toEqual(["registration-waitlisted", "registration-promoted"]);
    expect((await mailsTo(leaving.person_id)).map((m) => m.template)).toEqual(["registration-confirmed", "registration-cancelled"]);
  });

  it("mails the participant on every change of status, with the right words", async () => {
    await settings(1, true);
    const ana = await someone("Ana");
    const ben = await someone("Ben");
    await submitRegistration(t.db, { conveningId, personId: ana, answers: answers({ displayName: "Ana", tracks: [trackIds[1]!] }), now: DURING });
    await submitRegistration(t.db, { conveningId, personId: ben, answers: answers({ displayName: "Ben", tracks: [trackIds[1]!] }), now: DURING });
    const [anaReg, benReg] = (await statuses()).map((r) => r.id);
    expect((await statuses()).map((r) => r.status)).toEqual(["pending", "pending"]);
    await decideRegistration(t.db, { conveningId, registrationId: anaReg!, organizerId, decision: "approve", now: DURING });
    await decideRegistration(t.db, { conveningId, registrationId: benReg!, organizerId, decision: "approve", now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["confirmed", "waitlisted"]);
    await decideRegistration(t.db, { conveningId, registrationId: anaReg!, organizerId, decision: "decline", message: "We are full of organizers", now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["declined", "confirmed"]);
    await cancelRegistration(t.db, { conveningId, personId: ben, now: DURING });

    const ana_ = await mailsTo(ana);
    expect(ana_.map((m) => [m.template, m.subject])).toEqual([
      ["registration-received", "We received your registration for Test Meeting"],
      ["registration-confirmed", "Your place at Test Meeting is confirmed"],
      ["registration-declined", "Your registration for Test Meeting"],
    ]);
    expect(ana_[2]!.text_body).toContain("Their message: We are full of organizers");
    expect(ana_[0]!.text_body).toContain("Hello Ana,");
    expect(ana_[0]!.text_body).toContain(`http://convene.test/convenings/c-`);
    const ben_ = await mailsTo(ben);
    expect(ben_.map((m) => m.template)).toEqual(["registration-received", "registration-waitlisted", "registration-promoted", "registration-cancelled"]);
    expect(ben_[1]!.text_body).toContain("you are on the waitlist, at number 1.");

    const audit = await t.db.selectFrom("audit_log").select(["action", "actor_id"]).where("subject_type", "=", "registration").where("subject_id", "=", benReg!).orderBy("id").execute();
    expect(audit).toEqual([
      { action: "registration.submitted", actor_id: ben },
      { action: "registration.approved", actor_id: organizerId },
      { action: "registration.promoted", actor_id: organizerId },
      { action: "registration.cancelled", actor_id: ben },
    ]);
  });

  it("refuses what the rules forbid, and changes nothing", async () => {
    const ana = await someone();
    await submitRegistration(t.db, { conveningId, personId: ana, answers: answers({ tracks: [trackIds[0]!] }), now: DURING });
    const snapshot = async () => [await statuses(), (await t.db.selectFrom("mail_outbox").select("id").execute()).length];
    const before = await snapshot();
    const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof RegistrationError ? `${e.status} ${e.code}` : String(e)));

    expect(await reject(submitRegistration(t.db, { conveningId, personId: ana, answers: answers({ tracks: [trackIds[0]!] }), now: DURING }))).toBe("409 already_registered");
    const ben = await someone();
    const before2 = await snapshot();
    expect(await reject(submitRegistration(t.db, { conveningId, personId: ben, answers: answers({ tracks: [999_999] }), now: DURING }))).toBe("400 unknown_track");
    const { id: other, trackIds: otherTracks } = await convening(t.db, { slug: `other-${seq}`, title: "Other", startsOn: "2027-06-01", endsOn: "2027-06-02", timeZone: "UTC", organizerId });
    expect(await reject(submitRegistration(t.db, { conveningId, personId: ben, answers: answers({ tracks: [otherTracks[0]!] }), now: DURING }))).toBe("400 unknown_track");
    expect(await reject(submitRegistration(t.db, { conveningId, personId: ben, answers: answers({ tracks: [trackIds[0]!] }), now: new Date(CLOSE) }))).toBe("409 closed");
    expect(await reject(submitRegistration(t.db, { conveningId, personId: ben, answers: answers({ tracks: [trackIds[0]!] }), now: new Date("2026-12-31T23:59:59Z") }))).toBe("409 closed");
    expect(await reject(updateRegistration(t.db, { conveningId, personId: ben, answers: answers({ tracks: [trackIds[0]!] }), now: DURING }))).toBe("404 not_registered");
    const anaReg = (await statuses())[0]!.id;
    expect(await reject(decideRegistration(t.db, { conveningId, registrationId: anaReg, organizerId, decision: "confirm", now: DURING }))).toBe("409 invalid_transition");
    expect(await reject(decideRegistration(t.db, { conveningId: other, registrationId: anaReg, organizerId, decision: "decline", now: DURING }))).toBe("404 not_found");
    expect(await snapshot()).toEqual(before2);
    expect(before2[0]).toEqual(before[0]);
  });

  it("moves places when attendance changes, when capacity is raised, and lets an organizer confirm only when there is room", async () => {
    await settings(1);
    const [a, b, c] = [await someone(), await someone(), await someone()];
    for (const p of [a, b, c]) await submitRegistration(t.db, { conveningId, personId: p, answers: answers({ tracks: [trackIds[2]!] }), now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["confirmed", "waitlisted", "waitlisted"]);
    const ids = (await statuses()).map((r) => r.id);
    expect(await decideRegistration(t.db, { conveningId, registrationId: ids[1]!, organizerId, decision: "confirm", now: DURING }).catch((e: RegistrationError) => e.code)).toBe("full");

    // a goes remote: the place goes to b.
    await updateRegistration(t.db, { conveningId, personId: a, answers: answers({ tracks: [trackIds[2]!], attendance: "remote" }), now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["confirmed", "confirmed", "waitlisted"]);
    // c goes remote: no place needed, confirmed at once.
    await updateRegistration(t.db, { conveningId, personId: c, answers: answers({ tracks: [trackIds[2]!], attendance: "remote" }), now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
    // a comes in person again: the house is full, so a waits.
    await updateRegistration(t.db, { conveningId, personId: a, answers: answers({ tracks: [trackIds[2]!], attendance: "in_person" }), now: DURING });
    expect((await statuses()).map((r) => r.status)).toEqual(["waitlisted", "confirmed", "confirmed"]);
    // More places: the waitlist is served at once.
    await settings(2);
    expect((await statuses()).map((r) => r.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
    // Nothing more for the job to do.
    expect(await promoteFromWaitlists(t.db, DURING)).toBe(0);
  });

  it("keeps a decline final, and sends people who switch to in person or are moved to the back of the waitlist", async () => {
    await settings(1);
    const at = (minute: number) => new Date(DURING.getTime() + minute * 60_000);
    const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof RegistrationError ? `${e.status} ${e.code}` : String(e)));
    // A declined person cannot cancel and come back in.
    const declined = await someone();
    await submitRegistration(t.db, { conveningId, personId: declined, answers: answers({ tracks: [trackIds[0]!], attendance: "remote" }), now: at(0) });
    const declinedId = (await statuses()).at(-1)!.id;
    await decideRegistration(t.db, { conveningId, registrationId: declinedId, organizerId, decision: "decline", now: at(1) });
    expect(await reject(cancelRegistration(t.db, { conveningId, personId: declined, now: at(2) }))).toBe("404 not_registered");
    expect(await reject(submitRegistration(t.db, { conveningId, personId: declined, answers: answers({ tracks: [trackIds[0]!] }), now: at(3) }))).toBe("409 already_registered");

    // B registers remote first, C takes the only place, D waits; B switching to in person queues behind D.
    const [b, c, d] = [await someone(), await someone(), await someone()];
    await submitRegistration(t.db, { conveningId, personId: b, answers: answers({ tracks: [trackIds[0]!], attendance: "remote" }), now: at(10) });
    await submitRegistration(t.db, { conveningId, personId: c, answers: answers({ tracks: [trackIds[0]!] }), now: at(11) });
    await submitRegistration(t.db, { conveningId, personId: d, answers: answers({ tracks: [trackIds[0]!] }), now: at(12) });
    await updateRegistration(t.db, { conveningId, personId: b, answers: answers({ tracks: [trackIds[0]!] }), now: at(13) });
    const byPerson = async () => new Map((await statuses()).map((r) => [r.person_id, r.status]));
    const now1 = await byPerson();
    expect([now1.get(b), now1.get(c), now1.get(d)]).toEqual(["waitlisted", "confirmed", "waitlisted"]);
    await cancelRegistration(t.db, { conveningId, personId: c, now: at(14) });
    expect([(await byPerson()).get(b), (await byPerson()).get(d)]).toEqual(["waitlisted", "confirmed"]);

    // Moving D to the waitlist gives the place to B (next in line) and D queues last; the job changes nothing.
    const dReg = (await statuses()).find((r) => r.person_id === d)!.id;
    await decideRegistration(t.db, { conveningId, registrationId: dReg, organizerId, decision: "waitlist", now: at(15) });
    expect([(await byPerson()).get(b), (await byPerson()).get(d)]).toEqual(["confirmed", "waitlisted"]);
    expect(await promoteFromWaitlists(t.db, at(16))).toBe(0);
    // With nobody else waiting, moving B would hand the place straight back: refused.
    await cancelRegistration(t.db, { conveningId, personId: d, now: at(17) });
    const bReg = (await statuses()).find((r) => r.person_id === b)!.id;
    expect(await reject(decideRegistration(t.db, { conveningId, registrationId: bReg, organizerId, decision: "waitlist", now: at(18) }))).toBe("409 nobody_waiting");
  });

  it("lists in the directory only those who agreed, with email only where they agreed to share it", async () => {
    const listed = await someone();
    const sharing = await someone();
    const hidden = await someone();
    const cancelled = await someone();
    await submitRegistration(t.db, { conveningId, personId: listed, answers: answers({ displayName: "Listed", organization: "Org A", tracks: [trackIds[0]!], consentDirectory: true }), now: DURING });
    await submitRegistration(t.db, { conveningId, personId: sharing, answers: answers({ displayName: "Sharing", tracks: [trackIds[0]!, trackIds[3]!], consentDirectory: true, consentContact: true }), now: DURING });
    await submitRegistration(t.db, { conveningId, personId: hidden, answers: answers({ displayName: "Hidden", tracks: [trackIds[0]!], consentContact: true }), now: DURING });
    await submitRegistration(t.db, { conveningId, personId: cancelled, answers: answers({ displayName: "Gone", tracks: [trackIds[0]!], consentDirectory: true }), now: DURING });
    await cancelRegistration(t.db, { conveningId, personId: cancelled, now: DURING });
    const sharingEmail = (await t.db.selectFrom("people").select("email").where("id", "=", sharing).executeTakeFirstOrThrow()).email;
    const directory = await participantDirectory(t.db, conveningId);
    expect(directory.map(({ id: _id, ...rest }) => rest)).toEqual([
      { name: "Listed", pronouns: null, organization: "Org A", email: null, trackIds: [trackIds[0]] },
      { name: "Sharing", pronouns: null, organization: null, email: sharingEmail, trackIds: [trackIds[0], trackIds[3]] },
    ]);
  });

  it("filters, counts and exports what organizers asked for, and audits each sensitive read", async () => {
    const [a, b, c] = [await someone("Alpha"), await someone("Beta"), await someone("Gamma")];
    await submitRegistration(t.db, { conveningId, personId: a, answers: answers({ displayName: "=HYPERLINK(\"x\")", constituency: "sex_worker_or_community_member", country: "Kenya", tracks: [trackIds[0]!], support: { items: [{ kind: "travel", currency: "EUR", cents: 50000 }], reason: "No travel budget" }, dietary: "Vegan", emergencyContact: "Sam, 555", accessNeeds: ["step_free"], languages: ["English", "Kiswahili"] }), now: new Date("2027-02-01T10:00:00Z") });
    await submitRegistration(t.db, { conveningId, personId: b, answers: answers({ displayName: "Beta", constituency: "researcher", country: "Kenya", tracks: [trackIds[1]!], attendance: "remote" }), now: new Date("2027-02-01T11:00:00Z") });
    await submitRegistration(t.db, { conveningId, personId: c, answers: answers({ displayName: "Gamma", tracks: [trackIds[0]!, trackIds[1]!] }), now: new Date("2027-02-01T12:00:00Z") });
    await cancelRegistration(t.db, { conveningId, personId: c, now: DURING });

    const page = (over: object) => listRegistrations(t.db, conveningId, { ...over });
    expect((await page({})).total).toBe(3);
    expect((await page({ status: "confirmed" })).rows.map((r) => r.display_name)).toEqual(["=HYPERLINK(\"x\")", "Beta"]);
    expect((await page({ track: trackIds[1] })).rows.map((r) => r.display_name)).toEqual(["Beta", "Gamma"]);
    expect((await page({ constituency: "researcher" })).rows.map((r) => r.display_name)).toEqual(["Beta"]);
    expect((await page({ attendance: "remote" })).rows.map((r) => r.display_name)).toEqual(["Beta"]);
    expect((await page({ support: "asked" })).rows.map((r) => r.display_name)).toEqual(["=HYPERLINK(\"x\")"]);
    expect((await page({ q: "nobody" })).rows).toEqual([]);

    const summary = await registrationSummary(t.db, conveningId);
    expect(summary).toEqual({
      registered: 2,
      byStatus: { pending: 0, confirmed: 2, waitlisted: 0, declined: 0, cancelled: 1 },
      inPersonConfirmed: 1,
      supportRequested: 1,
      byTrack: expect.arrayContaining([{ trackId: trackIds[0], count: 1 }, { trackId: trackIds[1], count: 1 }]),
      byConstituency: expect.arrayContaining([{ constituency: "sex_worker_or_community_member", count: 1 }, { constituency: "researcher", count: 1 }]),
      byCountry: [{ country: "Kenya", count: 2 }],
    });
    expect(summary.byTrack).toHaveLength(2);

    const names = new Map((await listTracks(t.db, conveningId)).map((tr) => [tr.id, tr.name]));
    const plain = registrationsCsv(await registrationsForExport(t.db, conveningId, { status: "confirmed" }, false), names, false, fixedT());
    const lines = plain.split("\r\n");
    expect(lines[0]).toBe("\uFEFFId,Name shown,Status,Attendance,Pronouns,Organization,Constituency,Country,Tracks,Languages,Interpretation,Support requested,Listed in directory,Shares email,Photos,Attended,Registered at (UTC)");
    const ids = (await statuses()).map((r) => r.id);
    expect(lines.slice(1)).toEqual([
      `${ids[0]},"'=HYPERLINK(""x"")",confirmed,in_person,,,sex_worker_or_community_member,Kenya,Sex work,English; Kiswahili,,yes,no,no,no,no,2027-02-01T10:00:00.000Z`,
      `${ids[1]},Beta,confirmed,remote,,,researcher,Kenya,Trafficking,,,no,no,no,no,no,2027-02-01T11:00:00.000Z`,
      "",
    ]);
    expect(plain).not.toContain("@example.org");
    expect(plain).not.toContain("Vegan");
    // Streamed a row per page (keyset paging), the export is the same file, and its reading is audited with its size.
    const bytes = await new Response(await exportRegistrations(t.db, { conveningId, actorId: organizerId, filters: {}, sensitive: false, t: fixedT(), pageSize: 1 })).arrayBuffer();
    const streamed = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(streamed).toBe(registrationsCsv(await registrationsForExport(t.db, conveningId, {}, false), names, false, fixedT()));
    expect(streamed.split("\r\n")).toHaveLength(1 + 3 + 1);
    const exported = await t.db.selectFrom("audit_log").select("details").where("action", "=", "registration.exported").execute();
    expect(exported.map((e) => JSON.parse(e.details))).toEqual([{ rows: 3, filters: {}, values: "codes" }]);

    const sensitive = registrationsCsv(await registrationsForExport(t.db, conveningId, { support: "asked" }, true), names, true, fixedT());
    const aEmail = (await t.db.selectFrom("people").select("email").where("id", "=", a).executeTakeFirstOrThrow()).email;
    expect(sensitive.split("\r\n")[1]).toBe(
      `${ids[0]},"'=HYPERLINK(""x"")",confirmed,in_person,,,sex_worker_or_community_member,Kenya,Sex work,English; Kiswahili,,yes,no,no,no,no,2027-02-01T10:00:00.000Z,Alpha Fullname,${aEmail},step_free,,Vegan,No travel budget,"Sam, 555"`,
    );

    // An organizer who may not read sensitive answers gets none of them, and nothing is audited.
    const withheld = await registrationForOrganizer(t.db, conveningId, ids[0]!, organizerId, { sensitive: false });
    expect(withheld?.sensitive).toBeNull();
    expect(Object.keys(withheld!).filter((k) => ["full_name", "email", "access_needs", "access_other", "dietary", "support_requested", "support_reason", "emergency_contact"].includes(k))).toEqual([]);
    expect(await t.db.selectFrom("audit_log").select("id").where("action", "=", "registration.sensitive_viewed").execute()).toEqual([]);
    const detail = await registrationForOrganizer(t.db, conveningId, ids[0]!, organizerId, { sensitive: true });
    expect(detail?.sensitive).toMatchObject({ full_name: "Alpha Fullname", email: aEmail, dietary: "Vegan", access_needs: ["step_free"] });
    const views = await t.db.selectFrom("audit_log").select(["actor_id", "subject_id", "details"]).where("action", "=", "registration.sensitive_viewed").execute();
    expect(views).toEqual([{ actor_id: organizerId, subject_id: ids[0], details: JSON.stringify({ fields: ["full_name", "email", "access_needs", "dietary", "support", "emergency_contact"] }) }]);
    expect(await registrationForOrganizer(t.db, conveningId, 999_999, organizerId, { sensitive: true })).toBeUndefined();
  });
});
