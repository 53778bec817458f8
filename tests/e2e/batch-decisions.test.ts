// Batch decisions and their release, in Chromium against the real server with a real SMTP
// server, with JavaScript and without. An organizer ticks two proposals, accepts them with
// "Welcome aboard!", applies; then ticks a third, waitlists it, applies. Each Apply says what it
// did to which proposals and leaves the form empty, so the second decision touches the third
// proposal alone and carries no message. The release page shows every mail the release sends,
// per recipient, exactly as sent; release sends those and no other, and the waitlisted
// facilitators never read "Welcome aboard!". A decision changed after the preview makes the
// release refuse, with nothing mailed, until the organizer confirms the fresh preview.
import fs from "node:fs";
import type { AddressObject, ParsedMail } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decideProposals } from "../../app/modules/proposals/decisions.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { fixedT } from "../../app/platform/i18n/i18next.server";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { convening, person, proposal, unique, type TestPerson } from "../factories";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const WELCOME = "Welcome aboard!";
const MEETING = "Strategy Meeting 2027";
const DAY = 24 * 60 * 60 * 1000;
const SHOTS = "/tmp/shots-batch";
type Key = "a" | "b" | "c";
const TITLES: Record<Key, string> = { a: "Peer outreach after raids", b: "Health services that do not judge", c: "Safety planning without the police" };

describe.each(BROWSER_DATABASE_KINDS)("batch decisions and their release on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  const opened: WatchedPage[] = [];
  let checker: Page | undefined;

  let slug: string;
  let conveningId: number;
  let organizer: number;
  let ids: Record<Key, number>;
  /** each proposal's facilitators: its proposer, then the co-facilitator who accepted */
  let facilitators: Record<Key, TestPerson[]>;

  async function organizerPage(javaScript: boolean, width = 1280): Promise<Page> {
    const watched = await openPage(browser, { javaScript, viewport: { width, height: 900 } });
    await signInAs(watched.context, db, app.url, organizer);
    opened.push(watched);
    return watched.page;
  }
  async function go(page: Page, path: string, javaScript: boolean) {
    await page.goto(`${app.url}${path}`);
    if (javaScript) await waitForHydration(page);
  }
  async function deliver() {
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@localhost>" });
    } finally {
      transport.close();
    }
  }
  const statuses = async () =>
    Object.fromEntries(
      (await db.selectFrom("proposals").select(["id", "status", "decision_message"]).where("convening_id", "=", conveningId).execute()).map((r) => [
        (Object.keys(ids) as Key[]).find((k) => ids[k] === r.id)!,
        [r.status, r.decision_message],
      ]),
    );
  const decisionMails = () =>
    db
      .selectFrom("mail_outbox")
      .select(["to_address", "subject", "status"])
      .where("convening_id", "=", conveningId)
      .where("template", "in", ["proposal-accepted", "proposal-waitlisted", "proposal-declined"])
      .orderBy("to_address")
      .execute();
  /** The decision mails of this test's facilitators that reached the SMTP server. */
  const received = (): ParsedMail[] => {
    const ours = new Set(Object.values(facilitators).flatMap((list) => list.map((p) => p.email)));
    return smtp.messages.filter((m) => ours.has((m.to as AddressObject).text) && /^(Accepted:|Waitlisted:|Your proposal)/.test(m.subject ?? ""));
  };

  /** The text of a decision mail as the templates write it: what the preview must show and the facilitator must get. */
  function mailText(key: Key, who: TestPerson, decision: "accepted" | "waitlisted" | "declined", message: string | null): string {
    const t = fixedT();
    const vars = { title: TITLES[key], convening: MEETING, name: who.name };
    return [
      t("mail.greeting", vars),
      t(`mail.proposal.${decision}.body`, vars),
      ...(message ? [`Message from the organizers: ${message}`] : []),
      `See your proposal: ${app.url}/convenings/${slug}/proposals/${ids[key]}`,
      "--",
      t("mail.footer"),
    ].join("\n\n") + "\n";
  }
  const SUBJECT = { accepted: (k: Key) => `Accepted: "${TITLES[k]}"`, waitlisted: (k: Key) => `Waitlisted: "${TITLES[k]}"`, declined: (k: Key) => `Your proposal "${TITLES[k]}"` };

  // What the page shows, read through locators (page.evaluate needs the page's JavaScript).
  const summary = async (page: Page) => ({ lines: await page.locator(".decision-summary > p").allTextContents(), titles: await page.locator(".decision-summary li").allTextContents() });
  async function formState(page: Page) {
    const boxes = page.locator('#batch input[name="ids"]');
    const ticked: string[] = [];
    for (let i = 0; i < (await boxes.count()); i++) if (await boxes.nth(i).isChecked()) ticked.push((await boxes.nth(i).getAttribute("value"))!);
    return { ticked, decision: await page.locator('#batch select[name="decision"]').inputValue(), message: await page.locator('#batch textarea[name="message"]').inputValue() };
  }
  async function rankingStatuses(page: Page) {
    const rows = page.locator("#batch tbody tr");
    const out: Record<string, string | null> = {};
    for (let i = 0; i < (await rows.count()); i++) out[(await rows.nth(i).locator("td:nth-child(2) a").textContent())!] = await rows.nth(i).locator("td:nth-child(3)").textContent();
    return out;
  }
  async function previewGroups(page: Page) {
    const sections = page.locator("section.release-group");
    const groups = [];
    for (let i = 0; i < (await sections.count()); i++) {
      const section = sections.nth(i);
      const articles = section.locator("article.mail-preview");
      const mails = [];
      for (let j = 0; j < (await articles.count()); j++) {
        const a = articles.nth(j);
        mails.push({ to: await a.locator("h3").textContent(), about: await a.locator("p").first().textContent(), subject: await a.locator(".mail-preview__subject").textContent(), text: await a.locator(".mail-preview__body").textContent() });
      }
      groups.push({ heading: await section.locator("h2").textContent(), proposals: await section.locator(".release-proposals li").allTextContents(), mails });
    }
    return groups;
  }
  /**
   * axe on the page as it is now. Without JavaScript axe cannot run in the page itself, so the
   * page's HTML (as the server sent it, scripts aside) is checked in a page that runs scripts.
   */
  async function accessible(page: Page, javaScript: boolean) {
    if (javaScript) return expectAccessible(page);
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    if (!checker) {
      const watched = await openPage(browser);
      opened.push(watched);
      checker = watched.page;
    }
    // Served at an address of the app (so its styles load) that the server does not answer itself.
    const at = `${app.url}/accessibility-check-${unique()}`;
    await checker.route(at, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
    await checker.goto(at);
    await expectAccessible(checker);
    await checker.unroute(at);
  }
  const recipient = (p: TestPerson) => `To ${p.name} Fullname <${p.email}>`;

  async function decide(page: Page, javaScript: boolean, keys: Key[], decision: "Accept" | "Waitlist" | "Decline", message?: string) {
    for (const key of keys) await page.getByRole("checkbox", { name: `Select ${TITLES[key]}` }).check();
    await page.getByLabel("Decision", { exact: true }).selectOption({ label: decision });
    if (message) await page.getByLabel("Message to the facilitators").fill(message);
    const answered = javaScript ? page.waitForResponse((r) => r.request().method() === "POST") : page.waitForNavigation();
    await page.getByRole("button", { name: "Apply (not released yet)" }).click();
    await answered;
    await visible(page.locator(".decision-summary, .notice--error").first());
  }

  async function shoot(page: Page, name: string) {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      // Nothing wider than the screen: wide tables scroll inside their own box.
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { ...SETTLED, message: `${name} at ${width}` }).toBeLessThanOrEqual(width);
    }
    await page.screenshot({ path: `${SHOTS}/${name}-390-top.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  beforeEach(async () => {
    const n = unique();
    slug = `batch-${n}`;
    organizer = (await person(db, { name: "Organizing team" })).id;
    conveningId = (
      await convening(db, { slug, title: MEETING, organizerId: organizer, cfp: { opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: new Date(Date.now() + 30 * DAY).toISOString() } })
    ).id;
    const someone = (name: string) => person(db, { name: `${name} ${n}` });
    facilitators = { a: [await someone("Amara"), await someone("Bo")], b: [await someone("Chidi"), await someone("Dana")], c: [await someone("Esi"), await someone("Farid")] };
    ids = {} as Record<Key, number>;
    for (const key of ["a", "b", "c"] as Key[]) {
      const [proposer, co] = facilitators[key];
      ids[key] = (await proposal(db, { conveningId, proposerId: proposer!.id, facilitators: [co!.id], answers: { title: TITLES[key] } })).id;
    }
    // Mail the seeding queued in this process (submissions, invitations) goes now, so the SMTP
    // server holds it before the test acts and the server's own outbox holds what the test causes.
    await deliver();
    await expect.poll(() => db.selectFrom("mail_outbox").select("id").where("status", "!=", "sent").execute(), { timeout: 30_000, interval: 100 }).toEqual([]);
  });

  for (const { javaScript } of scriptModes(kind)) {
    it(`decides in two batches, each with its own message, previews and releases exactly those mails (${javaScript ? "with" : "without"} JavaScript)`, { timeout: 120_000 }, async () => {
      const page = await organizerPage(javaScript);
      await go(page, `/organize/${slug}/proposals`, javaScript);
      await visible(page.getByRole("heading", { level: 1, name: `Proposals: ${MEETING}` }));
      await accessible(page, javaScript);

      // First batch: two proposals accepted, with a message.
      await decide(page, javaScript, ["a", "b"], "Accept", WELCOME);
      await expect.poll(() => summary(page), SETTLED).toEqual({ lines: ["2 proposals accepted, not released yet:", "Nothing is sent until you release the decisions."], titles: [TITLES.b, TITLES.a] });
      await expect.poll(() => formState(page), SETTLED).toEqual({ ticked: [], decision: "", message: "" });
      await expect.poll(() => rankingStatuses(page), SETTLED).toEqual({ [TITLES.a]: "Accept (not released)", [TITLES.b]: "Accept (not released)", [TITLES.c]: "Submitted" });
      await accessible(page, javaScript);

      // Second batch: the third proposal waitlisted, nothing else ticked, no message.
      await decide(page, javaScript, ["c"], "Waitlist");
      await expect.poll(() => summary(page), SETTLED).toEqual({ lines: ["1 proposal waitlisted, not released yet:", "Nothing is sent until you release the decisions."], titles: [TITLES.c] });
      await expect.poll(() => formState(page), SETTLED).toEqual({ ticked: [], decision: "", message: "" });
      await expect.poll(() => rankingStatuses(page), SETTLED).toEqual({ [TITLES.a]: "Accept (not released)", [TITLES.b]: "Accept (not released)", [TITLES.c]: "Waitlist (not released)" });
      expect(await statuses()).toEqual({ a: ["pending_accepted", WELCOME], b: ["pending_accepted", WELCOME], c: ["pending_waitlisted", null] });
      expect(await decisionMails()).toEqual([]);
      await expect.poll(() => page.locator("#release-heading + p").textContent(), SETTLED).toBe(
        "3 decisions are waiting to be released. Releasing makes them final and queues the mail to their facilitators.",
      );
      await accessible(page, javaScript);
      if (javaScript && kind === "sqlite") await shoot(page, "proposals");

      // The preview: every mail, per recipient, as it will be sent.
      await page.getByRole("link", { name: "Review the mails and release" }).click();
      await page.waitForURL(`${app.url}/organize/${slug}/proposals/release`);
      await visible(page.getByRole("heading", { level: 1, name: `Release decisions: ${MEETING}` }));
      await expect.poll(() => page.locator(".release-totals").textContent(), SETTLED).toBe("3 decisions to release, 6 mails to send.");
      const expected = [
        {
          heading: "Acceptance: 2 proposals, 4 mails",
          proposals: [`${TITLES.b}Message: ${WELCOME}`, `${TITLES.a}Message: ${WELCOME}`],
          mails: (["b", "a"] as Key[]).flatMap((k) => facilitators[k].map((p) => ({ to: recipient(p), about: `About “${TITLES[k]}”`, subject: SUBJECT.accepted(k), text: mailText(k, p, "accepted", WELCOME) }))),
        },
        {
          heading: "Waitlist: 1 proposal, 2 mails",
          proposals: [`${TITLES.c}No message`],
          mails: facilitators.c.map((p) => ({ to: recipient(p), about: `About “${TITLES.c}”`, subject: SUBJECT.waitlisted("c"), text: mailText("c", p, "waitlisted", null) })),
        },
      ];
      expect(await previewGroups(page)).toEqual(expected);
      await accessible(page, javaScript);
      if (javaScript && kind === "sqlite") await shoot(page, "release-preview");

      await page.getByRole("button", { name: "Release 3 decisions and send 6 mails" }).click();
      await visible(page.getByText("3 decisions released; 6 mails queued in the outbox."));
      await visible(page.getByText("No decision is waiting to be released."));
      await accessible(page, javaScript);
      expect(await statuses()).toEqual({ a: ["accepted", WELCOME], b: ["accepted", WELCOME], c: ["waitlisted", null] });

      // Each facilitator gets exactly the previewed mail, and no other decision mail.
      await deliver();
      await expect.poll(() => received().length, { timeout: 20_000, interval: 100 }).toBe(6);
      const previewed = expected.flatMap((g) => g.mails);
      for (const key of ["a", "b", "c"] as Key[]) {
        for (const who of facilitators[key]) {
          const mails = received().filter((m) => (m.to as AddressObject).text === who.email);
          expect(mails.map((m) => m.subject), who.email).toEqual([key === "c" ? SUBJECT.waitlisted(key) : SUBJECT.accepted(key)]);
          expect(mails[0]!.text, who.email).toBe(previewed.find((m) => m.to === recipient(who))!.text);
          if (key === "c") expect(mails[0]!.text).not.toContain(WELCOME);
          else expect(mails[0]!.text).toContain(`Message from the organizers: ${WELCOME}`);
        }
      }
      expect((await decisionMails()).map((m) => m.status)).toEqual(Array(6).fill("sent"));

      // A decision refused speaks of the proposal it refuses, and changes nothing.
      await go(page, `/organize/${slug}/proposals`, javaScript);
      await decide(page, javaScript, ["b"], "Waitlist");
      await expect.poll(() => page.locator(".notice--error p").allTextContents(), SETTLED).toEqual([
        "That change is not possible for this proposal in its current state. Nothing was changed.",
        `Proposal: ${TITLES.b}`,
      ]);
      expect(await statuses()).toEqual({ a: ["accepted", WELCOME], b: ["accepted", WELCOME], c: ["waitlisted", null] });
      await accessible(page, javaScript);
    });

    it(`refuses to release when a decision changed after the preview, and releases the fresh preview (${javaScript ? "with" : "without"} JavaScript)`, { timeout: 120_000 }, async () => {
      await decideProposals(db, { conveningId, organizerId: organizer, ids: [ids.a, ids.b], decision: "accepted", message: WELCOME });
      await decideProposals(db, { conveningId, organizerId: organizer, ids: [ids.c], decision: "waitlisted" });
      const preview = await organizerPage(javaScript);
      await go(preview, `/organize/${slug}/proposals/release`, javaScript);
      await expect.poll(() => preview.locator(".release-totals").textContent(), SETTLED).toBe("3 decisions to release, 6 mails to send.");
      await accessible(preview, javaScript);

      // Meanwhile, in another tab, the organizer declines the waitlisted proposal instead.
      const other = await organizerPage(javaScript);
      await go(other, `/organize/${slug}/proposals`, javaScript);
      await decide(other, javaScript, ["c"], "Decline", "Thank you for proposing.");
      await expect.poll(() => summary(other), SETTLED).toEqual({ lines: ["1 proposal declined, not released yet:", "Nothing is sent until you release the decisions."], titles: [TITLES.c] });
      await accessible(other, javaScript);

      // The preview shown no longer holds: nothing is released, nothing is mailed, and the fresh preview is shown.
      const refused = preview.waitForResponse((r) => r.request().method() === "POST");
      await preview.getByRole("button", { name: "Release 3 decisions and send 6 mails" }).click();
      expect((await refused).status()).toBe(409);
      await visible(preview.getByRole("alert").getByText("A decision changed after these mails were shown, so nothing was released and no mail was sent."));
      expect(await statuses()).toEqual({ a: ["pending_accepted", WELCOME], b: ["pending_accepted", WELCOME], c: ["pending_declined", "Thank you for proposing."] });
      expect(await decisionMails()).toEqual([]);
      await expect.poll(() => previewGroups(preview).then((groups) => groups.map((g) => [g.heading, g.mails.map((m) => m.subject)])), SETTLED).toEqual([
        ["Acceptance: 2 proposals, 4 mails", [SUBJECT.accepted("b"), SUBJECT.accepted("b"), SUBJECT.accepted("a"), SUBJECT.accepted("a")]],
        ["Decline: 1 proposal, 2 mails", [SUBJECT.declined("c"), SUBJECT.declined("c")]],
      ]);
      const declined = (await previewGroups(preview))[1]!.mails;
      expect(declined.map((m) => m.text)).toEqual(facilitators.c.map((p) => mailText("c", p, "declined", "Thank you for proposing.")));
      await accessible(preview, javaScript);

      await preview.getByRole("button", { name: "Release 3 decisions and send 6 mails" }).click();
      await visible(preview.getByText("3 decisions released; 6 mails queued in the outbox."));
      await accessible(preview, javaScript);
      expect(await statuses()).toEqual({ a: ["accepted", WELCOME], b: ["accepted", WELCOME], c: ["declined", "Thank you for proposing."] });
      await deliver();
      await expect.poll(() => received().length, { timeout: 20_000, interval: 100 }).toBe(6);
      for (const who of facilitators.c) {
        const mails = received().filter((m) => (m.to as AddressObject).text === who.email);
        expect(mails.map((m) => [m.subject, m.text])).toEqual([[SUBJECT.declined("c"), declined.find((m) => m.to === recipient(who))!.text]]);
        expect(mails[0]!.text).not.toContain(WELCOME);
      }
    });
  }
});
