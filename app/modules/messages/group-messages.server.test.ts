import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, person, proposal, registration, type TestConvening, type TestPerson } from "../../../tests/factories";
import { deleteAccount } from "../../features/account/erase.server";
import { setSubscription, unsubscribeLink } from "../../platform/mail/unsubscribe.server";
import { updateRegistrationSettings } from "../registration/settings.server";
import { MessagesError } from "./errors";
import { listGroupMessages, previewGroupMessage, queueGroupMessage, resolveGroup } from "./group-messages.server";
import { groupFiltersSchema, groupMessageSchema, type GroupFilters, type GroupMessageInput } from "./schema";

const DURING = new Date("2027-02-01T12:00:00Z");
const FOOTER = "You receive this because of your participation in a Convene convening.";

describe.each(DATABASE_KINDS)("group messages on %s", (kind) => {
  let t: TestDatabase;
  let c: TestConvening;
  let other: TestConvening;
  const p: Record<string, TestPerson> = {};

  const filters = (over: Record<string, string> = {}): GroupFilters => groupFiltersSchema.parse(over);
  const message = (over: Record<string, string> = {}): GroupMessageInput =>
    groupMessageSchema.parse({ subject: "Venue change", body: "We meet at the Casa do Alentejo.\r\n\r\nBring your badge.", ...over });
  const names = async (f: GroupFilters, essential = true) => (await resolveGroup(t.db, c.id, f, essential)).recipients.map((r) => r.name);
  const mailRows = () =>
    t.db.selectFrom("mail_outbox").select(["to_address", "person_id", "template", "subject", "text_body", "html_body", "dedupe_key", "unsubscribe_url"]).where("template", "=", "group-message").orderBy("id").execute();
  const messageRows = () => t.db.selectFrom("group_messages").selectAll().orderBy("id").execute();
  const auditRows = () => t.db.selectFrom("audit_log").select(["actor_id", "action", "subject_type", "subject_id", "convening_id", "details"]).where("action", "like", "group_message%").orderBy("id").execute();

  beforeAll(async () => {
    t = await freshDatabase(kind);
    c = await convening(t.db, { title: "Lisbon Meeting", cfp: {} });
    other = await convening(t.db, { title: "Other Meeting" });
    const sexWork = c.track("Sex work");
    const hiv = c.track("HIV/AIDS");
    const at = { now: DURING };
    p.Ana = await participant(t.db, c.id, { name: "Ana", ...at, answers: { tracks: [sexWork], constituency: "sex_worker_or_community_member", languages: ["Portuguese", "English"], support: { items: [{ kind: "travel", currency: "EUR", cents: 20000 }], reason: "Travel from Porto" } } });
    p.Ben = await participant(t.db, c.id, { name: "Ben", ...at, answers: { tracks: [hiv], attendance: "remote", constituency: "researcher", languages: ["english"] } });
    p.Cleo = await participant(t.db, c.id, { name: "Cleo", ...at, answers: { tracks: [sexWork, hiv], constituency: "advocate", languages: ["Spanish"] } });
    p.Dan = await participant(t.db, c.id, { name: "Dan", status: "cancelled", ...at, answers: { tracks: [sexWork] } });
    p.Eve = await participant(t.db, c.id, { name: "Eve", status: "declined", ...at, answers: { tracks: [sexWork] } });
    p.Fay = await participant(t.db, c.id, { name: "Fay", ...at, answers: { tracks: [sexWork], attendance: "remote" } });
    p.Gus = await participant(t.db, c.id, { name: "Gus", ...at, answers: { tracks: [sexWork] } });
    p.Ida = await participant(t.db, c.id, { name: "Ida", ...at, answers: { tracks: [sexWork] } });
    // Registered elsewhere only; and a registration made while approval is required stays pending.
    p.Zoe = await participant(t.db, other.id, { name: "Zoe", ...at, answers: { tracks: [other.trackIds[0]!] } });
    await updateRegistrationSettings(t.db, { conveningId: c.id, organizerId: c.organizerId, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: null, approvalRequired: true, now: DURING });
    p.Hal = await participant(t.db, c.id, { name: "Hal", status: "pending", ...at, answers: { tracks: [hiv] } });
    // Ben and Cleo facilitate an accepted session; Fay's is only submitted, Gus's acceptance is still held.
    await proposal(t.db, { conveningId: c.id, proposerId: p.Ben.id, facilitators: [p.Cleo.id], status: "accepted", now: DURING });
    await proposal(t.db, { conveningId: c.id, proposerId: p.Fay.id, status: "submitted", now: DURING });
    await proposal(t.db, { conveningId: c.id, proposerId: p.Gus.id, status: "pending_accepted", now: DURING });
    await deleteAccount(t.db, p.Ida.id, DURING);
    await setSubscription(t.db, { personId: p.Cleo.id, topic: "messages", subscribed: false, now: DURING });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("chooses exactly the registrants each filter names, and never the cancelled, declined, deleted or those of another convening", async () => {
    expect(await names(filters())).toEqual(["Ana", "Ben", "Cleo", "Fay", "Gus", "Hal"]);
    expect(await names(filters({ status: "confirmed" }))).toEqual(["Ana", "Ben", "Cleo", "Fay", "Gus"]);
    expect(await names(filters({ status: "pending" }))).toEqual(["Hal"]);
    expect(await names(filters({ status: "cancelled" }))).toEqual(["Dan"]);
    expect(await names(filters({ status: "declined" }))).toEqual(["Eve"]);
    expect(await names(filters({ attendance: "remote" }))).toEqual(["Ben", "Fay"]);
    expect(await names(filters({ attendance: "in_person" }))).toEqual(["Ana", "Cleo", "Gus", "Hal"]);
    expect(await names(filters({ track: String(c.track("HIV/AIDS")) }))).toEqual(["Ben", "Cleo", "Hal"]);
    expect(await names(filters({ constituency: "researcher" }))).toEqual(["Ben"]);
    expect(await names(filters({ constituency: "advocate" }))).toEqual(["Cleo"]);
    // A language as any registrant wrote it, in any case.
    expect(await names(filters({ language: "English" }))).toEqual(["Ana", "Ben"]);
    expect(await names(filters({ language: "spanish" }))).toEqual(["Cleo"]);
    expect(await names(filters({ language: "Span" }))).toEqual([]);
    expect(await names(filters({ language: 'x%"_' }))).toEqual([]);
    expect(await names(filters({ support: "yes" }))).toEqual(["Ana"]);
    expect(await names(filters({ support: "no" }))).toEqual(["Ben", "Cleo", "Fay", "Gus", "Hal"]);
    // Facilitators of a session that will take place: not a submitted one, not one whose acceptance is held.
    expect(await names(filters({ facilitators: "on" }))).toEqual(["Ben", "Cleo"]);
    expect(await names(filters({ status: "confirmed", track: String(c.track("Sex work")), facilitators: "on" }))).toEqual(["Cleo"]);
    expect(await names(filters({ status: "confirmed", attendance: "remote", support: "no", constituency: "researcher", language: "ENGLISH", track: String(c.track("HIV/AIDS")), facilitators: "on" }))).toEqual(["Ben"]);
    // Another convening's track names nothing here: refused, not an empty group.
    const refused = await resolveGroup(t.db, c.id, filters({ track: String(other.trackIds[0]) }), true).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MessagesError);
    expect(refused).toMatchObject({ code: "unknown_track", status: 400 });
  });

  it("refuses filter values it does not know instead of widening the group", () => {
    for (const bad of [{ status: "everyone" }, { attendance: "both" }, { constituency: "x" }, { support: "maybe" }, { track: "0" }, { track: "abc" }]) {
      expect(groupFiltersSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(groupMessageSchema.safeParse({ subject: "Two\nlines", body: "x" }).success).toBe(false);
    expect(groupMessageSchema.safeParse({ subject: " ", body: "x" }).success).toBe(false);
    expect(groupMessageSchema.safeParse({ subject: "x", body: " \r\n " }).success).toBe(false);
  });

  it("leaves out those who turned these messages off, unless the message is essential, and the preview says so", async () => {
    expect(await resolveGroup(t.db, c.id, filters(), false)).toMatchObject({ leftOut: 1 });
    expect(await names(filters(), false)).toEqual(["Ana", "Ben", "Fay", "Gus", "Hal"]);
    expect(await names(filters(), true)).toEqual(["Ana", "Ben", "Cleo", "Fay", "Gus", "Hal"]);

    const plain = await previewGroupMessage(t.db, { conveningId: c.id, message: message(), now: DURING });
    expect(plain).toMatchObject({ count: 5, leftOut: 1, essential: false });
    expect(plain.mails.map((m) => m.name)).toEqual(["Ana", "Ben", "Fay"]);
    expect(plain.mails[0]).toEqual({
      name: "Ana",
      subject: "Venue change",
      text: `Hello Ana,\n\nWe meet at the Casa do Alentejo.\n\nBring your badge.\n\n— The organizers of Lisbon Meeting\n\n--\n\n${FOOTER}\n\nStop these mails: ${unsubscribeLink(p.Ana!.id, "messages")}\n`,
    });

    const essential = await previewGroupMessage(t.db, { conveningId: c.id, message: message({ essential: "on" }), now: DURING });
    expect(essential).toMatchObject({ count: 6, leftOut: 0, essential: true });
    expect(essential.mails[0]!.text).toBe(`Hello Ana,\n\nWe meet at the Casa do Alentejo.\n\nBring your badge.\n\n— The organizers of Lisbon Meeting\n\n--\n\n${FOOTER}\n`);
    // Nothing is written by a preview.
    expect(await mailRows()).toEqual([]);
    expect(await messageRows()).toEqual([]);
  });

  it("queues one mail per person as previewed, with the message row and its audit entry, and queues nothing more the second time", async () => {
    const input = message({ status: "confirmed", track: String(c.track("Sex work")) });
    const preview = await previewGroupMessage(t.db, { conveningId: c.id, message: input, now: DURING });
    expect(preview).toMatchObject({ count: 3, leftOut: 1 });
    const queued = await queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: input, token: preview.token, fingerprint: preview.fingerprint, now: DURING });
    expect(queued).toEqual({ id: expect.any(Number), count: 3, repeated: false });

    const rows = await mailRows();
    expect(rows.map((r) => [r.to_address, r.person_id, r.subject, r.dedupe_key])).toEqual(
      ["Ana", "Fay", "Gus"].map((n) => [p[n]!.email, p[n]!.id, "Venue change", `group:${queued.id}:${p[n]!.id}`]),
    );
    // Each mail is the one previewed for that person, carries only their own address, and their own link.
    expect(rows[0]!.text_body).toBe(preview.mails[0]!.text);
    for (const [i, row] of rows.entries()) {
      expect(row.unsubscribe_url).toBe(unsubscribeLink(row.person_id!, "messages"));
      for (const [j, otherRow] of rows.entries()) if (i !== j) expect(row.text_body + row.html_body).not.toContain(otherRow.to_address);
    }
    expect(await messageRows()).toEqual([
      {
        id: queued.id,
        convening_id: c.id,
        filter: JSON.stringify({ status: "confirmed", track: c.track("Sex work") }),
        subject: "Venue change",
        body: "We meet at the Casa do Alentejo.\n\nBring your badge.",
        essential: 0,
        recipients: 3,
        left_out: 1,
        preview_token: preview.token,
        queued_by: c.organizerId,
        queued_at: DURING.toISOString(),
      },
    ]);
    expect(await auditRows()).toEqual([
      { actor_id: c.organizerId, action: "group_message.queued", subject_type: "group_message", subject_id: queued.id, convening_id: c.id, details: JSON.stringify({ count: 3, leftOut: 1, essential: false }) },
    ]);

    // The same preview queued again (a double click, a form sent twice) queues nothing more.
    const again = await queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: input, token: preview.token, fingerprint: preview.fingerprint, now: DURING });
    expect(again).toEqual({ id: queued.id, count: 3, repeated: true });
    const twice = await Promise.all(
      [1, 2].map(() => queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: input, token: preview.token, fingerprint: preview.fingerprint, now: DURING })),
    );
    expect(twice.map((r) => r.id)).toEqual([queued.id, queued.id]);
    expect(await mailRows()).toHaveLength(3);
    expect(await messageRows()).toHaveLength(1);
    expect(await auditRows()).toHaveLength(1);
    // The same preview's token on another convening is refused.
    await expect(queueGroupMessage(t.db, { conveningId: other.id, organizerId: other.organizerId, message: input, token: preview.token, fingerprint: preview.fingerprint })).rejects.toMatchObject({ code: "group_changed", status: 409 });

    const listed = await listGroupMessages(t.db, c.id);
    expect(listed).toEqual([{ id: queued.id, subject: "Venue change", essential: false, recipients: 3, leftOut: 1, queuedAt: DURING.toISOString(), queuedBy: "Organizer" }]);
    expect(await listGroupMessages(t.db, other.id)).toEqual([]);
  });

  it("sends an essential message to those who turned messages off too, without a link; turning the topic off later keeps it queued", async () => {
    const input = message({ facilitators: "on", essential: "on", subject: "Safety on the day", body: "Use the side entrance." });
    const preview = await previewGroupMessage(t.db, { conveningId: c.id, message: input });
    expect(preview).toMatchObject({ count: 2, leftOut: 0, essential: true });
    const queued = await queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: input, token: preview.token, fingerprint: preview.fingerprint });
    const rows = (await mailRows()).filter((r) => r.dedupe_key?.startsWith(`group:${queued.id}:`));
    expect(rows.map((r) => [r.to_address, r.unsubscribe_url])).toEqual([
      [p.Ben!.email, null],
      [p.Cleo!.email, null],
    ]);
    expect(rows[1]!.text_body).toBe(`Hello Cleo,\n\nUse the side entrance.\n\n— The organizers of Lisbon Meeting\n\n--\n\n${FOOTER}\n`);
    expect(rows[1]!.html_body).not.toContain("unsubscribe");
    expect((await auditRows()).at(-1)).toMatchObject({ subject_id: queued.id, details: JSON.stringify({ count: 2, leftOut: 0, essential: true }) });

    // Ben turns the messages off: his queued non-essential group mail goes, the essential one stays.
    const plain = message({ facilitators: "on", subject: "Facilitators' dinner" });
    const plainPreview = await previewGroupMessage(t.db, { conveningId: c.id, message: plain });
    expect(plainPreview).toMatchObject({ count: 1, leftOut: 1 });
    const plainQueued = await queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: plain, token: plainPreview.token, fingerprint: plainPreview.fingerprint });
    await setSubscription(t.db, { personId: p.Ben!.id, topic: "messages", subscribed: false });
    const ben = (await mailRows()).filter((r) => r.person_id === p.Ben!.id).map((r) => r.dedupe_key);
    expect(ben).toEqual([`group:${queued.id}:${p.Ben!.id}`]);
    expect(ben).not.toContain(`group:${plainQueued.id}:${p.Ben!.id}`);
    await setSubscription(t.db, { personId: p.Ben!.id, topic: "messages", subscribed: true });
  });

  it("refuses to queue when the group or the message changed since the preview, or when it reaches nobody, and writes nothing", async () => {
    const before = { mails: (await mailRows()).length, messages: (await messageRows()).length, audit: (await auditRows()).length };
    const input = message({ track: String(c.track("HIV/AIDS")) });
    const preview = await previewGroupMessage(t.db, { conveningId: c.id, message: input });
    expect(preview).toMatchObject({ count: 2, leftOut: 1 });
    const attempt = (m: GroupMessageInput, fingerprint = preview.fingerprint, token = preview.token) =>
      queueGroupMessage(t.db, { conveningId: c.id, organizerId: c.organizerId, message: m, token, fingerprint }).catch((e: unknown) => e);

    // The text edited after the preview.
    expect(await attempt({ ...input, subject: "Venue change!" })).toMatchObject({ code: "group_changed", status: 409 });
    expect(await attempt({ ...input, essential: true })).toMatchObject({ code: "group_changed", status: 409 });
    // Someone joins the group between the preview and the queueing.
    const newcomer = await person(t.db, { name: "Newcomer" });
    await registration(t.db, { conveningId: c.id, personId: newcomer.id, status: "confirmed", answers: { tracks: [c.track("HIV/AIDS")] } });
    expect(await attempt(input)).toMatchObject({ code: "group_changed", status: 409 });

    const nobody = message({ constituency: "donor" });
    const empty = await previewGroupMessage(t.db, { conveningId: c.id, message: nobody });
    expect(empty).toMatchObject({ count: 0, leftOut: 0, mails: [] });
    expect(await attempt(nobody, empty.fingerprint, empty.token)).toMatchObject({ code: "nobody", status: 409 });
    expect({ mails: (await mailRows()).length, messages: (await messageRows()).length, audit: (await auditRows()).length }).toEqual(before);

    // A fresh preview shows the new group, and queues.
    const fresh = await previewGroupMessage(t.db, { conveningId: c.id, message: input });
    expect(fresh.mails.map((m) => m.name)).toEqual(["Ben", "Hal", "Newcomer"]);
    expect(await attempt(input, fresh.fingerprint, fresh.token)).toMatchObject({ count: 3, repeated: false });
  });
});
