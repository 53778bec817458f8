// A facilitator records an action item on the session page; an owner follows it up on /actions.
import ICAL from "ical.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { confirmReadyProposals, createProposal, decideProposals, releaseDecisions } from "../../app/modules/proposals/proposals.server";
import { updateCfpSettings } from "../../app/modules/proposals/settings.server";
import { submitRegistration, updateRegistrationSettings } from "../../app/modules/registration/registration.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible } from "../setup/browser";
import { makePerson, signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

describe("action items", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  let conveningId: number;
  let sessionId: number;
  const people: Record<string, number> = {};
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

  async function participant(name: string, organization?: string, listed = true) {
    const id = await makePerson(db, `${name.toLowerCase()}@example.org`, name, { fullName: `${name} Hiddenname`, organization });
    const tracks = await listTracks(db, conveningId);
    await submitRegistration(db, { conveningId, personId: id, answers: { displayName: name, attendance: "in_person", tracks: [tracks[0]!.id], languages: [], interpretation: [], accessNeeds: [], supportRequested: "no", consentDirectory: listed, consentContact: false, consentPhotos: false } });
    people[name] = id;
    return id;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    conveningId = await createConvening(db, { slug: "follow-up", title: "Follow-up Meeting", startsOn: "2027-06-01", endsOn: "2027-06-02", timeZone: "Europe/Lisbon", status: "published" });
    const organizer = await makePerson(db, "organizer@example.org", "Organizing team");
    await updateRegistrationSettings(db, { conveningId, organizerId: organizer, opensAt: null, closesAt: null, capacity: null, approvalRequired: false });
    await updateCfpSettings(db, { conveningId, organizerId: organizer, opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: null, formats: ["workshop"], lengths: [60], reviewAnonymous: false, interestOpen: false });
    const fay = await participant("Fay");
    await participant("Olu", "Coalition X");
    await participant("Mo", "Coalition X");
    await participant("Ned", undefined, false);
    const tracks = await listTracks(db, conveningId);
    const p = await createProposal(db, { conveningId, proposerId: fay, submit: true, answers: { title: "Joint advocacy planning", abstract: "Plan the year.", format: "workshop", length: 60, primaryTrack: tracks[0]!.id, linkedTracks: [], languages: [], needs: [], coFacilitators: [] } });
    sessionId = p.id;
    await decideProposals(db, { conveningId, organizerId: organizer, ids: [p.id], decision: "accepted" });
    await releaseDecisions(db, { conveningId, organizerId: organizer });
    await confirmReadyProposals(db, conveningId, new Date());
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
    await page.goto(`${app.url}/convenings/follow-up/sessions/${sessionId}`);
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
    await page.getByLabel("Owners: organizations").selectOption({ label: "Coalition X" });
    await page.getByRole("button", { name: "Record action item" }).click();
    await visible(page.getByRole("status").filter({ hasText: "Saved." }));
    await visible(page.getByText("Owners: Olu, Coalition X"));
    const item = await db.selectFrom("action_items").select(["id", "title", "due_on", "status", "proposal_id", "visibility"]).executeTakeFirstOrThrow();
    expect(item).toEqual({ id: expect.any(Number), title: "Send the joint letter to the ministry", due_on: future, status: "open", proposal_id: sessionId, visibility: "group" });
    // Earlier mail (the proposal's own) goes out with it; the assignments are the ones that name the item.
    const deadline = Date.now() + 10_000;
    const assigned = () => smtp.messages.filter((m) => m.subject === "New action item: Send the joint letter to the ministry");
    while (assigned().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(assigned().map((m) => (m.to as { text: string }).text).sort()).toEqual(["mo@example.org", "olu@example.org"]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets an owner's colleague post an update kept as history, and refuses someone who does not own it", async () => {
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
    expect((await db.selectFrom("action_items").select("status").executeTakeFirstOrThrow()).status).toBe("in_progress");

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
    const id = (await db.selectFrom("action_items").select("id").executeTakeFirstOrThrow()).id;
    const csrf = (await ned.page.locator('input[name="csrf"]').first().getAttribute("value"))!;
    const response = await ned.page.request.post(`${app.url}/actions`, { form: { csrf, action: String(id), text: "Not mine", status: "done" }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    expect(await db.selectFrom("action_updates").select("text").execute()).toEqual([{ text: "Draft circulated to the coalition" }]);
    // Ned sees the group's items on the session page but cannot record any; the public sees none.
    await ned.page.goto(`${app.url}/convenings/follow-up/sessions/${sessionId}`);
    await visible(ned.page.getByText("Send the joint letter to the ministry"));
    await expect.poll(() => ned.page.getByRole("button", { name: "Record action item" }).count(), SETTLED).toBe(0);
    const post = await ned.page.request.post(`${app.url}/convenings/follow-up/sessions/${sessionId}`, { form: { csrf, intent: "note", text: "hello" }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    await ned.context.close();
    const anonymous = await (await fetch(`${app.url}/convenings/follow-up/sessions/${sessionId}`)).text();
    expect(anonymous).not.toContain("Send the joint letter");
  });

  it("refuses a due date in the past with a clear message, changing nothing", async () => {
    const { page, context } = await openPage(browser);
    await signInAs(context, db, app.url, people.Fay!);
    await page.goto(`${app.url}/convenings/follow-up/sessions/${sessionId}`);
    await page.getByLabel("What is to be done").fill("Too late");
    await page.getByLabel("Due date").fill("2020-01-01");
    await page.getByLabel("Owners: participants").selectOption([String(people.Olu)]);
    await page.getByRole("button", { name: "Record action item" }).click();
    await visible(page.getByText("The due date cannot be in the past."));
    expect(await db.selectFrom("action_items").select("id").execute()).toHaveLength(1);
    await context.close();
  });

  it("shows organizers every item with filters, progress by track and a CSV, and keeps the page from everyone else", async () => {
    const organizer = (await db.selectFrom("people").select("id").where("email", "=", "organizer@example.org").executeTakeFirstOrThrow()).id;
    await db.insertInto("roles").values({ person_id: organizer, convening_id: conveningId, role: "organizer", track_id: null, created_at: new Date().toISOString() }).execute();
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, organizer);
    await page.goto(`${app.url}/organize/follow-up/actions`);
    await visible(page.getByRole("heading", { name: "Action items: Follow-up Meeting" }));
    await expectAccessible(page);
    await visible(page.getByRole("cell", { name: "Send the joint letter to the ministry" }));
    await page.getByLabel("Status").selectOption("done");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "done");
    await visible(page.getByRole("heading", { name: "All action items" }));
    await expect.poll(() => page.getByRole("cell", { name: "Send the joint letter to the ministry" }).count(), SETTLED).toBe(0);
    const csv = await page.request.get(`${app.url}/organize/follow-up/actions.csv`);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("\uFEFFWhat is to be done,Owners,Due date,Status,From session,Who can see it,Closing note");
    expect(text.split("\r\n")[1]).toBe(`Send the joint letter to the ministry,Olu; Coalition X,${future},in_progress,Joint advocacy planning,group,`);

    // Reassign: Ned joins the owners and is told; the others are not told again.
    await page.goto(`${app.url}/organize/follow-up/actions`);
    await page.getByRole("link", { name: "Send the joint letter to the ministry" }).click();
    await visible(page.getByRole("heading", { name: "Edit or reassign the action item" }));
    await expectAccessible(page);
    await page.getByLabel("Owners: participants").selectOption([String(people.Olu), String(people.Ned)]);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL((url) => url.pathname === "/organize/follow-up/actions");
    await visible(page.getByRole("cell", { name: "Ned, Olu, Coalition X" }));
    const deadline = Date.now() + 10_000;
    const toNed = () => smtp.messages.filter((m) => (m.to as { text: string }).text === "ned@example.org" && m.subject === "New action item: Send the joint letter to the ministry");
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
    expect((await fetch(`${app.url}/organize/follow-up/actions`, { headers: { Cookie: participantCookie }, redirect: "manual" })).status).toBe(403);
    expect((await fetch(`${app.url}/organize/follow-up/actions.csv`, { headers: { Cookie: participantCookie }, redirect: "manual" })).status).toBe(403);
    const anonymous = await fetch(`${app.url}/organize/follow-up/actions`, { redirect: "manual" });
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([302, "/login?redirectTo=%2Forganize%2Ffollow-up%2Factions"]);
  });
});
