// Batch decisions and their release, on each database: every decision carries its own message
// (or none), a batch says what it did to which proposals, the release preview is exactly what
// release queues, and a preview that no longer matches the held decisions releases nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, proposal, type TestPerson } from "../../../tests/factories";
import { fixedT } from "../../platform/i18n/i18next.server";
import { decideProposals, releaseDecisions, releasePreview } from "./decisions.server";
import { updateProfile } from "../people/people.server";
import { withdrawProposal } from "./authoring.server";
import { ProposalError } from "./errors";

const OPEN = new Date("2027-02-01T12:00:00Z");
const WELCOME = "Welcome aboard!";

describe.each(DATABASE_KINDS)("batch decisions and their release on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  let seq = 0;
  /** three proposals, each with its proposer and one co-facilitator: six facilitators */
  let ids: { a: number; b: number; c: number };
  let people: Record<"a" | "b" | "c" | "coA" | "coB" | "coC", TestPerson>;

  const reject = (p: Promise<unknown>) => p.then(() => "done", (e: unknown) => (e instanceof ProposalError ? `${e.status} ${e.code} ${e.detail ?? ""}`.trim() : String(e)));
  const outbox = () =>
    t.db
      .selectFrom("mail_outbox")
      .select(["to_address", "template", "subject", "text_body"])
      .where("convening_id", "=", conveningId)
      .where("template", "in", ["proposal-accepted", "proposal-waitlisted", "proposal-declined"])
      .orderBy("id")
      .execute();
  const rows = () => t.db.selectFrom("proposals").select(["id", "status", "decision_message"]).where("convening_id", "=", conveningId).orderBy("id").execute();
  const audits = async () => Number((await t.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const decide = (list: number[], decision: "accepted" | "waitlisted" | "declined" | "undecided", message?: string) =>
    decideProposals(t.db, { conveningId, organizerId, ids: list, decision, message, now: OPEN });
  const release = async (fingerprint?: string) =>
    releaseDecisions(t.db, { conveningId, organizerId, fingerprint: fingerprint ?? (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN });

  beforeAll(async () => {
    t = await freshDatabase(kind);
    organizerId = (await person(t.db, { name: "Organizer" })).id;
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    const n = ++seq;
    ({ id: conveningId } = await convening(t.db, { slug: `release-${n}`, title: "Strategy Meeting", organizerId, cfp: {} }));
    const named = (name: string) => person(t.db, { name: `${name}${n}`, fullName: `${name}${n} Fullname` });
    people = { a: await named("Ana"), b: await named("Bea"), c: await named("Cleo"), coA: await named("Dara"), coB: await named("Eli"), coC: await named("Fern") };
    ids = {
      a: (await proposal(t.db, { conveningId, proposerId: people.a.id, facilitators: [people.coA.id], answers: { title: "Alpha session" }, now: OPEN })).id,
      b: (await proposal(t.db, { conveningId, proposerId: people.b.id, facilitators: [people.coB.id], answers: { title: "Beta session" }, now: OPEN })).id,
      c: (await proposal(t.db, { conveningId, proposerId: people.c.id, facilitators: [people.coC.id], answers: { title: "Gamma session" }, now: OPEN })).id,
    };
  });

  it("gives each decision its own message and says what every batch did, proposal by proposal", async () => {
    expect(await decide([ids.b, ids.a], "accepted", WELCOME)).toEqual({
      decision: "accepted",
      changed: [
        { id: ids.a, title: "Alpha session" },
        { id: ids.b, title: "Beta session" },
      ],
      messageReplaced: [],
      skipped: [],
    });
    // A later decision without a message does not inherit the earlier one.
    expect(await decide([ids.a, ids.c], "waitlisted")).toEqual({
      decision: "waitlisted",
      changed: [
        { id: ids.a, title: "Alpha session" },
        { id: ids.c, title: "Gamma session" },
      ],
      messageReplaced: [],
      skipped: [],
    });
    // The same decision again: with another message it replaces the message; with the same, it is skipped.
    expect(await decide([ids.b], "accepted", "See you in June.")).toEqual({ decision: "accepted", changed: [], messageReplaced: [{ id: ids.b, title: "Beta session" }], skipped: [] });
    expect(await decide([ids.c], "waitlisted")).toEqual({ decision: "waitlisted", changed: [], messageReplaced: [], skipped: [{ id: ids.c, title: "Gamma session" }] });
    expect(await rows()).toEqual([
      { id: ids.a, status: "pending_waitlisted", decision_message: null },
      { id: ids.b, status: "pending_accepted", decision_message: "See you in June." },
      { id: ids.c, status: "pending_waitlisted", decision_message: null },
    ]);
    // Taking a decision back drops its message too.
    await decide([ids.c], "declined", "Sorry, Gamma.");
    expect(await decide([ids.c], "undecided")).toEqual({ decision: "undecided", changed: [{ id: ids.c, title: "Gamma session" }], messageReplaced: [], skipped: [] });
    expect((await rows())[2]).toEqual({ id: ids.c, status: "submitted", decision_message: null });
    await decide([ids.c], "waitlisted");
    // Accepted and then accepted again without a message: the message goes.
    await decide([ids.b], "accepted");
    expect((await rows())[1]).toEqual({ id: ids.b, status: "pending_accepted", decision_message: null });
    await decide([ids.b], "accepted", WELCOME);

    expect(await release()).toEqual({ released: 3, mails: 6 });
    const sent = await outbox();
    expect(sent.map((m) => [m.to_address, m.subject])).toEqual([
      [people.a.email, 'Waitlisted: "Alpha session"'],
      [people.coA.email, 'Waitlisted: "Alpha session"'],
      [people.b.email, 'Accepted: "Beta session"'],
      [people.coB.email, 'Accepted: "Beta session"'],
      [people.c.email, 'Waitlisted: "Gamma session"'],
      [people.coC.email, 'Waitlisted: "Gamma session"'],
    ]);
    for (const mail of sent) {
      if (mail.template === "proposal-accepted") expect(mail.text_body).toContain(`Message from the organizers: ${WELCOME}`);
      else expect(mail.text_body).not.toContain("Message from the organizers");
    }
  });

  it("previews, per recipient, exactly the mails release queues, grouped by kind", async () => {
    await decide([ids.a, ids.b], "accepted", WELCOME);
    await decide([ids.c], "waitlisted");
    const preview = await releasePreview(t.db, conveningId);
    expect(preview.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect({ decisions: preview.decisions, mails: preview.mails, alreadySent: preview.alreadySent }).toEqual({ decisions: 3, mails: 6, alreadySent: [] });
    expect(
      preview.groups.map((g) => ({
        decision: g.decision,
        proposals: g.proposals.map((p) => [p.title, p.message, p.facilitators]),
        mails: g.mails.map((m) => [m.recipient, m.email, m.subject]),
      })),
    ).toEqual([
      {
        decision: "accepted",
        proposals: [
          ["Alpha session", WELCOME, 2],
          ["Beta session", WELCOME, 2],
        ],
        mails: [
          [`Ana${seq} Fullname`, people.a.email, 'Accepted: "Alpha session"'],
          [`Dara${seq} Fullname`, people.coA.email, 'Accepted: "Alpha session"'],
          [`Bea${seq} Fullname`, people.b.email, 'Accepted: "Beta session"'],
          [`Eli${seq} Fullname`, people.coB.email, 'Accepted: "Beta session"'],
        ],
      },
      {
        decision: "waitlisted",
        proposals: [["Gamma session", null, 2]],
        mails: [
          [`Cleo${seq} Fullname`, people.c.email, 'Waitlisted: "Gamma session"'],
          [`Fern${seq} Fullname`, people.coC.email, 'Waitlisted: "Gamma session"'],
        ],
      },
    ]);
    const cleo = preview.groups[1]!.mails[0]!;
    expect(cleo.text).toContain(`Hello Cleo${seq},\n\n"Gamma session" is on the waitlist for Strategy Meeting.`);
    expect(cleo.text).not.toContain(WELCOME);

    // Nothing is queued by looking; release queues these mails, to the letter, and no other.
    expect(await outbox()).toEqual([]);
    expect(await release(preview.fingerprint)).toEqual({ released: 3, mails: 6 });
    const previewed = preview.groups.flatMap((g) => g.mails).map((m) => ({ to_address: m.email, subject: m.subject, text_body: m.text }));
    const queued = (await outbox()).map(({ to_address, subject, text_body }) => ({ to_address, subject, text_body }));
    const order = (list: typeof queued) => [...list].sort((x, y) => x.to_address.localeCompare(y.to_address));
    expect(order(queued)).toEqual(order(previewed));
    expect((await rows()).map((r) => r.status)).toEqual(["accepted", "accepted", "waitlisted"]);
    expect(await releasePreview(t.db, conveningId)).toMatchObject({ decisions: 0, mails: 0, groups: [], alreadySent: [] });
  });

  it("releases nothing when a decision changed after the preview, then the fresh preview releases", async () => {
    await decide([ids.a, ids.b], "accepted", WELCOME);
    await decide([ids.c], "waitlisted");
    const shown = await releasePreview(t.db, conveningId);
    const stale = async () => {
      const before = { rows: await rows(), audits: await audits() };
      expect(await reject(release(shown.fingerprint))).toBe("409 preview_stale");
      expect({ rows: await rows(), audits: await audits() }).toEqual(before);
      expect(await outbox()).toEqual([]);
    };

    // Another state, another message, a decision changed and changed back: each makes the preview stale.
    await decide([ids.c], "declined");
    await stale();
    await decide([ids.c], "waitlisted", "Hold on.");
    await stale();
    await decide([ids.c], "waitlisted");
    expect((await rows())[2]).toEqual({ id: ids.c, status: "pending_waitlisted", decision_message: null });
    await stale();
    // So does a facilitator taking another name (the greeting changes), and a proposal withdrawn.
    let fresh = await releasePreview(t.db, conveningId);
    await updateProfile(t.db, people.coB.id, { publicName: `Eli${seq} Renamed`, fullName: `Eli${seq} Fullname`, languages: [] });
    expect(await reject(release(fresh.fingerprint))).toBe("409 preview_stale");
    fresh = await releasePreview(t.db, conveningId);
    expect(fresh.groups[0]!.mails.find((m) => m.email === people.coB.email)!.text).toContain(`Hello Eli${seq} Renamed,`);
    await withdrawProposal(t.db, { conveningId, proposalId: ids.a, personId: people.a.id, now: OPEN });
    expect(await reject(release(fresh.fingerprint))).toBe("409 preview_stale");
    expect(await outbox()).toEqual([]);

    const last = await releasePreview(t.db, conveningId);
    expect(last.groups.map((g) => [g.decision, g.proposals.map((p) => p.title), g.mails.length])).toEqual([
      ["accepted", ["Beta session"], 2],
      ["waitlisted", ["Gamma session"], 2],
    ]);
    expect(await release(last.fingerprint)).toEqual({ released: 2, mails: 4 });
    expect((await outbox()).map((m) => m.subject)).toEqual(['Accepted: "Beta session"', 'Accepted: "Beta session"', 'Waitlisted: "Gamma session"', 'Waitlisted: "Gamma session"']);
  });

  it("refuses a batch that holds a proposal which cannot take the decision, naming that proposal, and changes nothing", async () => {
    await decide([ids.c], "declined");
    await release();
    const before = await rows();
    expect(await reject(decide([ids.a, ids.c], "waitlisted", WELCOME))).toBe("409 invalid_transition Gamma session");
    expect(await rows()).toEqual(before);
    const error = await decide([ids.c], "accepted").catch((e: unknown) => e as ProposalError);
    const words = fixedT()((error as ProposalError).refusal.key as "decisions14.errors.invalidTransition");
    expect(words).toBe("That change is not possible for this proposal in its current state. Nothing was changed.");
    expect(words).not.toMatch(/registration/);
  });

  it("shows a mail an earlier release already sent for the same decision apart, and does not send it again", async () => {
    await decide([ids.a], "waitlisted");
    await release();
    expect(await outbox()).toHaveLength(2);
    // Waitlisted, then accepted, taken back to review, and waitlisted again: the waitlist mail went out already.
    await decide([ids.a], "accepted");
    await decide([ids.a], "undecided");
    await decide([ids.a], "waitlisted");
    const preview = await releasePreview(t.db, conveningId);
    expect({ decisions: preview.decisions, mails: preview.mails }).toEqual({ decisions: 1, mails: 0 });
    expect(preview.alreadySent.map((m) => [m.email, m.subject])).toEqual([
      [people.a.email, 'Waitlisted: "Alpha session"'],
      [people.coA.email, 'Waitlisted: "Alpha session"'],
    ]);
    expect(await release(preview.fingerprint)).toEqual({ released: 1, mails: 0 });
    expect(await outbox()).toHaveLength(2);
  });
});
