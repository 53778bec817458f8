// Forms that create something, in Chromium with and without JavaScript: each success leaves the
// form empty, a double click or a resend from the back button creates nothing twice, a draft
// holds only what was chosen, and errors say where they are (the line of a wrong address, a
// date once).
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAction } from "../../app/modules/actions/items.server";
import { withdrawProposal } from "../../app/modules/proposals/authoring.server";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { convening, participant, person, proposal, unique } from "../factories";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration } from "../setup/browser";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const SHOTS = "/tmp/shots-forms";

describe.each(BROWSER_DATABASE_KINDS)("creating forms on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  let slug: string;
  let conveningId: number;
  let organizer: number;
  let people: Record<string, number>;
  let itemId: number;
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  beforeEach(async () => {
    slug = `forms-${unique()}`;
    organizer = (await person(db, { name: "Organizing team" })).id;
    conveningId = (
      await convening(db, { slug, title: "Forms Meeting", startsOn: "2027-06-01", endsOn: "2027-06-02", organizerId: organizer, registration: {}, cfp: { opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: null } })
    ).id;
    people = {};
    for (const name of ["Olu", "Mo", "Ana"]) people[name] = (await participant(db, conveningId, { name, fullName: `${name} Fullname`, answers: { displayName: name, consentDirectory: true } })).id;
    itemId = await createAction(db, { conveningId, proposalId: null, title: "Draft the joint statement", dueOn: future, owners: [{ personId: people.Olu! }], visibility: "group", by: { id: organizer, organizer: true } });
  });

  afterAll(async () => {
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  const updates = () => db.selectFrom("action_updates").select("text").where("action_id", "=", itemId).orderBy("id").execute().then((rows) => rows.map((r) => r.text));
  const items = () => db.selectFrom("action_items").select("title").where("convening_id", "=", conveningId).orderBy("id").execute().then((rows) => rows.map((r) => r.title));
  const owners = () => db.selectFrom("action_owners").select("person_id").where("action_id", "=", itemId).orderBy("id").execute().then((rows) => rows.map((r) => r.person_id));

  async function open(javaScript: boolean, personId: number, path: string) {
    const watched = await openPage(browser, { javaScript });
    await signInAs(watched.context, db, app.url, personId);
    await watched.page.goto(`${app.url}${path}`);
    if (javaScript) {
      await waitForHydration(watched.page);
      await expectAccessible(watched.page);
    }
    return watched;
  }

  /** Sends the form and waits for the page that answers it (a redirect: a new page, or the client's navigation). */
  async function send(page: Page, button: string, done: string) {
    await page.getByRole("button", { name: button }).click();
    await visible(page.getByText(done));
  }

  describe.each(scriptModes(kind))("$name", ({ javaScript }) => {
    it("posts action-item updates on /actions once each, and empties the form after each", async () => {
      const { page, context, errors } = await open(javaScript, people.Olu!, "/actions");
      const text = page.getByLabel("What happened");
      await text.fill("Sent the first draft to the coalition.");
      await send(page, "Post update", "Your update is saved.");
      await expect.poll(() => text.inputValue(), SETTLED).toBe("");
      await text.fill("The coalition answered with two changes.");
      await page.getByRole("button", { name: "Post update" }).click();
      await expect.poll(updates, SETTLED).toEqual(["Sent the first draft to the coalition.", "The coalition answered with two changes."]);
      await expect.poll(() => text.inputValue(), SETTLED).toBe("");

      // A double click sends the form twice: it is stored once.
      await text.fill("Sent the final version.");
      await page.getByRole("button", { name: "Post update" }).dblclick();
      await expect.poll(updates, SETTLED).toEqual(["Sent the first draft to the coalition.", "The coalition answered with two changes.", "Sent the final version."]);
      await expect.poll(() => text.inputValue(), SETTLED).toBe("");

      // Back to the page as it was before that success, and the same form sent again: nothing new.
      // Without JavaScript the browser reloads that page and puts back what the form held; with it, the page is the app's, empty.
      await page.goBack();
      await visible(page.getByLabel("What happened"));
      expect(await text.inputValue()).toBe(javaScript ? "" : "Sent the final version.");
      if (!javaScript) await page.getByRole("button", { name: "Post update" }).click();
      await page.waitForLoadState("load");
      await new Promise((r) => setTimeout(r, 500));
      expect(await updates()).toEqual(["Sent the first draft to the coalition.", "The coalition answered with two changes.", "Sent the final version."]);
      if (javaScript) await expectAccessible(page);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("records action items on the organizers' list once each, with an empty form after each", async () => {
      const { page, context, errors } = await open(javaScript, organizer, `/organize/${slug}/actions`);
      const title = page.getByLabel("What is to be done");
      const fill = async (what: string) => {
        await title.fill(what);
        await page.getByLabel("Due date").fill(future);
        await page.getByLabel("Owners: participants").selectOption({ label: "Mo" });
      };
      // A missing date is said once, next to the field.
      await title.fill("Book the venue");
      await page.getByLabel("Owners: participants").selectOption({ label: "Mo" });
      await page.getByRole("button", { name: "Record action item" }).click();
      await visible(page.getByText("Enter a date."));
      expect(await page.getByText("Enter a date.").count()).toBe(1);
      expect(await title.inputValue()).toBe("Book the venue");
      expect(await items()).toEqual(["Draft the joint statement"]);

      await fill("Book the venue");
      await send(page, "Record action item", "Saved.");
      await expect.poll(() => title.inputValue(), SETTLED).toBe("");
      expect(await page.getByLabel("Due date").inputValue()).toBe("");
      await fill("Write to the ministry");
      await page.getByRole("button", { name: "Record action item" }).dblclick();
      await expect.poll(items, SETTLED).toEqual(["Draft the joint statement", "Book the venue", "Write to the ministry"]);
      await expect.poll(() => title.inputValue(), SETTLED).toBe("");
      await page.goBack();
      await visible(page.getByLabel("What is to be done"));
      expect(await title.inputValue()).toBe(javaScript ? "" : "Write to the ministry");
      if (!javaScript) await page.getByRole("button", { name: "Record action item" }).click();
      await page.waitForLoadState("load");
      await new Promise((r) => setTimeout(r, 500));
      expect(await items()).toEqual(["Draft the joint statement", "Book the venue", "Write to the ministry"]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("posts updates and adds owners on the organizers' item page once each", async () => {
      const { page, context, errors } = await open(javaScript, organizer, `/organize/${slug}/actions/${itemId}`);
      const text = page.getByLabel("What happened");
      await text.fill("Agreed on the outline.");
      await send(page, "Post update", "Your update is saved.");
      await expect.poll(() => text.inputValue(), SETTLED).toBe("");
      await text.fill("Shared the outline with the members.");
      await page.getByRole("button", { name: "Post update" }).dblclick();
      await expect.poll(updates, SETTLED).toEqual(["Agreed on the outline.", "Shared the outline with the members."]);
      await visible(page.getByText("Shared the outline with the members.", { exact: false }).first());

      const owner = page.getByLabel("New owner");
      await owner.selectOption({ label: "Ana" });
      await page.getByRole("button", { name: "Add owner" }).dblclick();
      await expect.poll(owners, SETTLED).toEqual([people.Olu, people.Ana]);
      await visible(page.getByText("Owner added. They have been told by mail."));
      await expect.poll(() => owner.inputValue(), SETTLED).toBe("");
      // The edit form below shows her too (saving it must not drop her).
      await expect.poll(() => page.getByLabel("Owners: participants").locator("option:checked").allTextContents(), SETTLED).toEqual(["Ana", "Olu"]);
      // Ana is an owner now, so only Mo is left to add.
      expect((await owner.locator("option").allTextContents()).slice(1)).toEqual(["Mo"]);
      await page.goBack();
      await page.waitForLoadState("load");
      if ((await page.getByLabel("New owner").inputValue()) !== "") await page.getByRole("button", { name: "Add owner" }).click();
      await new Promise((r) => setTimeout(r, 500));
      expect(await owners()).toEqual([people.Olu, people.Ana]);
      // Ana heard of it once.
      await expect.poll(() => db.selectFrom("mail_outbox").select("id").where("template", "=", "action-assigned").where("person_id", "=", people.Ana!).execute().then((r) => r.length), SETTLED).toBe(1);
      if (javaScript) {
        await expectAccessible(page);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/action-item-${kind}-${width}.png`, fullPage: true });
        }
      }
      expect(errors).toEqual([]);
      await context.close();
    });

    it("names the line of a wrong co-facilitator address and stores nothing", async () => {
      const { page, context, errors } = await open(javaScript, people.Mo!, `/convenings/${slug}/proposals/new`);
      await page.getByLabel("Title").fill("Peer support across borders");
      await page.getByLabel("Co-facilitators to invite").fill("olu@example.org\nana@\nbo@example.net");
      await page.getByRole("button", { name: "Save as draft" }).click();
      const line = page.getByText("Line 2: “ana@” is not an email address. Enter one like name@example.org.");
      await visible(line);
      expect(await line.count()).toBe(1);
      expect(await page.getByLabel("Co-facilitators to invite").inputValue()).toBe("olu@example.org\nana@\nbo@example.net");
      expect(await db.selectFrom("proposals").select("id").where("convening_id", "=", conveningId).execute()).toEqual([]);
      if (javaScript) await expectAccessible(page);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("saves a draft with only its title, asks for the rest on the edit form, and requires it on submission", async () => {
      const { page, context, errors } = await open(javaScript, people.Ana!, `/convenings/${slug}/proposals/new`);
      await page.getByLabel("Title").fill("Only a title for now");
      await page.getByRole("button", { name: "Save as draft" }).dblclick();
      await visible(page.getByText("Saved."));
      const rows = await db.selectFrom("proposals").select(["id", "title", "status", "format", "length_minutes", "primary_track_id"]).where("convening_id", "=", conveningId).execute();
      expect(rows.map(({ id: _id, ...r }) => r)).toEqual([{ title: "Only a title for now", status: "draft", format: null, length_minutes: null, primary_track_id: null }]);
      expect(await db.selectFrom("proposal_tracks").select("track_id").where("proposal_id", "=", rows[0]!.id).execute()).toEqual([]);
      await visible(page.getByText("Format not chosen yet · length not chosen yet"));

      await page.goto(`${app.url}/convenings/${slug}/proposals/${rows[0]!.id}/edit`);
      expect(await page.getByLabel("Format").inputValue()).toBe("");
      expect(await page.getByLabel("Main track").inputValue()).toBe("");
      expect(await page.locator('input[name="length"]:checked').count()).toBe(0);
      if (javaScript) await expectAccessible(page);
      await page.getByLabel("Abstract").fill("Why and how.");
      await page.getByRole("button", { name: "Submit proposal" }).click();
      for (const [label, message] of [
        ["Format", "Choose one of the formats on offer."],
        ["Main track", "Choose at least one track."],
      ] as const) {
        await visible(page.getByText(message));
        const described = await page.getByLabel(label).getAttribute("aria-describedby");
        expect(await page.locator(`#${described!.split(" ").pop()}`).textContent()).toBe(message);
      }
      await visible(page.getByText("Choose one of the lengths on offer."));
      expect(await db.selectFrom("proposals").select(["status", "format"]).where("id", "=", rows[0]!.id).executeTakeFirstOrThrow()).toEqual({ status: "draft", format: null });
      expect(errors).toEqual([]);
      await context.close();
    });

    it("names each date of a new convening in its own error, and creates the convening once", async () => {
      const { personId } = await addSiteOrganizer(db, (await person(db, { name: "Site organizer" })).email);
      const { page, context, errors } = await open(javaScript, personId, "/organize/convenings/new");
      const next = `next-meeting-${unique()}`;
      await page.getByLabel("Title").fill("Next Meeting");
      await page.getByLabel("Short name for addresses").fill(next);
      await page.getByRole("button", { name: "Create convening" }).click();
      await visible(page.getByText("Enter the first day of the convening."));
      expect(await page.getByText("Enter the first day of the convening.").count()).toBe(1);
      expect(await page.getByText("Enter the last day of the convening.").count()).toBe(1);
      expect(await page.getByText("Enter a date.").count()).toBe(0);
      if (javaScript) await expectAccessible(page);
      await page.getByLabel("First day").fill("2028-06-01");
      await page.getByLabel("Last day").fill("2028-06-03");
      await page.getByRole("button", { name: "Create convening" }).dblclick();
      await page.waitForURL(/created=/);
      expect((await db.selectFrom("convenings").select("id").where("slug", "=", next).execute()).length).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("says a refused decision is about the proposal", async () => {
      const session = await proposal(db, { conveningId, proposerId: people.Mo!, answers: { title: "A withdrawn session" } });
      await withdrawProposal(db, { conveningId, proposalId: session.id, personId: people.Mo! });
      const { page, context, errors } = await open(javaScript, organizer, `/organize/${slug}/proposals/${session.id}`);
      await page.getByRole("combobox", { name: "Decision" }).selectOption({ label: "Accept" });
      await page.getByRole("button", { name: "Apply (not released yet)" }).click();
      await visible(page.getByText("That change is not possible for this proposal in its current state. Nothing was changed."));
      expect(await page.getByText("registration").count()).toBe(0);
      if (javaScript) await expectAccessible(page);
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
