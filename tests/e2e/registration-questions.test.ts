// Organizers' own registration questions, in Chromium against the real server, with JavaScript
// and without: an organizer adds one question of each kind (one sensitive); a participant
// registers, first leaving required questions unanswered (errors beside the fields, nothing
// stored), then answering; comes back and changes an answer. The organizer sees the answers,
// filters the table by one and exports the CSV; an organizer without sensitive rights never sees
// the sensitive answer. Every page visited passes axe (with JavaScript); screenshots at 1280 and 390 px.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { convening, organizerRole, person, unique } from "../factories";

const DAY = 24 * 60 * 60 * 1000;
const SHOTS = "/tmp/shots-questions";

describe.each(BROWSER_DATABASE_KINDS)("organizers' registration questions on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startApp({ kind });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  for (const { javaScript } of scriptModes(kind)) {
    const mode = `${kind}-${javaScript ? "js" : "nojs"}`;
    it(`adds questions, takes answers and shows them to those allowed, ${javaScript ? "with" : "without"} JavaScript`, async () => {
      const n = unique();
      const slug = `questions-${n}`;
      const organizer = (await person(db, { name: `Organizing team ${n}` })).id;
      const { id: conveningId } = await convening(db, {
        slug,
        title: `Questions Meeting ${n}`,
        organizerId: organizer,
        registration: { opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: new Date(Date.now() + 30 * DAY).toISOString() },
      });
      const limited = (await person(db, { name: `Helper ${n}` })).id;
      await organizerRole(db, conveningId, limited, { readsSensitive: false });
      const participant = (await person(db, { name: `Participant ${n}` })).id;

      const open = async (page: Page, path: string) => {
        await page.goto(`${app.url}${path}`);
        if (javaScript) await waitForHydration(page);
      };
      const accessible = async (page: Page) => {
        if (javaScript) await expectAccessible(page);
      };
      const shoot = async (page: Page, name: string) => {
        await page.screenshot({ path: `${SHOTS}/${mode}-${name}-1280.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await accessible(page);
        await page.screenshot({ path: `${SHOTS}/${mode}-${name}-390.png`, fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      };

      // The organizer adds one question of each kind.
      const org = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(org);
      await signInAs(org.context, db, app.url, organizer);
      await open(org.page, `/organize/${slug}/registrations`);
      await org.page.getByRole("link", { name: "Questions on the registration form" }).click();
      await visible(org.page.getByRole("heading", { level: 1, name: "Your questions on the registration form" }));
      if (javaScript) await waitForHydration(org.page);
      await accessible(org.page);
      const add = async (q: { kind: string; label: string; options?: string[]; required?: boolean; sensitive?: boolean }) => {
        const page = org.page;
        await page.getByLabel("Kind of answer").selectOption({ label: q.kind });
        await page.getByLabel("Question", { exact: true }).fill(q.label);
        if (q.options) await page.getByLabel("Options", { exact: true }).fill(q.options.join("\n"));
        if (q.required) await page.getByLabel("People must answer this question").check();
        if (q.sensitive) await page.getByRole("checkbox", { name: "Sensitive" }).check();
        await page.getByRole("button", { name: "Add the question" }).click();
        await visible(page.getByText("The question is on the form."));
        await visible(page.getByRole("heading", { level: 3, name: q.label }));
      };
      await add({ kind: "Short text", label: "What should we call your group?", required: true });
      await add({ kind: "Long text", label: "What do you hope to take home?" });
      await add({ kind: "One choice", label: "Which lunch?", options: ["Vegan", "Anything"], required: true });
      await add({ kind: "Several choices", label: "Which caucuses will you join?", options: ["Migrants", "Trans people", "Youth"] });
      await add({ kind: "Yes or no", label: "Have you been arrested for your work?", required: true, sensitive: true });
      await add({ kind: "Date", label: "When do you arrive?" });
      // The date question moves up above the yes/no question.
      await org.page.getByRole("listitem").filter({ has: org.page.getByRole("heading", { name: "When do you arrive?" }) }).getByRole("button", { name: "Move up" }).click();
      await visible(org.page.getByText("The question has moved."));
      expect(await org.page.locator(".question-list h3").allTextContents()).toEqual([
        "What should we call your group?",
        "What do you hope to take home?",
        "Which lunch?",
        "Which caucuses will you join?",
        "When do you arrive?",
        "Have you been arrested for your work?",
      ]);
      await accessible(org.page);
      await shoot(org.page, "editor");

      // The participant registers: first without the required answers.
      const me = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(me);
      await signInAs(me.context, db, app.url, participant);
      const page = me.page;
      await open(page, `/convenings/${slug}/register`);
      await page.getByLabel("Name shown to other participants").fill(`Pat ${n}`);
      await page.getByRole("radio", { name: "In person" }).check();
      await page.getByRole("checkbox", { name: "Sex work" }).check();
      await page.getByLabel("What do you hope to take home?").fill("Allies");
      const send = async (button: string) => {
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(`/convenings/${slug}/register`)),
          page.getByRole("button", { name: button, exact: true }).click(),
        ]);
        return response;
      };
      expect((await send("Register")).status()).toBe(400);
      const errorOf = (label: string) => page.locator(`[id="${label}-error"]`);
      const questions = await db.selectFrom("registration_questions").select(["id", "label"]).where("convening_id", "=", conveningId).execute();
      const id = (label: string) => `field-q${questions.find((q) => q.label === label)!.id}`;
      await expect.poll(() => errorOf(id("What should we call your group?")).textContent(), SETTLED).toBe("This field is required.");
      await expect.poll(() => errorOf(id("Which lunch?")).textContent(), SETTLED).toBe("Choose one of the options.");
      await expect.poll(() => errorOf(id("Have you been arrested for your work?")).textContent(), SETTLED).toBe("Choose one of the options.");
      expect(await page.locator(".field-error").allTextContents()).toEqual(["This field is required.", "Choose one of the options.", "Choose one of the options."]);
      // What was typed stays.
      expect(await page.getByLabel("What do you hope to take home?").inputValue()).toBe("Allies");
      expect(await db.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).execute()).toEqual([]);
      await accessible(page);
      await shoot(page, "form-errors");

      await page.getByLabel("What should we call your group?").fill("Rights Now");
      await page.getByRole("group", { name: /^Which lunch\?/ }).getByRole("radio", { name: "Vegan" }).check();
      await page.getByRole("group", { name: /^Which caucuses will you join\?/ }).getByRole("checkbox", { name: "Migrants" }).check();
      await page.getByRole("group", { name: /^Which caucuses will you join\?/ }).getByRole("checkbox", { name: "Youth" }).check();
      await page.getByLabel("When do you arrive?").fill("2027-05-31");
      await page.getByRole("group", { name: /^Have you been arrested for your work\?/ }).getByRole("radio", { name: "Yes" }).check();
      await send("Register");
      await visible(page.getByText("Thank you. Your registration is in"));

      // Back to the form: the answers are there; one changes.
      await page.getByRole("link", { name: "Change your answers" }).click();
      await visible(page.getByRole("button", { name: "Save changes" }));
      if (javaScript) await waitForHydration(page);
      expect(await page.getByLabel("What should we call your group?").inputValue()).toBe("Rights Now");
      expect(await page.getByRole("group", { name: /^Which lunch\?/ }).getByRole("radio", { name: "Vegan" }).isChecked()).toBe(true);
      expect(await page.getByRole("group", { name: /^Which caucuses will you join\?/ }).getByRole("checkbox", { name: "Youth" }).isChecked()).toBe(true);
      expect(await page.getByLabel("When do you arrive?").inputValue()).toBe("2027-05-31");
      expect(await page.getByRole("group", { name: /^Have you been arrested for your work\?/ }).getByRole("radio", { name: "Yes" }).isChecked()).toBe(true);
      await page.getByRole("group", { name: /^Which lunch\?/ }).getByRole("radio", { name: "Anything" }).check();
      await send("Save changes");
      await visible(page.getByText("Your changes are saved."));
      const registrationId = (await db.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).executeTakeFirstOrThrow()).id;

      // The organizer rewords a question that has answers; the answer stays, with a note.
      await open(org.page, `/organize/${slug}/registrations/questions`);
      await org.page.getByRole("link", { name: "Edit “Which lunch?”" }).click();
      await visible(org.page.getByRole("button", { name: "Save the question" }));
      if (javaScript) await waitForHydration(org.page);
      await accessible(org.page);
      await org.page.locator(`[id="edit-${questions.find((q) => q.label === "Which lunch?")!.id}-label"]`).fill("Which lunch would you like?");
      await org.page.getByRole("button", { name: "Save the question" }).click();
      await visible(org.page.getByText("The question is saved."));
      await visible(org.page.getByRole("heading", { level: 3, name: "Which lunch would you like?" }));

      // The organizer sees every answer, the sensitive one in the sensitive card, audited.
      await open(org.page, `/organize/${slug}/registrations/${registrationId}`);
      await visible(org.page.getByText("(answered when the question read “Which lunch?”)"));
      const details = org.page.locator("dl.facts").first();
      await visible(details.getByText("Rights Now"));
      expect(await details.getByText("Anything").count()).toBe(1);
      expect(await details.getByText("Migrants, Youth").count()).toBe(1);
      expect(await details.getByText("31 May 2027").count()).toBe(1);
      const card = org.page.getByRole("region", { name: "Sensitive answers" });
      expect(await card.getByText("Have you been arrested for your work?").count()).toBe(1);
      expect(await details.getByText("Have you been arrested for your work?").count()).toBe(0);
      const views = await db.selectFrom("audit_log").select("details").where("action", "=", "registration.sensitive_viewed").where("subject_id", "=", registrationId).execute();
      expect(views.some((v) => v.details.includes("questions"))).toBe(true);
      await accessible(org.page);
      await shoot(org.page, "detail");

      // The table filters by an answer.
      await open(org.page, `/organize/${slug}/registrations`);
      await org.page.getByLabel("Answer", { exact: true }).selectOption({ label: "Which lunch would you like?: Vegan" });
      await org.page.getByRole("button", { name: "Filter" }).click();
      await visible(org.page.getByText("0 registrations match."));
      expect(await org.page.getByRole("link", { name: `Pat ${n}` }).count()).toBe(0);
      await org.page.getByLabel("Answer", { exact: true }).selectOption({ label: "Which lunch would you like?: Anything" });
      await org.page.getByRole("button", { name: "Filter" }).click();
      await visible(org.page.getByText("1 registration matches."));
      await visible(org.page.getByRole("link", { name: `Pat ${n}` }));
      await accessible(org.page);

      const csv = async (p: Page, sensitive: boolean) => (await p.request.get(`${app.url}/organize/${slug}/registrations.csv${sensitive ? "?sensitive=1" : ""}`)).text();
      const plain = await csv(org.page, false);
      expect(plain).toContain("What should we call your group?,What do you hope to take home?,Which lunch would you like?,Which caucuses will you join?,When do you arrive?\r\n");
      expect(plain).toContain(",Rights Now,Allies,Anything,Migrants; Youth,2027-05-31\r\n");
      expect(plain).not.toContain("arrested");
      const full = await csv(org.page, true);
      expect(full).toContain("When do you arrive?,Have you been arrested for your work?\r\n");
      expect(full).toContain(",2027-05-31,yes\r\n");

      // An organizer without sensitive rights sees the open answers only.
      const helper = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(helper);
      await signInAs(helper.context, db, app.url, limited);
      await open(helper.page, `/organize/${slug}/registrations/${registrationId}`);
      await visible(helper.page.getByText("Rights Now"));
      expect(await helper.page.content()).not.toContain("arrested");
      await accessible(helper.page);
      expect(await csv(helper.page, false)).not.toContain("arrested");
      expect((await helper.page.request.get(`${app.url}/organize/${slug}/registrations.csv?sensitive=1`)).status()).toBe(403);
      // Many pages, each checked by axe twice: longer than the default minute on a shared machine.
    }, 180_000);
  }
});
