// A facilitator records an action item on the session page; an owner follows it up on /actions.
import ICAL from "ical.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAction, postUpdate } from "../../app/modules/actions/items.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { convening, participant, person, proposal, unique } from "../factories";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible } from "../setup/browser";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

describe("action items", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  // Each test has a convening of its own (made before it by beforeEach), in the one server, and
  // an organization of its own, so that its members are this test's people only.
  let slug: string;
  let conveningId: number;
  let organizer: number;
  let sessionId: number;
  let coalition: string;
  let people: Record<string, number>;
  let mail: Record<string, string>;
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const TITLE = "Send the joint letter to the ministry";

  /** The item the first test records by the form: owned by Olu and the coalition, from the session. */
  async function recordedItem(): Promise<number> {
    const organizationId = (await db.selectFrom("organizations").select("id").where("name", "=", coalition).executeTakeFirstOrThrow()).id;
    return createAction(db, { conveningId, proposalId: sessionId, title: TITLE, dueOn: future, owners: [{ personId: people.Olu! }, { organizationId }], visibility: "group", by: { id: people.Fay!, organizer: false } });
  }
  const items = () => db.selectFrom("action_items").select(["id", "title", "due_on", "status", "proposal_id", "visibility"]).where("convening_id", "=", conveningId);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    slug = `follow-up-${unique()}`;
    coalition = `Coalition ${unique()}`;
    organizer = (await person(db, { name: "Organizing team" })).id;
    conveningId = (
      await convening(db, { slug, title: "Follow-up Meeting", startsOn: "2027-06-01", endsOn: "2027-06-02", organizerId: organizer, registration: {}, cfp: { opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: null } })
    ).id;
    people = {};
    mail = {};
    for (const [name, organization, listed] of [["Fay"], ["Olu", coalition], ["Mo", coalition], ["Ned", undefined, false]] as const) {
      const made = await participant(db, conveningId, { name, fullName: `${name} Hiddenname`, organization, answers: { displayName: name, consentDirectory: listed ?? true } });
      people[name] = made.id;
      mail[name] = made.email;
    }
    sessionId = (await proposal(db, { conveningId, proposerId: people.Fay!, status: "confirmed", answers: { title: "Joint advocacy planning", abstract: "Plan the year.", format: "workshop", length: 60, linkedTracks: [], languages: [], needs: [], coFacilitators: [] } })).id;
  });
  afterAll(async () => {
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  it("lets a facilitator record an action item owned by a person and an organization, and mails every owner", async () => {
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, people.Fay!);
    await page.goto(`${app.url}/convenings/${slug}/sessions/${sessionId}`);
    await visible(page.getByRole("heading", { name: "Record an action item" }));
    await expectAccessible(page);
    // Nothing chosen: the owner error sits next to the field.
    await page.getByLabel("What is to be done").fill("Send the joint letter to the ministry");
    await page.getByLabel("Due date").fill(future);
    await page.getByRole("button", { name: "Record action item" }).click();
    await visible(page.getByText("Choose at least one owner: a participant or an organization."));
    // A facilitator picks among people listed in the directory (and themself): Ned, unlisted, is not offered.
    await expect.poll(() => page.getByLabel("Owners: participants").locator("option").allTextContents(), SETTLED).toEqual(["Fay", "Mo", "Olu"]);
    await page.getByLabel("Owners: participants").selectOption([String(people.Olu)]);
    await page.getByLabel("Owners: organizations").selectOption({ label: coalition });
    await page.getByRole("button", { name: "Record action item" }).click();
    await visible(page.getByRole("status").filter({ hasText: "Saved." }));
    await visible(page.getByText(`Owners: Olu, ${coalition}`));
    const item = await items().executeTakeFirstOrThrow();
    expect(item).toEqual({ id: expect.any(Number), title: "Send the joint letter to the ministry", due_on: future, status: "open", proposal_id: sessionId, visibility: "group" });
    // Earlier mail (the proposal's own) goes out with it; the assignments are the ones that name the item.
    const deadline = Date.now() + 10_000;
    const assigned = () => smtp.messages.filter((m) => m.subject === "New action item: Send the joint letter to the ministry" && Object.values(mail).includes((m.to as { text: string }).text));
    while (assigned().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(assigned().map((m) => (m.to as { text: string }).text).sort()).toEqual([mail.Mo, mail.Olu].sort());
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets an owner's colleague post an update kept as history, and refuses someone who does not own it", async () => {
    const id = await recordedItem();
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, people.Mo!);
    await page.goto(`${app.url}/actions`);
    await visible(page.getByRole("heading", { name: "Send the joint letter to the ministry" }));
    await expectAccessible(page);
    await page.getByLabel("What happened").fill("Draft circulated to the coalition");
    await page.getByLabel("New status (optional)").selectOption("in_progress");
    await page.getByRole("button", { name: "Post update" }).click();
    await visible(page.getByText("Your update is saved."));
    await page.getByText("Updates").click();
    await visible(page.getByText(/Mo: Draft circulated to the coalition \(In progress\)/));
    expect((await items().executeTakeFirstOrThrow()).status).toBe("in_progress");

    // The calendar of due dates, without a cookie: one all-day event on the due date.
    const feed = (await page.getByRole("link", { name: "Download .ics" }).getAttribute("href"))!;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await (await fetch(feed)).text())).getFirstSubcomponent("vevent")!);
    expect([event.summary, event.startDate.isDate, event.startDate.toString()]).toEqual(["Send the joint letter to the ministry", true, future]);
    expect(errors).toEqual([]);
    await context.close();

    const ned = await openPage(browser);
    await signInAs(ned.context, db, app.url, people.Ned!);
    await ned.page.goto(`${app.url}/actions`);
    await visible(ned.page.getByText("You have no action items."));
    const csrf = (await ned.page.locator('input[name="csrf"]').first().getAttribute("value"))!;
    const response = await ned.page.request.post(`${app.url}/actions`, { form: { csrf, action: String(id), text: "Not mine", status: "done" }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    expect(await db.selectFrom("action_updates").select("text").where("action_id", "=", id).execute()).toEqual([{ text: "Draft circulated to the coalition" }]);
    // Ned sees the group's items on the session page but cannot record any; the public sees none.
    await ned.page.goto(`${app.url}/convenings/${slug}/sessions/${sessionId}`);
    await visible(ned.page.getByText("Send the joint letter to the ministry"));
    await expect.poll(() => ned.page.getByRole("button", { name: "Record action item" }).count(), SETTLED).toBe(0);
    const post = await ned.page.request.post(`${app.url}/convenings/${slug}/sessions/${sessionId}`, { form: { csrf, intent: "note", text: "hello" }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    await ned.context.close();
    const anonymous = await (await fetch(`${app.url}/convenings/${slug}/sessions/${sessionId}`)).text();
    expect(anonymous).not.toContain("Send the joint letter");
  });

  it("refuses a due date in the past with a clear message, changing nothing", async () => {
    await recordedItem();
    const { page, context } = await openPage(browser);
    await signInAs(context, db, app.url, people.Fay!);
    await page.goto(`${app.url}/convenings/${slug}/sessions/${sessionId}`);
    await page.getByLabel("What is to be done").fill("Too late");
    await page.getByLabel("Due date").fill("2020-01-01");
    await page.getByLabel("Owners: participants").selectOption([String(people.Olu)]);
    await page.getByRole("button", { name: "Record action item" }).click();
    await visible(page.getByText("The due date cannot be in the past."));
    expect(await items().execute()).toHaveLength(1);
    await context.close();
  });

  it("shows organizers every item with filters, progress by track and a CSV, and keeps the page from everyone else", async () => {
    // The item as the tests before leave it: recorded, then moved on by Mo.
    await postUpdate(db, { actionId: await recordedItem(), by: { id: people.Mo!, organizer: false }, text: "Draft circulated to the coalition", status: "in_progress" });
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, organizer);
    await page.goto(`${app.url}/organize/${slug}/actions`);
    await visible(page.getByRole("heading", { name: "Action items: Follow-up Meeting" }));
    await expectAccessible(page);
    await visible(page.getByRole("cell", { name: "Send the joint letter to the ministry" }));
    await page.getByLabel("Status").selectOption("done");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "done");
    await visible(page.getByRole("heading", { name: "All action items" }));
    await expect.poll(() => page.getByRole("cell", { name: "Send the joint letter to the ministry" }).count(), SETTLED).toBe(0);
    const csv = await page.request.get(`${app.url}/organize/${slug}/actions.csv`);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("\uFEFFWhat is to be done,Owners,Due date,Status,From session,Who can see it,Closing note");
    expect(text.split("\r\n")[1]).toBe(`Send the joint letter to the ministry,Olu; ${coalition},${future},in_progress,Joint advocacy planning,group,`);

    // Reassign: Ned joins the owners and is told; the others are not told again.
    await page.goto(`${app.url}/organize/${slug}/actions`);
    await page.getByRole("link", { name: "Send the joint letter to the ministry" }).click();
    await visible(page.getByRole("heading", { name: "Edit or reassign the action item" }));
    await expectAccessible(page);
    await page.getByLabel("Owners: participants").selectOption([String(people.Olu), String(people.Ned)]);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL((url) => url.pathname === `/organize/${slug}/actions`);
    await visible(page.getByRole("cell", { name: `Ned, Olu, ${coalition}` }));
    const deadline = Date.now() + 10_000;
    const toNed = () => smtp.messages.filter((m) => (m.to as { text: string }).text === mail.Ned && m.subject === "New action item: Send the joint letter to the ministry");
    while (toNed().length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(toNed()).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();

    const participantCookie = await (async () => {
      const other = await openPage(browser);
      const cookie = await signInAs(other.context, db, app.url, people.Ned!);
      await other.context.close();
      return cookie;
    })();
    expect((await fetch(`${app.url}/organize/${slug}/actions`, { headers: { Cookie: participantCookie }, redirect: "manual" })).status).toBe(403);
    expect((await fetch(`${app.url}/organize/${slug}/actions.csv`, { headers: { Cookie: participantCookie }, redirect: "manual" })).status).toBe(403);
    const anonymous = await fetch(`${app.url}/organize/${slug}/actions`, { redirect: "manual" });
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([302, `/login?redirectTo=%2Forganize%2F${slug}%2Factions`]);
  });
});
