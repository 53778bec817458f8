// Privacy rules on real databases: the names shown, account deletion, retention erasure with a
// controlled clock, and unsubscribe links.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { createAction } from "../../modules/actions/items.server";
import { sendActionReminders } from "../../modules/actions/reminders.server";
import { agenda, convening, participant, proposal, type TestPerson } from "../../../tests/factories";
import { placeSession } from "../../modules/agenda/placements.server";
import { publishAgenda } from "../../modules/agenda/publish.server";
import { addSlot } from "../../modules/agenda/setup.server";
import { createSession } from "../../modules/auth/session.server";
import { agendaCalendar, feedToken, personForFeed } from "../../modules/calendar/feeds.server";
import { getPublicConvening } from "../../modules/convenings/convenings.server";
import { findOrCreatePerson } from "../../modules/people/people.server";
import { setInterest } from "../../modules/proposals/sessions.server";
import { updateRegistrationSettings } from "../../modules/registration/settings.server";
import { deleteAccount, eraseExpiredAnswers, erasedEmail, retentionDate } from "./erase.server";
import { facilitatorNameOf, facilitatorNames, participantName, participantNames, setFacilitationLabel } from "../../modules/names/names.server";
import { readUnsubscribeToken, setSubscription, unsubscribeLink, unsubscribeToken } from "../../platform/mail/unsubscribe.server";

const NOW = new Date("2027-02-01T12:00:00Z");

describe("who may see a participant's name", () => {
  const listed = { personId: 7, name: "Rosa", listed: true, deleted: false };
  const unlisted = { ...listed, listed: false };
  it("shows it only when listed and only to confirmed participants, always to the person and organizers, never once deleted", () => {
    expect(participantName(listed, { id: 8, organizer: false, registration: "confirmed" })).toBe("Rosa");
    expect(participantName(listed, { id: null, organizer: false, registration: null })).toBeNull();
    expect(participantName(listed, { id: 8, organizer: false, registration: "pending" })).toBeNull();
    expect(participantName(unlisted, { id: 8, organizer: false, registration: "confirmed" })).toBeNull();
    expect(participantName(unlisted, { id: 7, organizer: false, registration: "waitlisted" })).toBe("Rosa");
    expect(participantName(unlisted, { id: 8, organizer: true, registration: null })).toBe("Rosa");
    expect(participantName({ ...listed, deleted: true }, { id: 8, organizer: true, registration: null })).toBeNull();
  });
});

describe.each(DATABASE_KINDS)("privacy on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  let sessionId: number;
  const people: Record<string, TestPerson> = {};
  const slug = `privacy-${kind}`;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    ({ id: conveningId, organizerId } = await convening(t.db, { slug, title: "Spring Meeting", startsOn: "2027-03-27", endsOn: "2027-03-28", venue: "Casa", registration: { capacity: 2 }, cfp: {} }));
    for (const [name, listed, dietary] of [["Ana", false, "vegan"], ["Ben", true], ["Cleo", false]] as const) {
      people[name] = await participant(t.db, conveningId, {
        name,
        fullName: `${name} Legalname`,
        domain: "leak.example",
        status: name === "Cleo" ? "waitlisted" : "confirmed",
        now: NOW,
        answers: {
          displayName: name,
          accessNeeds: ["step_free"],
          accessOther: "a quiet room",
          dietary,
          support: { items: [{ kind: "travel", currency: "EUR", cents: 45000 }], reason: "travel from far away" },
          emergencyContact: "+351 000 000",
          consentDirectory: listed,
        },
      });
    }
    sessionId = (await proposal(t.db, { conveningId, proposerId: people.Ana!.id, status: "confirmed", now: NOW, answers: { title: "Safety first", abstract: "How we keep each other safe" } })).id;
    await agenda(t.db, { conveningId, rooms: [{ name: "Room 1", capacity: 30 }], slots: [{ date: "2027-03-27", time: "10:00", minutes: 60 }], placements: [{ proposalId: sessionId, slot: 0, room: 0 }], publish: { now: NOW } });
  });
  afterAll(async () => {
    await t.drop();
  });

  const publicConvening = async () => (await getPublicConvening(t.db, slug))!;
  // Unfolded (RFC 5545 folds long lines), so that phrases can be looked for whole.
  const feed = async () => (await agendaCalendar(t.db, await publicConvening(), {}, "Spring Meeting")).body.replace(/\r\n /g, "");

  it("shows a facilitator by the label they chose for the convening, everywhere at once, and by name again when they stop", async () => {
    expect(await feed()).toContain("Facilitators: Ana");
    await setFacilitationLabel(t.db, { conveningId, personId: people.Ana!.id, label: "a facilitator from the sex worker caucus" });
    expect((await facilitatorNames(t.db, [sessionId])).get(sessionId)).toEqual(["a facilitator from the sex worker caucus"]);
    expect(await facilitatorNameOf(t.db, sessionId, people.Ana!.id)).toBe("a facilitator from the sex worker caucus");
    // The cached calendar of this published version is rebuilt with the label.
    const labelled = await feed();
    expect(labelled).toContain("Facilitators: a facilitator from the sex worker caucus");
    expect(labelled).not.toMatch(/Ana|Legalname|leak\.example/);
    await setFacilitationLabel(t.db, { conveningId, personId: people.Ana!.id, label: null });
    expect(await feed()).toContain("Facilitators: Ana");
  });

  it("names owners and note authors only where they agreed to be listed", async () => {
    const nameOf = await participantNames(t.db, ["Ben", "Cleo"].map((n) => ({ conveningId, personId: people[n]!.id })), { id: people.Ana!.id, organizer: false });
    expect([nameOf(conveningId, people.Ben!.id), nameOf(conveningId, people.Cleo!.id), nameOf(conveningId, null)]).toEqual(["Ben", "a participant", "a participant"]);
    const asOrganizer = await participantNames(t.db, [{ conveningId, personId: people.Cleo!.id }], { id: organizerId, organizer: true });
    expect(asOrganizer(conveningId, people.Cleo!.id)).toBe("Cleo");
  });

  it("honours an unsubscribe link at once: forged links fail, queued mail of the topic is dropped, the job sends no more", async () => {
    const ben = people.Ben!.id;
    const token = unsubscribeToken(ben, "reminders");
    expect(readUnsubscribeToken(token)).toEqual({ personId: ben, topic: "reminders" });
    expect(readUnsubscribeToken(token.replace("reminders", "digest"))).toBeNull();
    expect(readUnsubscribeToken(`${ben + 1}${token.slice(String(ben).length)}`)).toBeNull();
    expect(readUnsubscribeToken("1-reminders-zz")).toBeNull();

    await createAction(t.db, { conveningId, proposalId: sessionId, title: "Write the safety guide", dueOn: "2027-04-10", owners: [{ personId: ben }], visibility: "group", by: { id: organizerId, organizer: true }, now: NOW });
    expect(await sendActionReminders(t.db, new Date("2027-04-05T08:00:00Z"))).toBe(1);
    const reminder = await t.db.selectFrom("mail_outbox").select(["text_body", "html_body", "unsubscribe_url", "status"]).where("person_id", "=", ben).where("template", "=", "action-due-7d").executeTakeFirstOrThrow();
    expect(reminder.unsubscribe_url).toBe(unsubscribeLink(ben, "reminders"));
    expect(reminder.text_body).toContain(`Stop these mails: ${unsubscribeLink(ben, "reminders")}`);
    expect(reminder.html_body).toContain(`href="${unsubscribeLink(ben, "reminders")}"`);
    // Essential mail carries no unsubscribe link.
    const assigned = await t.db.selectFrom("mail_outbox").select("unsubscribe_url").where("person_id", "=", ben).where("template", "=", "action-assigned").executeTakeFirstOrThrow();
    expect(assigned.unsubscribe_url).toBeNull();

    expect(await setSubscription(t.db, { personId: ben, topic: "reminders", subscribed: false })).toBe(true);
    expect(await t.db.selectFrom("mail_outbox").select("id").where("person_id", "=", ben).where("template", "like", "action-due%").execute()).toEqual([]);
    expect(await sendActionReminders(t.db, new Date("2027-04-09T08:00:00Z"))).toBe(0);
    expect(await setSubscription(t.db, { personId: 999_999, topic: "reminders", subscribed: false })).toBe(false);
  });

  it("sends no agenda-change mail to someone who turned it off", async () => {
    await setInterest(t.db, { conveningId, personId: people.Cleo!.id, proposalId: sessionId, interested: true });
    await setSubscription(t.db, { personId: people.Cleo!.id, topic: "agenda", subscribed: false });
    const slot = await addSlot(t.db, { conveningId, organizerId, date: "2027-03-28", time: "11:00", minutes: 60 });
    const room = (await t.db.selectFrom("rooms").select("id").where("convening_id", "=", conveningId).executeTakeFirstOrThrow()).id;
    await placeSession(t.db, { conveningId, organizerId, proposalId: sessionId, slotId: slot, roomId: room });
    await publishAgenda(t.db, { conveningId, organizerId, note: "moved", now: new Date("2027-02-10T12:00:00Z") });
    const agendaMail = await t.db.selectFrom("mail_outbox").select(["person_id", "unsubscribe_url"]).where("template", "=", "agenda-changed").where("dedupe_key", "like", `agenda:${conveningId}:v2:%`).orderBy("id").execute();
    expect(agendaMail).toEqual([{ person_id: people.Ana!.id, unsubscribe_url: unsubscribeLink(people.Ana!.id, "agenda") }]);
  });

  it("deletes an account: personal data erased, place given to the waitlist, the session kept with 'a facilitator', no way back", async () => {
    const ana = people.Ana!;
    // Cleo was third with capacity 2: waitlisted until Ana's place frees.
    expect((await t.db.selectFrom("registrations").select("status").where("person_id", "=", people.Cleo!.id).executeTakeFirstOrThrow()).status).toBe("waitlisted");
    const token = await feedToken(t.db, ana.id, "agenda");
    await createSession(t.db, ana.id);
    await t.db.insertInto("mail_outbox").values({ to_address: ana.email, person_id: ana.id, template: "registration-confirmed", subject: "You are in, Ana", text_body: "Dear Ana", html_body: "<p>Dear Ana</p>", status: "sent", next_attempt_at: NOW.toISOString(), created_at: NOW.toISOString() }).execute();

    expect(await deleteAccount(t.db, ana.id, new Date("2027-02-20T12:00:00Z"))).toBe(true);

    const row = await t.db.selectFrom("people").selectAll().where("id", "=", ana.id).executeTakeFirstOrThrow();
    expect([row.email, row.full_name, row.public_name, row.organization_id, row.deleted_at]).toEqual([erasedEmail(ana.id), null, null, null, "2027-02-20T12:00:00.000Z"]);
    for (const table of ["registrations", "interests", "feed_tokens", "sessions", "roles", "facilitation_labels"] as const) {
      expect(await t.db.selectFrom(table).select("person_id").where("person_id", "=", ana.id).execute(), table).toEqual([]);
    }
    expect(await personForFeed(t.db, token, "agenda")).toBeNull();
    const mail = await t.db.selectFrom("mail_outbox").select(["to_address", "subject", "text_body", "status"]).where((eb) => eb.or([eb("person_id", "=", ana.id), eb("to_address", "=", ana.email)])).execute();
    expect(mail.every((m) => m.status === "sent" && m.to_address === erasedEmail(ana.id) && m.subject === "" && m.text_body === "")).toBe(true);
    expect(mail.length).toBeGreaterThan(0);
    // Her place went to the first on the waitlist, who is told.
    expect((await t.db.selectFrom("registrations").select("status").where("person_id", "=", people.Cleo!.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    expect(await t.db.selectFrom("mail_outbox").select("template").where("person_id", "=", people.Cleo!.id).where("template", "=", "registration-promoted").execute()).toHaveLength(1);
    // The agenda is whole; the session shows "a facilitator", and nothing of her is in the feed.
    const body = await feed();
    expect(body).toContain("SUMMARY:Safety first");
    expect(body).toContain("Facilitators: a facilitator");
    expect(body).not.toMatch(/Ana|Legalname|leak\.example/);
    expect(await t.db.selectFrom("audit_log").select("action").where("subject_id", "=", ana.id).where("action", "=", "account.deleted").execute()).toHaveLength(1);
    // Irreversible, and the address is free: signing in again makes a new, empty account.
    expect(await deleteAccount(t.db, ana.id)).toBe(false);
    const again = await findOrCreatePerson(t.db, ana.email);
    expect(again.created).toBe(true);
    expect(again.id).not.toBe(ana.id);
  });

  it("erases sensitive answers after the retention date, in the convening's time zone, keeping counts, once", async () => {
    const stored = await t.db.selectFrom("convenings").select(["ends_on", "retention_on"]).where("id", "=", conveningId).executeTakeFirstOrThrow();
    expect(retentionDate(stored)).toBe("2027-06-26");
    const before = await t.db.selectFrom("registrations").select(["status", "support_requested", "attendance"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    // 23:30 on the 26th in Lisbon (UTC+1 in summer) is still the retention day: nothing happens.
    expect(await eraseExpiredAnswers(t.db, new Date("2027-06-26T22:30:00Z"))).toEqual([]);
    const benReason = () => t.db.selectFrom("support_requests").innerJoin("registrations", "registrations.id", "support_requests.registration_id").select("support_requests.reason").where("registrations.person_id", "=", people.Ben!.id).executeTakeFirstOrThrow();
    expect((await benReason()).reason).toBe("travel from far away");
    // 00:30 on the 27th in Lisbon is past it.
    expect(await eraseExpiredAnswers(t.db, new Date("2027-06-26T23:30:00Z"))).toEqual([conveningId]);
    const after = await t.db
      .selectFrom("registrations")
      .select(["status", "support_requested", "attendance", "access_needs", "access_other", "dietary", "support_reason", "emergency_contact"])
      .where("convening_id", "=", conveningId)
      .orderBy("id")
      .execute();
    expect(after.map((r) => ({ status: r.status, support_requested: r.support_requested, attendance: r.attendance }))).toEqual(before);
    expect(after.every((r) => r.access_needs === "[]" && r.access_other === null && r.dietary === null && r.support_reason === null && r.emergency_contact === null)).toBe(true);
    expect((await benReason()).reason).toBeNull();
    expect(await eraseExpiredAnswers(t.db, new Date("2027-07-30T00:00:00Z"))).toEqual([]);
    const audit = await t.db.selectFrom("audit_log").select("details").where("action", "=", "registrations.sensitive_erased").where("convening_id", "=", conveningId).execute();
    expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ registrations: after.length, answers: 0, letterRequests: 0, supportRequests: 2 }]);
  });

  it("follows the organizers' own retention date", async () => {
    const other = (await convening(t.db, { slug: `short-${kind}`, title: "Short Meeting", startsOn: "2027-05-01", endsOn: "2027-05-02", timeZone: "UTC", organizerId })).id;
    // Sensitive answers are kept at least until the convening is over: an earlier date is refused, changing nothing.
    await expect(updateRegistrationSettings(t.db, { conveningId: other, organizerId, opensAt: null, closesAt: null, capacity: null, approvalRequired: false, retentionOn: "2027-05-02" })).rejects.toMatchObject({ code: "retention_before_end", status: 400 });
    expect((await t.db.selectFrom("convenings").select("retention_on").where("id", "=", other).executeTakeFirstOrThrow()).retention_on).toBeNull();
    await updateRegistrationSettings(t.db, { conveningId: other, organizerId, opensAt: null, closesAt: null, capacity: null, approvalRequired: false, retentionOn: "2027-05-10" });
    expect(await eraseExpiredAnswers(t.db, new Date("2027-05-10T23:59:00Z"))).toEqual([]);
    expect(await eraseExpiredAnswers(t.db, new Date("2027-05-11T00:01:00Z"))).toEqual([other]);
  });
});
