import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, type TestPerson } from "../../../tests/factories";
import { runJobsOnce } from "../../features/jobs/jobs.server";
import type { MailTransport } from "../../platform/mail/transport.server";
import { ActionError } from "./errors";
import { createAction, editAction, postUpdate } from "./items.server";
import { conveningActions, myActions } from "./queries.server";
import { reminderDue, sendActionReminders, sendMonthlyDigests } from "./reminders.server";
import { commitmentsReport, progressByTrack } from "./reports.server";

const at = (iso: string) => new Date(`${iso}T09:00:00Z`);

describe("which reminder an item is owed", () => {
  it("gives the latest reminder that applies on a day, so a late run never sends a stale one", () => {
    expect(["2027-06-01", "2027-06-03", "2027-06-09", "2027-06-10", "2027-06-11", "2027-06-12"].map((d) => reminderDue("2027-06-10", d))).toEqual([
      null,
      "due-7d",
      "due-1d",
      "due-1d",
      "overdue",
      "overdue",
    ]);
  });
});

describe.each(DATABASE_KINDS)("action items on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  // Each test has a database of its own with the convening and its four people; what a test
  // needs of the ones before it (the letter and the press release, the letter's updates, the
  // media brief), it makes as they do.
  let people: Record<string, TestPerson>;
  const mails = (template: string) => t.db.selectFrom("mail_outbox").select(["to_address", "subject"]).where("template", "=", template).orderBy("id").execute();
  const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof ActionError ? `${e.status} ${e.code}` : String(e)));

  beforeEach(async () => {
    people = {};
    t = await freshDatabase(kind);
    conveningId = (await convening(t.db, { slug: `act-${kind}`, title: "Follow-up Meeting", startsOn: "2027-06-01", endsOn: "2027-06-02" })).id;
    for (const [name, organization] of [["Ana"], ["Ben", "Red Umbrella Collective"], ["Cleo", "Red Umbrella Collective"], ["Dee"]] as const) {
      people[name] = await person(t.db, { name, organization, fullName: null });
    }
  });
  afterEach(async () => {
    await t.drop();
  });

  /** The reminders test's items: the letter (Ana and her organization, due 10 July, then moved to 1 August) and Dee's press release, done. */
  async function letterAndRelease(): Promise<number> {
    const org = (await t.db.selectFrom("organizations").select("id").where("name", "=", "Red Umbrella Collective").executeTakeFirstOrThrow()).id;
    const letter = await createAction(t.db, { conveningId, proposalId: null, title: "Joint policy letter", dueOn: "2027-07-10", owners: [{ personId: people.Ana!.id }, { organizationId: org }], visibility: "group", by: { id: people.Dee!.id, organizer: true }, now: at("2027-06-02") });
    const done = await createAction(t.db, { conveningId, proposalId: null, title: "Press release", dueOn: "2027-07-10", owners: [{ personId: people.Dee!.id }], visibility: "group", by: { id: people.Dee!.id, organizer: true }, now: at("2027-06-02") });
    await postUpdate(t.db, { actionId: done, by: { id: people.Dee!.id, organizer: false }, text: "Published", status: "done", now: at("2027-06-05") });
    await t.db.updateTable("people").set({ reminders_off: 1 }).where("id", "=", people.Cleo!.id).execute();
    await t.db.updateTable("action_items").set({ due_on: "2027-08-01" }).where("id", "=", letter).execute();
    return letter;
  }
  /** The updates test's history of the letter: in progress, done, then reopened with a note. */
  async function letterHistory(letter: number): Promise<void> {
    await postUpdate(t.db, { actionId: letter, by: { id: people.Cleo!.id, organizer: false }, text: "Draft shared with the coalition", status: "in_progress", now: at("2027-07-12") });
    await postUpdate(t.db, { actionId: letter, by: { id: people.Ana!.id, organizer: false }, text: "Sent to the ministry", status: "done", now: at("2027-07-20") });
    await postUpdate(t.db, { actionId: letter, by: { id: people.Ana!.id, organizer: false }, text: "They asked for a follow-up meeting", status: "open", now: at("2027-07-22") });
  }
  /** The listing test's media brief, for organizers only. */
  const mediaBrief = () =>
    createAction(t.db, { conveningId, proposalId: null, title: "Media brief", dueOn: "2027-09-01", owners: [{ personId: people.Dee!.id }], visibility: "organizers", by: { id: people.Dee!.id, organizer: true }, now: at("2027-08-20") });

  it("refuses a due date in the past, owners that do not exist, and an item without owners", async () => {
    const base = { conveningId, proposalId: null, title: "Letter", visibility: "group" as const, by: { id: people.Ana!.id, organizer: true }, now: at("2027-06-02") };
    expect(await reject(createAction(t.db, { ...base, dueOn: "2027-06-01", owners: [{ personId: people.Ana!.id }] }))).toBe("400 due_in_past");
    expect(await reject(createAction(t.db, { ...base, dueOn: "2027-07-01", owners: [{ personId: 999_999 }] }))).toBe("400 unknown_owner");
    expect(await reject(createAction(t.db, { ...base, dueOn: "2027-07-01", owners: [] }))).toBe("400 no_owner");
    expect(await t.db.selectFrom("action_items").select("id").execute()).toEqual([]);
  });

  it("reminds owners 7 days and 1 day before and when overdue, once each, catching up after downtime, and not for done items", async () => {
    const org = (await t.db.selectFrom("organizations").select("id").where("name", "=", "Red Umbrella Collective").executeTakeFirstOrThrow()).id;
    const letter = await createAction(t.db, { conveningId, proposalId: null, title: "Joint policy letter", dueOn: "2027-07-10", owners: [{ personId: people.Ana!.id }, { organizationId: org }], visibility: "group", by: { id: people.Dee!.id, organizer: true }, now: at("2027-06-02") });
    const done = await createAction(t.db, { conveningId, proposalId: null, title: "Press release", dueOn: "2027-07-10", owners: [{ personId: people.Dee!.id }], visibility: "group", by: { id: people.Dee!.id, organizer: true }, now: at("2027-06-02") });
    expect((await mails("action-assigned")).map((m) => m.to_address)).toEqual([people.Ana!.email, people.Ben!.email, people.Cleo!.email, people.Dee!.email]);
    await postUpdate(t.db, { actionId: done, by: { id: people.Dee!.id, organizer: false }, text: "Published", status: "done", now: at("2027-06-05") });
    await t.db.updateTable("people").set({ reminders_off: 1 }).where("id", "=", people.Cleo!.id).execute();

    expect(await sendActionReminders(t.db, at("2027-07-02"))).toBe(0);
    // The server was down from 3 to 5 July: on the 5th the 7-day reminder is still owed, once.
    expect(await sendActionReminders(t.db, at("2027-07-05"))).toBe(2);
    expect(await sendActionReminders(t.db, at("2027-07-06"))).toBe(0);
    expect(await sendActionReminders(t.db, at("2027-07-09"))).toBe(2);
    expect(await sendActionReminders(t.db, at("2027-07-10"))).toBe(0);
    expect(await sendActionReminders(t.db, at("2027-07-11"))).toBe(2);
    expect(await sendActionReminders(t.db, at("2027-07-20"))).toBe(0);
    const sent = [...(await mails("action-due-7d")), ...(await mails("action-due-1d")), ...(await mails("action-overdue"))];
    expect(sent.map((m) => [m.to_address, m.subject])).toEqual([
      [people.Ana!.email, "Due in 7 days: Joint policy letter"],
      [people.Ben!.email, "Due in 7 days: Joint policy letter"],
      [people.Ana!.email, "Due tomorrow: Joint policy letter"],
      [people.Ben!.email, "Due tomorrow: Joint policy letter"],
      [people.Ana!.email, "Overdue: Joint policy letter"],
      [people.Ben!.email, "Overdue: Joint policy letter"],
    ]);
    // A new due date starts the reminders again.
    await t.db.updateTable("action_items").set({ due_on: "2027-08-01" }).where("id", "=", letter).execute();
    expect(await sendActionReminders(t.db, at("2027-07-26"))).toBe(2);
  });

  it("lets owners (and their organization's members) post updates kept as history; others are refused; reopening needs a note", async () => {
    await letterAndRelease();
    const [item] = (await myActions(t.db, people.Cleo!.id)).filter((i) => i.title === "Joint policy letter");
    expect(await reject(postUpdate(t.db, { actionId: item!.id, by: { id: people.Dee!.id, organizer: false }, text: "Not mine", now: at("2027-07-12") }))).toBe("403 not_owner");
    await postUpdate(t.db, { actionId: item!.id, by: { id: people.Cleo!.id, organizer: false }, text: "Draft shared with the coalition", status: "in_progress", now: at("2027-07-12") });
    await postUpdate(t.db, { actionId: item!.id, by: { id: people.Ana!.id, organizer: false }, text: "Sent to the ministry", status: "done", now: at("2027-07-20") });
    expect(await reject(postUpdate(t.db, { actionId: item!.id, by: { id: people.Ana!.id, organizer: false }, text: "", status: "open", now: at("2027-07-21") }))).toBe("400 needs_note");
    await postUpdate(t.db, { actionId: item!.id, by: { id: people.Ana!.id, organizer: false }, text: "They asked for a follow-up meeting", status: "open", now: at("2027-07-22") });
    const [after] = (await myActions(t.db, people.Ben!.id)).filter((i) => i.title === "Joint policy letter");
    expect(after!.status).toBe("open");
    expect(after!.updates.map((u) => [u.author, u.text, u.status_to])).toEqual([
      // None of them is listed in a directory of this convening, so no name is shown to Ben.
      ["a participant", "Draft shared with the coalition", "in_progress"],
      ["a participant", "Sent to the ministry", "done"],
      ["a participant", "They asked for a follow-up meeting", "open"],
    ]);
    expect((await myActions(t.db, people.Dee!.id)).map((i) => i.title)).toEqual(["Press release"]);
  });

  it("sends each owner one digest of their open items a month, unless they turned it off, and the job runs it once", async () => {
    await letterHistory(await letterAndRelease());
    await t.db.deleteFrom("mail_outbox").execute();
    // Ana owns it; Ben and Cleo through their organization (Cleo turned off reminders, not the digest).
    expect(await sendMonthlyDigests(t.db, at("2027-08-01"))).toBe(3);
    expect(await sendMonthlyDigests(t.db, at("2027-08-15"))).toBe(0);
    await t.db.updateTable("people").set({ digest_off: 1 }).where("id", "=", people.Ben!.id).execute();
    const none: MailTransport = { kind: "file", send: async () => {}, close() {} };
    await runJobsOnce({ db: t.db, transport: none, mailFrom: "x@example.org", now: () => at("2027-09-02") });
    await runJobsOnce({ db: t.db, transport: none, mailFrom: "x@example.org", now: () => at("2027-09-03") });
    const digests = await mails("action-digest");
    expect(digests.map((m) => m.to_address)).toEqual([people.Ana!.email, people.Ben!.email, people.Cleo!.email, people.Ana!.email, people.Cleo!.email]);
    expect(digests[0]!.subject).toBe("Your 1 open action item");
  });

  it("lists a convening's items for organizers with filters by status, overdue and owner, and progress by track", async () => {
    await letterHistory(await letterAndRelease());
    await mediaBrief();
    const all = await conveningActions(t.db, conveningId, {}, at("2027-09-05"));
    // Soonest due first: the press release (10 July), the letter (moved to 1 August), the brief.
    expect(all.map((i) => [i.title, i.status, i.owners, i.overdue])).toEqual([
      ["Press release", "done", ["Dee"], false],
      ["Joint policy letter", "open", ["Ana", "Red Umbrella Collective"], true],
      ["Media brief", "open", ["Dee"], true],
    ]);
    expect((await conveningActions(t.db, conveningId, { status: "done" }, at("2027-09-05"))).map((i) => i.title)).toEqual(["Press release"]);
    expect((await conveningActions(t.db, conveningId, { overdue: true }, at("2027-08-25"))).map((i) => i.title)).toEqual(["Joint policy letter"]);
    expect((await conveningActions(t.db, conveningId, { owner: "red umbrella" }, at("2027-09-05"))).map((i) => i.title)).toEqual(["Joint policy letter"]);
    expect((await conveningActions(t.db, conveningId, { owner: "dee" }, at("2027-09-05"))).map((i) => i.title)).toEqual(["Press release", "Media brief"]);
    expect(await progressByTrack(t.db, conveningId)).toEqual([{ trackId: null, open: 2, in_progress: 0, done: 1, dropped: 0 }]);
  });

  it("reports on the previous convening's commitments by track, with status, owners and the latest word", async () => {
    await letterHistory(await letterAndRelease());
    await mediaBrief();
    const next = (await convening(t.db, { slug: `next-${kind}`, title: "Next Meeting", startsOn: "2028-06-01", endsOn: "2028-06-02" })).id;
    expect(await commitmentsReport(t.db, conveningId)).toBeNull();
    const report = (await commitmentsReport(t.db, next, at("2027-09-05")))!;
    expect(report.previous.title).toBe("Follow-up Meeting");
    expect(report.counts).toEqual({ open: 2, in_progress: 0, done: 1, dropped: 0 });
    expect(report.groups.map((g) => [g.name, g.items.map((i) => [i.title, i.status, i.lastUpdate])])).toEqual([
      [
        null,
        [
          ["Press release", "done", "Published"],
          ["Joint policy letter", "open", "They asked for a follow-up meeting"],
          ["Media brief", "open", null],
        ],
      ],
    ]);
  });

  it("lets organizers edit and reassign an item, telling only the new owners, and refuses bad changes", async () => {
    await letterHistory(await letterAndRelease());
    await mediaBrief();
    const [item] = (await conveningActions(t.db, conveningId, { owner: "dee" }, at("2027-09-05"))).filter((i) => i.title === "Media brief");
    await t.db.deleteFrom("mail_outbox").execute();
    const edit = (over: object) => editAction(t.db, { conveningId, actionId: item!.id, by: { id: people.Dee!.id, organizer: true }, title: "Media brief, final", dueOn: "2027-10-01", owners: [{ personId: people.Dee!.id }, { personId: people.Ana!.id }], visibility: "group", now: at("2027-09-05"), ...over });
    expect(await reject(edit({ owners: [{ personId: 999_999 }] }))).toBe("400 unknown_owner");
    expect(await reject(edit({ dueOn: "2027-08-31" }))).toBe("400 due_in_past");
    expect(await reject(edit({ owners: [] }))).toBe("400 no_owner");
    await edit({});
    const [after] = (await conveningActions(t.db, conveningId, {}, at("2027-09-05"))).filter((i) => i.id === item!.id);
    expect([after!.title, after!.due_on, after!.owners, after!.visibility]).toEqual(["Media brief, final", "2027-10-01", ["Dee", "Ana"], "group"]);
    expect((await mails("action-assigned")).map((m) => m.to_address)).toEqual([people.Ana!.email]);
  });
});
