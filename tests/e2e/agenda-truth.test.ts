// The grid and publishing tell the truth, in Chromium against the real server: placing over
// lunch or a plenary is refused (form with and without JavaScript, drag and drop) and the session
// stays in the unplaced list; a session that older data put under lunch shows on the grid as a
// conflict linked to its cell; publishing is refused while a hard conflict remains or a facilitator
// is not confirmed (naming who and why), queueing nothing; a facilitator who registers counts at
// once; the organizer sees what publishing changes and whom it mails, and publishing does exactly
// that; session pages show day, time and room once published; a past convening takes no proposals.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { placeSession, unplaceSession } from "../../app/modules/agenda/placements.server";
import { publishAgenda } from "../../app/modules/agenda/publish.server";
import { addFixedItem } from "../../app/modules/agenda/setup.server";
import { setInterest } from "../../app/modules/proposals/sessions.server";
import { createSession } from "../../app/modules/auth/session.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { agenda, convening, person, proposal, registration, unique } from "../factories";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";

const TITLE = "Nairobi Strategy Meeting 2027";
const ZONE = "Africa/Nairobi";
const DAY = 24 * 60 * 60 * 1000;
const POLL = { timeout: 10_000 };
const S1 = "Peer outreach that lasts";
const S2 = "Clinics that listen";
const S3 = "Organising domestic workers";
const S4 = "Courts and the right to choose";
const FINN = "Legal aid clinics on the move";
const HALL = "Main hall";
const ANNEX = "Annex";
// Slots (Nairobi is UTC+3): 09:00, 12:30 (lunch, whole venue), 14:00 (plenary in the main hall).
const SLOT1 = "1 Jun 2027, 09:00";
const LUNCH = "1 Jun 2027, 12:30";
const SLOT3 = "1 Jun 2027, 14:00";
const FIXED_REFUSAL = "A fixed item (a meal, a break or a plenary) holds this room at that time. Choose another slot or room.";

describe("a grid and a publish that tell the truth", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let slug: string;
  let conveningId: number;
  let organizer: number;
  let ids: Record<string, number>;
  let made: { rooms: number[]; slots: number[] };
  let facilitators: Record<string, number>;
  let finn: number;
  const opened: WatchedPage[] = [];

  async function signedInPage(personId: number, options: { javaScript?: boolean; locale?: string; viewport?: { width: number; height: number } } = {}) {
    const watched = await openPage(browser, options);
    await signInAs(watched.context, db, app.url, personId);
    opened.push(watched);
    return watched;
  }
  async function openAgenda(page: Page, javaScript = true) {
    await page.goto(`${app.url}/organize/${slug}/agenda`);
    if (javaScript) await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: `Agenda: ${TITLE}` }));
  }
  async function idle(page: Page) {
    await page.waitForFunction(() => {
      const router = (window as unknown as { __remixRouter: { state: { navigation: { state: string }; revalidation: string; fetchers: Map<string, { state: string }> } } }).__remixRouter;
      return router.state.navigation.state === "idle" && router.state.revalidation === "idle" && [...router.state.fetchers.values()].every((f) => f.state === "idle");
    });
  }
  async function placeByForm(page: Page, title: string, slot: string, room: string) {
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Place or move" }) });
    await form.getByLabel("Session", { exact: true }).selectOption({ label: title });
    await form.getByLabel("Time slot", { exact: true }).selectOption({ label: slot });
    await form.getByLabel("Room", { exact: true }).selectOption({ label: room });
    await form.getByRole("button", { name: "Place or move" }).click();
  }
  const slotError = (page: Page) => page.locator("form").filter({ has: page.getByRole("button", { name: "Place or move" }) }).locator(".field-error").allTextContents();
  const unplacedList = (page: Page) =>
    page.locator("ul.unplaced-list li").evaluateAll((lis) =>
      lis.map((li) => {
        const copy = li.cloneNode(true) as HTMLElement;
        copy.querySelectorAll(".muted").forEach((span) => span.remove());
        return copy.textContent!.trim();
      }),
    );
  const placements = () => db.selectFrom("placements").select(["proposal_id", "slot_id", "room_id"]).where("convening_id", "=", conveningId).orderBy("proposal_id").execute();
  const count = async (table: "mail_outbox" | "agenda_versions" | "agenda_entries") => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
  });

  beforeEach(async () => {
    slug = `nairobi-${unique()}`;
    organizer = (await person(db, { name: "Organizers", fullName: "Oona Organiser" })).id;
    const c = await convening(db, {
      slug,
      title: TITLE,
      startsOn: "2027-06-01",
      endsOn: "2027-06-02",
      timeZone: ZONE,
      locale: "en-GB",
      organizerId: organizer,
      registration: {},
      cfp: { opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: null, formats: ["workshop"], lengths: [60] },
    });
    conveningId = c.id;
    facilitators = {};
    ids = {};
    for (const [i, title] of [S1, S2, S3, S4].entries()) {
      const p = await person(db, { name: `Facilitator${i + 1}`, fullName: `Facilitator Number${i + 1}` });
      await registration(db, { conveningId, personId: p.id, status: "confirmed", answers: { displayName: `F${i + 1}`, tracks: [c.track("Sex work")], languages: ["English"] } });
      facilitators[title] = p.id;
      ids[title] = (
        await proposal(db, {
          conveningId,
          proposerId: p.id,
          status: "confirmed",
          answers: { title, abstract: `About ${title.toLowerCase()}.`, description: "", format: "workshop", length: 60, primaryTrack: c.track("Sex work"), linkedTracks: [], languages: ["English"], needs: [], coFacilitators: [] },
        })
      ).id;
    }
    finn = (await person(db, { name: "Finn", fullName: "Finn Castellano-Moor" })).id;
    ids[FINN] = (
      await proposal(db, {
        conveningId,
        proposerId: finn,
        status: "accepted",
        answers: { title: FINN, abstract: "On the move.", description: "", format: "workshop", length: 60, primaryTrack: c.track("LGBTQ rights"), linkedTracks: [], languages: ["English"], needs: [], coFacilitators: [] },
      })
    ).id;
    made = await agenda(db, {
      conveningId,
      organizerId: organizer,
      rooms: [{ name: HALL, capacity: 80 }, { name: ANNEX, capacity: 20 }],
      slots: [{ date: "2027-06-01", time: "09:00", minutes: 60 }, { date: "2027-06-01", time: "12:30", minutes: 60 }, { date: "2027-06-01", time: "14:00", minutes: 60 }],
    });
    await addFixedItem(db, { conveningId, organizerId: organizer, slotId: made.slots[1]!, roomId: null, title: "Lunch", kind: "meal" });
    await addFixedItem(db, { conveningId, organizerId: organizer, slotId: made.slots[2]!, roomId: made.rooms[0]!, title: "Opening plenary", kind: "plenary" });
    // The seeding queued mail here (registrations, decisions): deliver it now, so the server's
    // sender does not write while the test sets things up, and the outbox holds only what the test causes.
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@example.org>" });
    } finally {
      transport.close();
    }
    await expect.poll(() => db.selectFrom("mail_outbox").select("id").where("status", "!=", "sent").execute(), { timeout: 30_000, interval: 100 }).toEqual([]);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  it("refuses placing over lunch or a plenary, by the form with and without JavaScript and by drag and drop; the session stays unplaced", async () => {
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    const allUnplaced = [S4, S2, FINN, S3, S1].sort();
    await expect.poll(async () => (await unplacedList(page)).sort(), POLL).toEqual(allUnplaced);

    // The form, with JavaScript: lunch takes every room of its slot.
    await placeByForm(page, S1, LUNCH, `${ANNEX} (20 places)`);
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe(FIXED_REFUSAL);
    await idle(page);
    await expect.poll(() => slotError(page), POLL).toEqual([FIXED_REFUSAL]);
    await expect.poll(async () => (await unplacedList(page)).sort(), POLL).toEqual(allUnplaced);
    await expectAccessible(page);
    expect(await placements()).toEqual([]);

    // Without JavaScript: a plain POST, answered 409 with the same words beside the field.
    const plain = await signedInPage(organizer, { javaScript: false });
    await openAgenda(plain.page, false);
    const answer = plain.page.waitForResponse((r) => r.request().method() === "POST");
    await placeByForm(plain.page, S2, SLOT3, `${HALL} (80 places)`);
    expect((await answer).status()).toBe(409);
    await visible(plain.page.locator("main p.notice", { hasText: FIXED_REFUSAL }));
    expect(await slotError(plain.page)).toEqual([FIXED_REFUSAL]);
    expect((await unplacedList(plain.page)).sort()).toEqual(allUnplaced);
    expect(await placements()).toEqual([]);

    // Drag and drop onto the plenary's cell: refused, the words beside the form.
    await openAgenda(page);
    const drop = async (title: string, cell: string) =>
      page.evaluate(
        ([title, cell]) => {
          const source = [...document.querySelectorAll("ul.unplaced-list li")].find((li) => li.textContent!.includes(title!))!;
          const target = document.getElementById(cell!)!;
          const transfer = new DataTransfer();
          source.dispatchEvent(new DragEvent("dragstart", { bubbles: true, dataTransfer: transfer }));
          target.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: transfer }));
          target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
        },
        [title, cell],
      );
    await drop(S3, `cell-${made.slots[2]}-${made.rooms[0]}`);
    await expect.poll(() => slotError(page), POLL).toEqual([FIXED_REFUSAL]);
    await idle(page);
    expect(await placements()).toEqual([]);
    await expect.poll(async () => (await unplacedList(page)).sort(), POLL).toEqual(allUnplaced);
    // The annex beside the plenary is free: the same drop there places it.
    await drop(S3, `cell-${made.slots[2]}-${made.rooms[1]}`);
    await expect.poll(() => placements(), POLL).toEqual([{ proposal_id: ids[S3], slot_id: made.slots[2], room_id: made.rooms[1] }]);
    await idle(page);
    await expect.poll(() => page.locator(`#cell-${made.slots[2]}-${made.rooms[1]} .placed__title`).allTextContents(), POLL).toEqual([` ${S3}`]);
    await expect.poll(async () => (await unplacedList(page)).sort(), POLL).toEqual(allUnplaced.filter((t) => t !== S3));
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows a session that older data put under lunch as a linked conflict, and refuses to publish it, queueing nothing", async () => {
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S1]!, slotId: made.slots[0]!, roomId: made.rooms[0]! });
    // What the old placing let through: a session in the lunch slot.
    await db.insertInto("placements").values({ convening_id: conveningId, proposal_id: ids[S2]!, slot_id: made.slots[1]!, room_id: made.rooms[1]!, pinned: 0 }).execute();
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    const lunchCell = page.locator(`#slot-${made.slots[1]}`);
    await expect.poll(() => lunchCell.locator(".placed__title").allTextContents(), POLL).toEqual([` ${S2}`]);
    await expect.poll(() => lunchCell.locator(".placed .muted").textContent(), POLL).toBe("60 minutes · hard conflict");
    const conflict = `${S2} is placed where Lunch is (${ANNEX}, ${LUNCH})`;
    await expect.poll(() => page.locator("li.conflict--hard").allTextContents(), POLL).toEqual([conflict]);
    expect(await page.locator("li.conflict--hard a").getAttribute("href")).toBe(`#slot-${made.slots[1]}`);
    // Publishing lists it (with Finn's session, unplaced, it is not in the way) with a link to its cell.
    await expect.poll(() => page.locator("ul.blockers-conflicts a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")])), POLL).toEqual([[conflict, `#slot-${made.slots[1]}`]]);
    await page.locator("ul.blockers-conflicts a").click();
    await expect.poll(() => page.evaluate(() => location.hash), POLL).toBe(`#slot-${made.slots[1]}`);
    await expectAccessible(page);

    const before = await Promise.all([count("mail_outbox"), count("agenda_versions"), count("agenda_entries")]);
    await page.getByRole("button", { name: "Publish as version 1" }).click();
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe(
      "The agenda was not published: it breaks a hard rule (hard conflicts: 1). Each is listed under Publish with a link to its place on the grid. No mail was queued.",
    );
    await idle(page);
    expect(await Promise.all([count("mail_outbox"), count("agenda_versions"), count("agenda_entries")])).toEqual(before);

    // Moved out of lunch, it publishes.
    await placeByForm(page, S2, SLOT1, `${ANNEX} (20 places)`);
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe("Placed.");
    await idle(page);
    await expect.poll(() => page.locator("li.conflict--hard").count(), POLL).toBe(0);
    await page.getByRole("button", { name: "Publish as version 1" }).click();
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe("Version 1 is published; 2 people will be told about changes to their sessions.");
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("names the facilitator who is missing and why, and counts them as soon as they register", async () => {
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[FINN]!, slotId: made.slots[0]!, roomId: made.rooms[0]! });
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    const line = `Finn Castellano-Moor (${FINN}): not registered`;
    await expect.poll(() => page.locator("ul.blockers-missing li").allTextContents(), POLL).toEqual([line]);
    const before = await count("mail_outbox");
    await page.getByRole("button", { name: "Publish as version 1" }).click();
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe(
      `The agenda was not published: some placed sessions are waiting for their facilitators. ${line}. Every facilitator must hold a confirmed registration first. No mail was queued.`,
    );
    await idle(page);
    expect(await count("mail_outbox")).toBe(before);
    expect(await db.selectFrom("agenda_versions").select("id").where("convening_id", "=", conveningId).execute()).toEqual([]);

    // Finn registers through the form; no job runs, yet the session is confirmed in that same step.
    const finnPage = (await signedInPage(finn)).page;
    await finnPage.goto(`${app.url}/convenings/${slug}/register`);
    await waitForHydration(finnPage);
    await finnPage.getByRole("radio", { name: "In person" }).check();
    await finnPage.getByRole("checkbox", { name: "Sex work" }).check();
    await finnPage.getByRole("button", { name: "Register", exact: true }).click();
    await finnPage.waitForURL(`${app.url}/convenings/${slug}/register?done=submitted`);
    expect(await db.selectFrom("registrations").select("status").where("person_id", "=", finn).where("convening_id", "=", conveningId).executeTakeFirstOrThrow()).toEqual({ status: "confirmed" });
    expect(await db.selectFrom("proposals").select("status").where("id", "=", ids[FINN]!).executeTakeFirstOrThrow()).toEqual({ status: "confirmed" });

    await openAgenda(page);
    await expect.poll(() => page.locator("ul.blockers-missing li").count(), POLL).toBe(0);
    await page.getByRole("button", { name: "Publish as version 1" }).click();
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe("Version 1 is published; 1 person will be told about changes to their sessions.");
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows what publishing will change against the published version and whom it mails, then publishes exactly that", async () => {
    for (const [title, slot, room] of [[S1, 0, 0], [S2, 0, 1], [S3, 2, 1]] as const) {
      await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[title]!, slotId: made.slots[slot]!, roomId: made.rooms[room]! });
    }
    // Two participants: one marks S1 and S3, one marks S4.
    const [p1, p2] = [await person(db, { name: "Pat" }), await person(db, { name: "Quin" })];
    for (const p of [p1, p2]) await registration(db, { conveningId, personId: p.id, status: "confirmed" });
    for (const title of [S1, S3]) await setInterest(db, { conveningId, personId: p1.id, proposalId: ids[title]!, interested: true });
    await setInterest(db, { conveningId, personId: p2.id, proposalId: ids[S4]!, interested: true });
    await publishAgenda(db, { conveningId, organizerId: organizer, note: "" });

    // S1 moves, S2 is renamed, S3 comes off, S4 is added.
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S1]!, slotId: made.slots[2]!, roomId: made.rooms[1]! });
    await unplaceSession(db, { conveningId, organizerId: organizer, proposalId: ids[S3]! });
    await db.updateTable("proposals").set({ title: "Clinics that listen, and act" }).where("id", "=", ids[S2]!).execute();
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S4]!, slotId: made.slots[0]!, roomId: made.rooms[0]! });

    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    await visible(page.getByRole("heading", { level: 3, name: "What publishing version 2 will do" }));
    // In the order of the agenda (time, then room), cancelled sessions last.
    const preview = [
      `Added: ${S4}, ${SLOT1}, ${HALL}`,
      `Renamed: ${S2} is now Clinics that listen, and act (${SLOT1}, ${ANNEX})`,
      `Moved: ${S1}, from ${SLOT1}, ${HALL} to ${SLOT3}, ${ANNEX}`,
      `Cancelled: ${S3}`,
    ];
    await expect.poll(() => page.locator("ul.preview-changes li").allTextContents(), POLL).toEqual(preview);
    // Pat (S1, S3), Quin (S4), and the facilitators of S1, S2, S3 and S4.
    await expect.poll(() => page.locator("p.preview-mailed").textContent(), POLL).toBe("6 people will be mailed about changes to their sessions.");
    await expectAccessible(page);

    const mailsBefore = await db.selectFrom("mail_outbox").select("id").where("convening_id", "=", conveningId).where("template", "=", "agenda-changed").execute();
    await page.getByRole("button", { name: "Publish as version 2" }).click();
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe("Version 2 is published; 6 people will be told about changes to their sessions.");
    const version = await db.selectFrom("agenda_versions").select("changes").where("convening_id", "=", conveningId).where("number", "=", 2).executeTakeFirstOrThrow();
    expect((JSON.parse(version.changes) as Array<{ kind: string; title: string }>).map((c) => `${c.kind}: ${c.title}`)).toEqual([`added: ${S4}`, `renamed: Clinics that listen, and act`, `moved: ${S1}`, `cancelled: ${S3}`]);
    const mailsAfter = await db.selectFrom("mail_outbox").select("person_id").where("convening_id", "=", conveningId).where("template", "=", "agenda-changed").where("dedupe_key", "like", `agenda:${conveningId}:v2:%`).orderBy("person_id").execute();
    expect(mailsAfter.map((m) => m.person_id)).toEqual([facilitators[S1], facilitators[S2], facilitators[S3], facilitators[S4], p1.id, p2.id].sort((a, b) => a! - b!));
    expect(mailsBefore.length).toBeGreaterThan(0);
    await idle(page);
    await expect.poll(() => page.locator("p.preview-mailed").textContent(), POLL).toBe("0 people will be mailed about changes to their sessions.");
    await expect.poll(() => page.locator("section[aria-labelledby=publish-heading] > p").first().textContent(), POLL).toBe("Nothing changes against the published version.");
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows day, time and room on a session's page once published, in the reader's format; a past convening takes no proposals", async () => {
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S1]!, slotId: made.slots[2]!, roomId: made.rooms[1]! });
    const reader = await openPage(browser, { locale: "en-US" });
    opened.push(reader);
    const url = `${app.url}/convenings/${slug}/sessions/${ids[S1]}`;
    await reader.page.goto(url);
    await visible(reader.page.getByRole("heading", { level: 1, name: S1 }));
    expect(await reader.page.locator("dl.session-place").count()).toBe(0);

    await publishAgenda(db, { conveningId, organizerId: organizer, note: "" });
    await reader.page.goto(url);
    await waitForHydration(reader.page);
    await expect.poll(() => reader.page.locator("dl.session-place dd").allTextContents(), POLL).toEqual(["Tuesday, June 1, 2027, 2:00 PM–3:00 PM", ANNEX]);
    await expect.poll(() => reader.page.getByText(`Times are in ${ZONE}.`).count(), POLL).toBe(1);
    await expectAccessible(reader.page);
    const british = await openPage(browser, { locale: "en-GB" });
    opened.push(british);
    await british.page.goto(url);
    await expect.poll(() => british.page.locator("dl.session-place dd").first().textContent(), POLL).toBe("Tuesday, 1 June 2027, 14:00–15:00");

    // A convening that has ended: it says so, and offers no call for proposals.
    const pastSlug = `past-${unique()}`;
    const proposer = (await person(db, { name: "Late" })).id;
    await convening(db, { slug: pastSlug, title: "Kampala Meeting 2025", startsOn: "2025-03-01", endsOn: "2025-03-02", timeZone: ZONE, cfp: { opensAt: "2025-01-01T00:00:00.000Z", closesAt: null, formats: ["workshop"], lengths: [60] } });
    const visitor = await signedInPage(proposer);
    await visitor.page.goto(`${app.url}/convenings/${pastSlug}`);
    await waitForHydration(visitor.page);
    await expect.poll(() => visitor.page.locator("p.took-place").textContent(), POLL).toBe("This convening took place on 1 – 2 March 2025.");
    expect(await visitor.page.getByRole("link", { name: "Propose a session" }).count()).toBe(0);
    await expectAccessible(visitor.page);
    await visitor.page.goto(`${app.url}/convenings/${pastSlug}/proposals/new`);
    await visible(visitor.page.locator("p.notice--warn", { hasText: "The call for proposals is not open now" }));
    expect(await visitor.page.locator("form button[type=submit]").filter({ hasText: /submit/i }).count()).toBe(0);
    // A proposal sent by hand is refused with a 409, and nothing is written.
    const cookie = (await createSession(db, proposer)).split(";")[0]!;
    const form = await fetch(`${app.url}/convenings/${pastSlug}/proposals/new`, { headers: { Cookie: cookie } });
    expect(form.status).toBe(200);
    const csrfCookie = form.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="))!.split(";")[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const sent = await fetch(`${app.url}/convenings/${pastSlug}/proposals/new`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `${cookie}; ${csrfCookie}` },
      body: new URLSearchParams([["csrf", csrf], ["intent", "draft"], ["title", "Too late"]]),
      redirect: "manual",
    });
    expect(sent.status).toBe(409);
    expect(await sent.text()).toContain("The call for proposals is not open now, so nothing was changed.");
    expect(await db.selectFrom("proposals").innerJoin("convenings", "convenings.id", "proposals.convening_id").select("proposals.id").where("convenings.slug", "=", pastSlug).execute()).toEqual([]);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });
});
