// The agenda end to end: organizers set up rooms and slots, place sessions by the form (with and
// without JavaScript), see hard and soft conflicts, ask the scheduler for a suggestion and accept
// it, and publish numbered versions with a changelog, calendar sequence numbers and one mail per
// affected participant; the public agenda and each participant's own agenda follow — in Chromium
// against the real server, with mail to a real SMTP server, plus the refusals a hand-made request meets.
import type { AddressObject } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { placeSession, unplaceSession } from "../../app/modules/agenda/placements.server";
import { publishAgenda } from "../../app/modules/agenda/publish.server";
import { addSlot } from "../../app/modules/agenda/setup.server";
import { createSession } from "../../app/modules/auth/session.server";
import { setInterest } from "../../app/modules/proposals/sessions.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { formatInstant } from "../../app/lib/format";
import type { SessionNeed } from "../../db/schema";
import { agenda, convening, person, proposal, registration, unique, type TestAgenda } from "../factories";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";

const CONVENING = "Lisbon Strategy Meeting 2027";
const ZONE = "Europe/Lisbon";
const DAY = 24 * 60 * 60 * 1000;
/** Pages reload their data after each answer; give that time on a slow machine. */
const POLL = { timeout: 10_000 };

// Four accepted sessions, each on its own track, each with one facilitator.
const S1 = "Safety planning without the police";
const S2 = "Health services that do not judge";
const S3 = "Migrant workers organising across borders";
const S4 = "Reproductive care for people who sell sex";
const DECLINED = "A session the organizers declined";
const UNREGISTERED = "Legal aid clinics on the move";

// Slot labels and day captions as the pages show them (en-GB, Europe/Lisbon: UTC+1 in June).
const SLOT1 = "1 Jun 2027, 09:30";
const SLOT2 = "2 Jun 2027, 14:00";
const SLOT3 = "3 Jun 2027, 10:00";
const DAY1 = "Tuesday 1 June";
const DAY2 = "Wednesday 2 June";
const DAY3 = "Thursday 3 June";
const TEJO = "Sala Tejo";
const DOURO = "Sala Douro";

const FULL_NAMES = ["Pia Quenneville-Marsh", "Ren Okonkwo-Bright", "Tove Lindqvist-Arroyo", "Uma Thistlewood", "Ash Vandersloot", "Bea Kowalczyk-Nunes", "Cai Ferreira-Obi", "Dev Szymanowski", "Eli Brightwater-Lund", "Finn Castellano-Moor"];

describe("the agenda", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;

  // Each test has a convening of its own (made before it by beforeEach), in the one server.
  let slug: string;
  let conveningId: number;
  let trackId: (name: string) => number;
  let organizer: number;
  // Facilitators, one per session, all registered.
  let pia: number;
  let ren: number;
  let tove: number;
  let uma: number;
  // Participants: Ash, Bea and Cai mark S1 and S2; Dev marks S4; Eli marks nothing.
  let ash: number;
  let bea: number;
  let cai: number;
  let dev: number;
  let eli: number;
  // Proposes a session but is not registered.
  let finn: number;
  /** the test's people's addresses, by lower-case first name */
  let mail: Record<string, string>;
  let ids: Record<string, number>;
  const opened: WatchedPage[] = [];

  async function signedInPage(personId: number, javaScript = true): Promise<WatchedPage> {
    const watched = await openPage(browser, { javaScript });
    await signInAs(watched.context, db, app.url, personId);
    opened.push(watched);
    return watched;
  }

  async function openAgenda(page: Page, javaScript = true) {
    await page.goto(`${app.url}/organize/${slug}/agenda`);
    if (javaScript) await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: `Agenda: ${CONVENING}` }));
  }

  /**
   * The notice at the top of the organizer page, once it reads `text`. The router shows an
   * action's answer before the page's data has reloaded, so this also waits until it is idle.
   */
  async function notice(page: Page, text: string) {
    await expect.poll(() => page.locator("main p.notice").textContent(), POLL).toBe(text);
    await page.waitForFunction(() => {
      const router = (window as unknown as { __remixRouter: { state: { navigation: { state: string }; revalidation: string } } }).__remixRouter;
      return router.state.navigation.state === "idle" && router.state.revalidation === "idle";
    });
  }

  /** A figure of the organizer page: the table with this caption, the row with this heading. */
  const figure = (page: Page, caption: string, row: string) =>
    page.locator("table.figures").filter({ has: page.locator("caption", { hasText: new RegExp(`^${caption.replace(/[()]/g, "\\$&")}$`) }) }).locator("tr").filter({ has: page.getByRole("rowheader", { name: row, exact: true }) }).locator("td").textContent();

  /** Every grid table: its day caption, and for each slot row its label then the sessions in each room. */
  const grid = (page: Page) =>
    page.locator("table.grid").evaluateAll((tables) =>
      tables.map((table) => ({
        day: table.querySelector("caption")!.textContent,
        rooms: [...table.querySelectorAll("thead th")].slice(1).map((th) => th.firstChild!.textContent!.trim()),
        rows: [...table.querySelectorAll("tbody tr")].map((tr) => [
          tr.querySelector("th")!.firstChild!.textContent,
          ...[...tr.querySelectorAll("td")].map((td) => [...td.querySelectorAll(".placed__title")].map((p) => p.textContent!.trim()).join(" + ")),
        ]),
      })),
    );

  const conflictLines = (page: Page, kind: "hard" | "soft") => page.locator(`li.conflict--${kind}`).allTextContents();

  /** The plain "Place or move" form: choose the session, the slot and the room, and send it. */
  async function placeByForm(page: Page, title: string, slot: string, room: string) {
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Place or move" }) });
    await form.getByLabel("Session", { exact: true }).selectOption({ label: title });
    await form.getByLabel("Time slot", { exact: true }).selectOption({ label: slot });
    await form.getByLabel("Room", { exact: true }).selectOption({ label: room });
    await form.getByRole("button", { name: "Place or move" }).click();
  }

  const roomId = async (name: string) => (await db.selectFrom("rooms").select("id").where("convening_id", "=", conveningId).where("name", "=", name).executeTakeFirstOrThrow()).id;
  const slotId = async (startsAt: string) => (await db.selectFrom("slots").select("id").where("convening_id", "=", conveningId).where("starts_at", "=", startsAt).executeTakeFirstOrThrow()).id;
  const placements = () => db.selectFrom("placements").select(["proposal_id", "slot_id", "room_id", "pinned"]).where("convening_id", "=", conveningId).orderBy("proposal_id").execute();

  // Every test's convening has the same title, so its mail is told apart by the test's addresses.
  const agendaMails = (subject: string) =>
    smtp.messages
      .filter((m) => m.subject === subject && Object.values(mail).includes((m.to as AddressObject).text))
      .map((m) => (m.to as AddressObject).text)
      .sort();
  async function waitForMails(subject: string, count: number) {
    const deadline = Date.now() + 10_000;
    while (agendaMails(subject).length < count) {
      if (Date.now() > deadline) {
        // Say where the mail is: still queued (the sender was not nudged), retrying (SMTP refused or timed out), or sent elsewhere.
        const outbox = await db.selectFrom("mail_outbox").select(["status", "attempts", "error", "next_attempt_at"]).where("subject", "=", subject).where("to_address", "in", Object.values(mail)).execute();
        throw new Error(`expected ${count} mails "${subject}", got ${agendaMails(subject).length}; the outbox holds ${JSON.stringify(outbox)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return agendaMails(subject);
  }
  const queued = (subject: string) =>
    db
      .selectFrom("mail_outbox")
      .select("to_address")
      .where("convening_id", "=", conveningId)
      .where("subject", "=", subject)
      .orderBy("to_address")
      .execute()
      .then((rows) => rows.map((r) => r.to_address));

  async function register(personId: number, displayName: string) {
    await registration(db, { conveningId, personId, status: "confirmed", answers: { displayName, tracks: [trackId("Sex work")], languages: ["English"] } });
  }

  async function propose(proposerId: number, title: string, track: string, length: number, status: "confirmed" | "accepted" | "declined", needs: SessionNeed[] = []) {
    const made = await proposal(db, {
      conveningId,
      proposerId,
      status,
      answers: { title, abstract: `About ${title.toLowerCase()}.`, description: "", format: "workshop", length, primaryTrack: trackId(track), linkedTracks: [], languages: ["English"], needs, coFacilitators: [] },
    });
    return made.id;
  }

  // Tejo (40 places, projector) and Douro (20 places); the first slot on 1 June at 09:30, the
  // second on 2 June at 14:00, and a third on 3 June at 10:00 when asked for; the placements given.
  function setUp(placed: Array<[title: string, slot: number, room: typeof TEJO | typeof DOURO, pinned?: boolean]>, thirdSlot = false): Promise<TestAgenda> {
    return agenda(db, {
      conveningId,
      organizerId: organizer,
      rooms: [{ name: TEJO, capacity: 40, features: ["projector"] }, { name: DOURO, capacity: 20 }],
      slots: [{ date: "2027-06-01", time: "09:30", minutes: 90 }, { date: "2027-06-02", time: "14:00", minutes: 90 }, ...(thirdSlot ? [{ date: "2027-06-03", time: "10:00", minutes: 90 }] : [])],
      placements: placed.map(([title, slot, room, pinned]) => ({ proposalId: ids[title]!, slot, room: room === TEJO ? 0 : 1, pinned })),
    });
  }

  /**
   * The agenda as the organizers published it three times (as the publishing test does by the
   * form): version 1 with every session placed, version 2 with S4 moved to the third slot,
   * version 3 with S4 taken off; then, with `fourth`, version 4 with S2 moved next to S1.
   */
  async function publishedThrice(fourth = false) {
    const made = await setUp([[S1, 0, TEJO, true], [S2, 1, DOURO], [S3, 1, TEJO], [S4, 0, DOURO]], true);
    const publish = () => publishAgenda(db, { conveningId, organizerId: organizer, note: "" });
    await publish();
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S4]!, slotId: made.slots[2]!, roomId: made.rooms[1]! });
    await publish();
    await unplaceSession(db, { conveningId, organizerId: organizer, proposalId: ids[S4]! });
    await publish();
    if (fourth) {
      await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids[S2]!, slotId: made.slots[0]!, roomId: made.rooms[1]! });
      await publish();
    }
    return made;
  }

  // A hand-made client: a session cookie, plus the anti-forgery cookie and token from a page.
  interface Client {
    cookie: string;
    csrf: string;
  }
  async function client(personId: number, path: string): Promise<Client> {
    const session = (await createSession(db, personId)).split(";")[0]!;
    const response = await fetch(`${app.url}${path}`, { headers: { Cookie: session }, redirect: "manual" });
    expect(response.status).toBe(200);
    const csrfCookie = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="))!.split(";")[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await response.text())![1]!;
    return { cookie: `${session}; ${csrfCookie}`, csrf };
  }
  async function post(from: Client, fields: Array<[string, string]>) {
    const response = await fetch(`${app.url}/organize/${slug}/agenda`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: from.cookie },
      body: new URLSearchParams([["csrf", from.csrf], ...fields]),
      redirect: "manual",
    });
    const html = await response.text();
    const match = /<p class="notice notice--(?:ok|error)" role="(?:status|alert)">([^<]*)<\/p>/.exec(html);
    const text = match ? match[1]!.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&") : null;
    return { status: response.status, notice: text, html };
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
  });

  beforeEach(async () => {
    slug = `lisbon-2027-${unique()}`;
    organizer = (await person(db, { name: "Organizing team", fullName: "Olga Organiserova" })).id;
    const made = await convening(db, {
      slug,
      title: CONVENING,
      startsOn: "2027-06-01",
      endsOn: "2027-06-03",
      timeZone: ZONE,
      organizerId: organizer,
      registration: {},
      cfp: { opensAt: new Date(Date.now() - DAY).toISOString(), closesAt: new Date(Date.now() + 30 * DAY).toISOString(), formats: ["workshop", "panel"], lengths: [60, 90] },
    });
    conveningId = made.id;
    trackId = made.track;

    const names = ["Pia", "Ren", "Tove", "Uma", "Ash", "Bea", "Cai", "Dev", "Eli", "Finn"];
    const people = [];
    for (const [i, name] of names.entries()) people.push(await person(db, { name, fullName: FULL_NAMES[i] }));
    mail = Object.fromEntries(people.map((p) => [p.name.toLowerCase(), p.email]));
    [pia, ren, tove, uma, ash, bea, cai, dev, eli, finn] = people.map((p) => p.id) as [number, number, number, number, number, number, number, number, number, number];
    for (const [i, id] of [pia, ren, tove, uma, ash, bea, cai, dev, eli].entries()) await register(id, names[i]!);

    ids = {};
    ids[S1] = await propose(pia, S1, "Sex work", 90, "confirmed");
    ids[S2] = await propose(ren, S2, "HIV/AIDS", 90, "confirmed");
    ids[S3] = await propose(tove, S3, "Migrant and labor rights", 60, "confirmed", ["projector"]);
    ids[S4] = await propose(uma, S4, "Reproductive rights and health", 60, "confirmed");
    expect(await db.selectFrom("proposals").select(["title", "status"]).where("convening_id", "=", conveningId).orderBy("id").execute()).toEqual([S1, S2, S3, S4].map((title) => ({ title, status: "confirmed" })));

    for (const person of [ash, bea, cai]) {
      for (const title of [S1, S2]) await setInterest(db, { conveningId, personId: person, proposalId: ids[title]!, interested: true });
    }
    await setInterest(db, { conveningId, personId: dev, proposalId: ids[S4]!, interested: true });

    // The seeding queued mail in this process (registrations, submissions, decisions), which the
    // server only sends on its next round: deliver it now, so the server's outbox holds only what
    // the test itself causes and the mail it waits for is not queued behind a backlog.
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@example.org>" });
    } finally {
      transport.close();
    }
    // (A mail the server's own round took meanwhile is sent by it.)
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

  it("lets an organizer add rooms and slots, and place sessions by the form, with and without JavaScript", async () => {
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "4 accepted sessions not placed" }).count(), POLL).toBe(1);
    await expect.poll(() => page.getByRole("button", { name: "Place or move" }).count(), POLL).toBe(0);
    await expectAccessible(page);

    // Two rooms, one with a projector.
    const roomForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Add room" }) });
    await roomForm.getByLabel("Room name").fill(TEJO);
    await roomForm.getByLabel("Capacity").fill("40");
    await roomForm.getByRole("checkbox", { name: "Projector" }).check();
    await roomForm.getByRole("button", { name: "Add room" }).click();
    await notice(page, "Room added.");
    await expect.poll(() => page.locator("h3:text-is('Rooms') + ul > li").allTextContents(), POLL).toEqual([`${TEJO} (40 places) · ProjectorRemove ${TEJO}`]);
    await roomForm.getByLabel("Room name").fill(DOURO);
    await roomForm.getByLabel("Capacity").fill("20");
    await roomForm.getByRole("checkbox", { name: "Projector" }).uncheck();
    await roomForm.getByRole("button", { name: "Add room" }).click();
    await expect.poll(() => page.locator("h3:text-is('Rooms') + ul > li").allTextContents(), POLL).toEqual([`${TEJO} (40 places) · ProjectorRemove ${TEJO}`, `${DOURO} (20 places)Remove ${DOURO}`]);

    // Two slots, on two days, given in the convening's local time.
    const slotForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Add slot" }) });
    await slotForm.getByLabel("Day").selectOption({ label: DAY1 });
    await slotForm.getByLabel("Start time").fill("09:30");
    await expect.poll(() => slotForm.getByLabel("Length in minutes").inputValue(), POLL).toBe("90");
    await slotForm.getByRole("button", { name: "Add slot" }).click();
    await notice(page, "Slot added.");
    await expect.poll(() => page.locator("h3:text-is('Time slots') + ul > li").allTextContents(), POLL).toEqual([`${SLOT1} · 90 minutesRemove ${SLOT1}`]);
    await slotForm.getByLabel("Day").selectOption({ label: DAY2 });
    await slotForm.getByLabel("Start time").fill("14:00");
    await slotForm.getByRole("button", { name: "Add slot" }).click();
    await expect.poll(() => page.locator("h3:text-is('Time slots') + ul > li").allTextContents(), POLL).toEqual([`${SLOT1} · 90 minutesRemove ${SLOT1}`, `${SLOT2} · 90 minutesRemove ${SLOT2}`]);
    expect(await db.selectFrom("rooms").select(["name", "capacity", "features", "position"]).where("convening_id", "=", conveningId).orderBy("id").execute()).toEqual([
      { name: TEJO, capacity: 40, features: '["projector"]', position: 0 },
      { name: DOURO, capacity: 20, features: "[]", position: 1 },
    ]);
    expect(await db.selectFrom("slots").select(["convening_id", "starts_at", "minutes"]).where("convening_id", "=", conveningId).orderBy("id").execute()).toEqual([
      { convening_id: conveningId, starts_at: "2027-06-01T08:30:00.000Z", minutes: 90 },
      { convening_id: conveningId, starts_at: "2027-06-02T13:00:00.000Z", minutes: 90 },
    ]);
    await expectAccessible(page);

    // The plain form places a session; the grid shows it in its cell.
    await placeByForm(page, S1, SLOT1, `${TEJO} (40 places)`);
    await notice(page, "Placed.");
    await expect.poll(() => grid(page), POLL).toEqual([
      { day: DAY1, rooms: [TEJO, DOURO], rows: [[SLOT1, S1, ""]] },
      { day: DAY2, rooms: [TEJO, DOURO], rows: [[SLOT2, "", ""]] },
    ]);
    await visible(page.getByRole("heading", { level: 2, name: "3 accepted sessions not placed" }));
    await expectAccessible(page);
    const [tejo, douro, slot1, slot2] = [await roomId(TEJO), await roomId(DOURO), await slotId("2027-06-01T08:30:00.000Z"), await slotId("2027-06-02T13:00:00.000Z")];
    expect(await placements()).toEqual([{ proposal_id: ids[S1], slot_id: slot1, room_id: tejo, pinned: 0 }]);

    // Without JavaScript, the same form works as a plain POST. (axe cannot run where scripts are
    // off, so the page this answer shows is checked again in the first context, with scripts.)
    const plain = await signedInPage(organizer, false);
    await openAgenda(plain.page, false);
    await placeByForm(plain.page, S2, SLOT2, `${DOURO} (20 places)`);
    await visible(plain.page.getByText("Placed.", { exact: true }));
    const afterPlain = [
      { day: DAY1, rooms: [TEJO, DOURO], rows: [[SLOT1, S1, ""]] },
      { day: DAY2, rooms: [TEJO, DOURO], rows: [[SLOT2, "", S2]] },
    ];
    await expect.poll(() => grid(plain.page), POLL).toEqual(afterPlain);
    await expect.poll(() => plain.page.getByRole("heading", { level: 2, name: "2 accepted sessions not placed" }).count(), POLL).toBe(1);
    await openAgenda(page);
    await expect.poll(() => grid(page), POLL).toEqual(afterPlain);
    await expectAccessible(page);
    expect(await placements()).toEqual([
      { proposal_id: ids[S1], slot_id: slot1, room_id: tejo, pinned: 0 },
      { proposal_id: ids[S2], slot_id: slot2, room_id: douro, pinned: 0 },
    ]);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows hard conflicts in red and attendee clashes in amber", async () => {
    // As the first test leaves it: S1 in Tejo in the first slot, S2 in Douro in the second.
    await setUp([[S1, 0, TEJO], [S2, 1, DOURO]]);
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    await expect.poll(() => conflictLines(page, "hard"), POLL).toEqual([]);
    await expect.poll(() => figure(page, "Current agenda", "Hard conflicts"), POLL).toBe("0");

    // Two sessions in one room at one time: one hard conflict naming both.
    await placeByForm(page, S2, SLOT1, `${TEJO} (40 places)`);
    await notice(page, "Placed.");
    await expect.poll(() => conflictLines(page, "hard"), POLL).toEqual([`${TEJO} is used twice at ${SLOT1}: ${S1}, ${S2}`]);
    await expect.poll(() => figure(page, "Current agenda", "Hard conflicts"), POLL).toBe("1");
    // The 3 people who marked both sessions cannot attend both.
    await expect.poll(() => conflictLines(page, "soft"), POLL).toEqual([`3 people want both ${S1} and ${S2} (${SLOT1})`]);
    await expect.poll(() => figure(page, "Current agenda", "Attendee clashes"), POLL).toBe("3");
    await expect.poll(() => figure(page, "Attendee clashes by constituency", "Not given"), POLL).toBe("3");
    await expect.poll(() => figure(page, "Attendee clashes by constituency", "Lost sessions (wanted but at the same time)"), POLL).toBe("3");
    for (const title of [S1, S2]) {
      await expect.poll(() => page.locator(".placed").filter({ hasText: title }).locator(".muted").textContent(), POLL).toBe("90 minutes · hard conflict");
    }
    await expect.poll(() => page.locator("li.conflict--hard").evaluate((li) => getComputedStyle(li).color), POLL).toBe("rgb(164, 22, 26)");
    await expect.poll(() => page.locator("li.conflict--soft").evaluate((li) => getComputedStyle(li).color), POLL).toBe("rgb(122, 77, 0)");
    await expect.poll(() => grid(page), POLL).toEqual([
      { day: DAY1, rooms: [TEJO, DOURO], rows: [[SLOT1, `${S1} + ${S2}`, ""]] },
      { day: DAY2, rooms: [TEJO, DOURO], rows: [[SLOT2, "", ""]] },
    ]);
    await expectAccessible(page);

    // A session that needs a projector, in a room without one.
    await placeByForm(page, S3, SLOT2, `${DOURO} (20 places)`);
    await expect.poll(() => conflictLines(page, "hard"), POLL).toEqual([`${S3} needs Projector, which ${DOURO} does not have`, `${TEJO} is used twice at ${SLOT1}: ${S1}, ${S2}`]);
    await expect.poll(() => figure(page, "Current agenda", "Hard conflicts"), POLL).toBe("2");
    await expect.poll(() => page.locator(".placed").filter({ hasText: S3 }).locator(".muted").textContent(), POLL).toBe("60 minutes · hard conflict");
    await visible(page.getByRole("heading", { level: 2, name: "1 accepted session not placed" }));
    await expectAccessible(page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("suggests a schedule without conflicts, keeps pinned sessions where they are, and accepts it", async () => {
    // With the conflicts of the test before: S1 and S2 in Tejo at once, S3 (projector) in Douro.
    await setUp([[S1, 0, TEJO], [S2, 0, TEJO], [S3, 1, DOURO]]);
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    const [tejo, douro, slot1, slot2] = [await roomId(TEJO), await roomId(DOURO), await slotId("2027-06-01T08:30:00.000Z"), await slotId("2027-06-02T13:00:00.000Z")];

    await page.locator(".placed").filter({ hasText: S1 }).getByRole("button", { name: "Pin", exact: true }).click();
    await notice(page, "Pinned: the scheduler will keep it there.");
    await expect.poll(() => page.locator(".placed").filter({ hasText: S1 }).locator(".muted").textContent(), POLL).toBe("90 minutes · pinned · hard conflict");
    expect(await placements()).toContainEqual({ proposal_id: ids[S1], slot_id: slot1, room_id: tejo, pinned: 1 });
    await expect.poll(() => page.getByRole("button", { name: "Accept the suggestion" }).count(), POLL).toBe(0);

    // The suggestion runs as a job on its own page; the agenda page shows its figures once it is ready.
    await page.getByRole("button", { name: "Suggest a schedule" }).click();
    await notice(page, "The suggestion is ready. Look at the moves, then accept or discard it.");
    await page.getByRole("link", { name: "Back to the agenda" }).click();
    const figures = (caption: string) =>
      Promise.all(["Hard conflicts", "Attendee clashes", "People over room capacity", "Same-track overlaps"].map((row) => figure(page, caption, row)));
    await expect.poll(() => figures("Current agenda"), POLL).toEqual(["2", "3", "0", "0"]);
    await expect.poll(() => figures("Suggestion"), POLL).toEqual(["0", "0", "0", "0"]);
    await expectAccessible(page);

    await page.getByRole("link", { name: "A suggestion is ready: see its moves" }).click();
    await page.getByRole("button", { name: "Accept the suggestion" }).click();
    await notice(page, "Accepted: the agenda now follows this suggestion. See it on the grid.");
    await page.getByRole("link", { name: "See it on the grid." }).click();
    await expect.poll(() => figure(page, "Current agenda", "Hard conflicts"), POLL).toBe("0");
    await expect.poll(() => figures("Current agenda"), POLL).toEqual(["0", "0", "0", "0"]);
    await expect.poll(() => page.locator("caption", { hasText: /^Suggestion$/ }).count(), POLL).toBe(0);
    await visible(page.getByRole("heading", { level: 2, name: "0 accepted sessions not placed" }));
    await expect.poll(() => page.locator("#conflicts-heading + p").textContent(), POLL).toBe("No conflicts.");
    await expect.poll(() => conflictLines(page, "hard"), POLL).toEqual([]);
    await expect.poll(() => conflictLines(page, "soft"), POLL).toEqual([]);
    // The pinned session stayed; the projector session went to the room with one; the two
    // sessions the same people want are at different times.
    await expect.poll(() => grid(page), POLL).toEqual([
      { day: DAY1, rooms: [TEJO, DOURO], rows: [[SLOT1, S1, S4]] },
      { day: DAY2, rooms: [TEJO, DOURO], rows: [[SLOT2, S3, S2]] },
    ]);
    expect(await placements()).toEqual([
      { proposal_id: ids[S1], slot_id: slot1, room_id: tejo, pinned: 1 },
      { proposal_id: ids[S2], slot_id: slot2, room_id: douro, pinned: 0 },
      { proposal_id: ids[S3], slot_id: slot2, room_id: tejo, pinned: 0 },
      { proposal_id: ids[S4], slot_id: slot1, room_id: douro, pinned: 0 },
    ]);
    expect(await db.selectFrom("suggestion_jobs").select("status").where("convening_id", "=", conveningId).execute()).toEqual([{ status: "accepted" }]);
    await expectAccessible(page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("publishes numbered versions with a changelog, sequence numbers and mail to the people concerned", async () => {
    // The suggestion the test before accepts: S1 (pinned) and S4 in the first slot, S3 and S2 in the second.
    await setUp([[S1, 0, TEJO, true], [S2, 1, DOURO], [S3, 1, TEJO], [S4, 0, DOURO]]);
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    const NOTE = "Rooms are on the ground floor; interpretation desks are in Sala Tejo.";
    await page.getByLabel("Note for this version").fill(NOTE);
    await page.getByRole("button", { name: "Publish as version 1" }).click();
    await notice(page, "Version 1 is published; 8 people will be told about changes to their sessions.");
    await visible(page.getByRole("button", { name: "Publish as version 2" }));
    const versions = () => db.selectFrom("agenda_versions").select(["id", "number", "note", "published_by"]).where("convening_id", "=", conveningId).orderBy("number").execute();
    const [v1] = await versions();
    expect(await versions()).toEqual([{ id: v1!.id, number: 1, note: NOTE, published_by: organizer }]);
    await expect.poll(() => page.locator("details.panel summary").allTextContents(), POLL).toEqual(["Version 1: 4 changes"]);
    await expect.poll(() => page.locator("details.panel li").allTextContents(), POLL).toEqual([`Added: ${S1}`, `Added: ${S4}`, `Added: ${S3}`, `Added: ${S2}`]);
    await expectAccessible(page);

    // Everyone registered who marked or facilitates a session hears once; Eli marked nothing.
    const published = `The agenda of ${CONVENING} is published`;
    const everyone = ["ash", "bea", "cai", "dev", "pia", "ren", "tove", "uma"].map((n) => mail[n]!);
    expect(await waitForMails(published, 8)).toEqual(everyone);
    expect(await queued(published)).toEqual(everyone);
    const ashMail = smtp.messages.find((m) => m.subject === published && (m.to as AddressObject).text === mail.ash)!;
    expect(ashMail.text).toContain(`Hello Ash,\n\nThe agenda of ${CONVENING} is published. Your sessions:`);
    expect(ashMail.text).toContain(`${S1}: ${SLOT1}, ${TEJO}`);
    expect(ashMail.text).toContain(`${S2}: ${SLOT2}, ${DOURO}`);
    expect(ashMail.text).not.toContain(S4);

    // The public agenda, signed out: by day, in the convening's zone, facilitators by their public names.
    const visitor = await openPage(browser);
    opened.push(visitor);
    const publicAgenda = async () => {
      await visitor.page.goto(`${app.url}/convenings/${slug}/agenda`);
      await waitForHydration(visitor.page);
      await visible(visitor.page.getByRole("heading", { level: 1, name: "Agenda" }));
      return visitor.page.locator("main section").evaluateAll((sections) =>
        sections.map((section) => ({
          day: section.querySelector("h2")!.textContent,
          items: [...section.querySelectorAll("li.agenda-item")].map((li) => [
            li.querySelector(".agenda-item__time")!.textContent,
            li.querySelector("h3")!.textContent,
            [...li.querySelectorAll("p")].find((p) => p.textContent!.startsWith("With "))?.textContent ?? null,
          ]),
        })),
      );
    };
    const firstDays = [
      { day: DAY1, items: [["09:30–10:30 · Sala Douro", S4, "With Uma"], ["09:30–11:00 · Sala Tejo", S1, "With Pia"]] },
      { day: DAY2, items: [["14:00–15:30 · Sala Douro", S2, "With Ren"], ["14:00–15:00 · Sala Tejo", S3, "With Tove"]] },
    ];
    expect(await publicAgenda()).toEqual(firstDays);
    const publishedAt = (await db.selectFrom("agenda_versions").select("published_at").where("id", "=", v1!.id).executeTakeFirstOrThrow()).published_at;
    await expect.poll(() => visitor.page.locator("main h1 + p.muted").textContent(), POLL).toBe(`Version 1, published ${formatInstant(publishedAt, ZONE, "en-GB")}. Times are in ${ZONE}.`);
    await expect.poll(() => visitor.page.getByText(NOTE, { exact: true }).count(), POLL).toBe(1);
    await expect.poll(() => visitor.page.locator("details").count(), POLL).toBe(0);
    const html = await visitor.page.content();
    for (const secret of [...FULL_NAMES, "@example.org"]) expect(html).not.toContain(secret);
    await expectAccessible(visitor.page);

    // Move one session to a third slot (added through the domain function) and publish version 2.
    await addSlot(db, { conveningId, organizerId: organizer, date: "2027-06-03", time: "10:00", minutes: 90 });
    await openAgenda(page);
    await placeByForm(page, S4, SLOT3, `${DOURO} (20 places)`);
    await notice(page, "Placed.");
    await page.getByRole("button", { name: "Publish as version 2" }).click();
    await notice(page, "Version 2 is published; 2 people will be told about changes to their sessions.");
    await expect.poll(() => page.locator("details.panel summary").allTextContents(), POLL).toEqual(["Version 2: 1 change", "Version 1: 4 changes"]);
    await expect.poll(() => page.locator("details.panel").first().locator("li").allTextContents(), POLL).toEqual([`Moved: ${S4}`]);
    await expectAccessible(page);
    const changed2 = `The agenda of ${CONVENING} has changed (version 2)`;
    expect(await waitForMails(changed2, 2)).toEqual([mail.dev, mail.uma]);
    expect(await queued(changed2)).toEqual([mail.dev, mail.uma]);
    const devMail = smtp.messages.find((m) => m.subject === changed2 && (m.to as AddressObject).text === mail.dev)!;
    expect(devMail.text).toContain(`A new version of the agenda of ${CONVENING} changes sessions you marked or facilitate:`);
    expect(devMail.text).toContain(`${S4} moves to ${SLOT3}, ${DOURO}`);

    expect(await publicAgenda()).toEqual([
      { day: DAY1, items: [["09:30–11:00 · Sala Tejo", S1, "With Pia"]] },
      firstDays[1],
      { day: DAY3, items: [["10:00–11:00 · Sala Douro", S4, "With Uma"]] },
    ]);
    await expect.poll(() => visitor.page.locator("details summary").textContent(), POLL).toBe("1 change in this version");
    await expect.poll(() => visitor.page.locator("details li").allTextContents(), POLL).toEqual([`Moved: ${S4}`]);
    await expectAccessible(visitor.page);

    const entriesOf = (proposalId: number) =>
      db
        .selectFrom("agenda_entries")
        .innerJoin("agenda_versions", "agenda_versions.id", "agenda_entries.version_id")
        .select(["agenda_versions.number", "agenda_entries.starts_at", "agenda_entries.room_name", "agenda_entries.sequence", "agenda_entries.status"])
        .where("agenda_entries.proposal_id", "=", proposalId)
        .orderBy("agenda_versions.number")
        .execute();
    expect(await entriesOf(ids[S4]!)).toEqual([
      { number: 1, starts_at: "2027-06-01T08:30:00.000Z", room_name: DOURO, sequence: 0, status: "confirmed" },
      { number: 2, starts_at: "2027-06-03T09:00:00.000Z", room_name: DOURO, sequence: 1, status: "confirmed" },
    ]);
    expect(await entriesOf(ids[S1]!)).toEqual([
      { number: 1, starts_at: "2027-06-01T08:30:00.000Z", room_name: TEJO, sequence: 0, status: "confirmed" },
      { number: 2, starts_at: "2027-06-01T08:30:00.000Z", room_name: TEJO, sequence: 0, status: "confirmed" },
    ]);

    // Unplace it and publish version 3: it stays as a cancelled entry with a higher sequence.
    await page.locator(".placed").filter({ hasText: S4 }).getByRole("button", { name: "Unplace" }).click();
    await notice(page, "Unplaced.");
    await visible(page.getByRole("heading", { level: 2, name: "1 accepted session not placed" }));
    await page.getByRole("button", { name: "Publish as version 3" }).click();
    await notice(page, "Version 3 is published; 2 people will be told about changes to their sessions.");
    await expect.poll(() => page.locator("details.panel").first().locator("li").allTextContents(), POLL).toEqual([`Cancelled: ${S4}`]);
    await expectAccessible(page);
    expect((await entriesOf(ids[S4]!))[2]).toEqual({ number: 3, starts_at: "2027-06-03T09:00:00.000Z", room_name: DOURO, sequence: 2, status: "cancelled" });
    expect((await versions()).map((v) => v.number)).toEqual([1, 2, 3]);
    const changed3 = `The agenda of ${CONVENING} has changed (version 3)`;
    expect(await waitForMails(changed3, 2)).toEqual([mail.dev, mail.uma]);
    expect(await queued(changed3)).toEqual([mail.dev, mail.uma]);
    expect(smtp.messages.find((m) => m.subject === changed3 && (m.to as AddressObject).text === mail.dev)!.text).toContain(`${S4} is cancelled`);
    expect(await publicAgenda()).toEqual([{ day: DAY1, items: [["09:30–11:00 · Sala Tejo", S1, "With Pia"]] }, firstDays[1]]);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows each participant their own agenda, with sessions at the same time flagged", async () => {
    // The three versions the publishing test makes.
    await publishedThrice();
    // Move S2 next to S1, which Ash marked too, and publish.
    const { page } = await signedInPage(organizer);
    await openAgenda(page);
    await placeByForm(page, S2, SLOT1, `${DOURO} (20 places)`);
    await notice(page, "Placed.");
    await page.getByRole("button", { name: "Publish as version 4" }).click();
    await notice(page, "Version 4 is published; 4 people will be told about changes to their sessions.");

    const mine = await signedInPage(ash);
    await mine.page.goto(`${app.url}/convenings/${slug}/my-agenda`);
    await waitForHydration(mine.page);
    await visible(mine.page.getByRole("heading", { level: 1, name: "Your agenda" }));
    await expect.poll(() => mine.page.getByText(`Times are in ${ZONE}.`).count(), POLL).toBe(1);
    const items = () =>
      mine.page.locator("li.agenda-item").evaluateAll((lis) =>
        lis.map((li) => [li.className, li.querySelector(".agenda-item__time")!.textContent, li.querySelector("h2")!.textContent, li.querySelector(".notice--warn")?.textContent ?? null]),
      );
    await expect.poll(items, POLL).toEqual([
      ["agenda-item agenda-item--clash", `${SLOT1} · ${DOURO}`, S2, `At the same time as: ${S1}`],
      ["agenda-item agenda-item--clash", `${SLOT1} · ${TEJO}`, S1, `At the same time as: ${S2}`],
    ]);
    await expectAccessible(mine.page);

    const nobody = await signedInPage(eli);
    await nobody.page.goto(`${app.url}/convenings/${slug}/my-agenda`);
    await waitForHydration(nobody.page);
    await visible(nobody.page.getByRole("heading", { level: 1, name: "Your agenda" }));
    await expect.poll(() => nobody.page.locator("main p", { hasText: "None of your marked sessions" }).textContent(), POLL).toBe("None of your marked sessions is on the agenda yet. Sessions");
    await expect.poll(() => nobody.page.locator("li.agenda-item").count(), POLL).toBe(0);
    await expectAccessible(nobody.page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("refuses bad input sent by hand, and changes nothing", async () => {
    // The four versions the tests before make, and three slots.
    await publishedThrice(true);
    const org = await client(organizer, `/organize/${slug}/agenda`);
    const slotRows = () => db.selectFrom("slots").select(["id", "starts_at", "minutes"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    const slotsBefore = await slotRows();
    expect(slotsBefore).toHaveLength(3);

    // Slots may not overlap, and lie within the convening's dates.
    const overlapping = await post(org, [["intent", "add-slot"], ["date", "2027-06-01"], ["time", "10:00"], ["minutes", "60"]]);
    expect(overlapping.status).toBe(409);
    expect(overlapping.notice).toBe("This slot overlaps another slot. Two sessions at the same time go in different rooms of one slot.");
    for (const date of ["2027-05-31", "2027-06-04"]) {
      const outside = await post(org, [["intent", "add-slot"], ["date", date], ["time", "10:00"], ["minutes", "60"]]);
      expect(outside.status, date).toBe(400);
      expect(outside.notice).toBe("The date must be within the convening's dates.");
    }
    expect(await slotRows()).toEqual(slotsBefore);
    // A slot that starts when another ends does not overlap it.
    const adjacent = await post(org, [["intent", "add-slot"], ["date", "2027-06-01"], ["time", "11:00"], ["minutes", "60"]]);
    expect(adjacent.status).toBe(200);
    expect(adjacent.notice).toBe("Slot added.");
    expect((await slotRows()).map((s) => s.starts_at)).toEqual([...slotsBefore.map((s) => s.starts_at), "2027-06-01T10:00:00.000Z"]);

    // Only accepted sessions, in this convening's slots.
    const declinedId = await propose(eli, DECLINED, "Trafficking", 60, "declined");
    const placedBefore = await placements();
    const [tejo, slot1] = [await roomId(TEJO), slotsBefore[0]!.id];
    const declined = await post(org, [["intent", "place"], ["proposal", String(declinedId)], ["slot", String(slot1)], ["room", String(tejo)]]);
    expect(declined.status).toBe(409);
    expect(declined.notice).toBe("Only accepted sessions can be placed; this one is not accepted.");
    const unknownSlot = await post(org, [["intent", "place"], ["proposal", String(ids[S4])], ["slot", "999999"], ["room", String(tejo)]]);
    expect(unknownSlot.status).toBe(400);
    expect(unknownSlot.notice).toBe("Choose a slot of this convening.");
    expect(await placements()).toEqual(placedBefore);

    // A participant may not touch the agenda at all.
    const participant = await client(ash, `/convenings/${slug}/my-agenda`);
    const intruder = await post(participant, [["intent", "place"], ["proposal", String(ids[S4])], ["slot", String(slot1)], ["room", String(tejo)]]);
    expect(intruder.status).toBe(403);
    expect(intruder.html).toContain("You do not have permission to open this page.");
    const intruderPublish = await post(participant, [["intent", "publish"], ["note", ""]]);
    expect(intruderPublish.status).toBe(403);
    expect(await placements()).toEqual(placedBefore);

    // Publishing is refused while a placed session has a facilitator who is not registered.
    const unregisteredId = await propose(finn, UNREGISTERED, "LGBTQ rights", 60, "accepted");
    expect(await db.selectFrom("proposals").select("status").where("id", "=", unregisteredId).executeTakeFirstOrThrow()).toEqual({ status: "accepted" });
    const placed = await post(org, [["intent", "place"], ["proposal", String(unregisteredId)], ["slot", String(slotsBefore[2]!.id)], ["room", String(tejo)]]);
    expect(placed.status).toBe(200);
    expect(placed.notice).toBe("Placed.");
    const counts = async () =>
      Promise.all((["agenda_versions", "agenda_entries", "mail_outbox"] as const).map(async (table) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n)));
    const countsBefore = await counts();
    const refused = await post(org, [["intent", "publish"], ["note", "Should not appear"]]);
    expect(refused.status).toBe(409);
    expect(refused.notice).toBe(
      `The agenda was not published: some placed sessions are waiting for their facilitators. ${FULL_NAMES[9]} (${UNREGISTERED}): not registered. Every facilitator must hold a confirmed registration first. No mail was queued.`,
    );
    expect(await counts()).toEqual(countsBefore);
    expect((await db.selectFrom("agenda_versions").select("number").where("convening_id", "=", conveningId).orderBy("number").execute()).map((v) => v.number)).toEqual([1, 2, 3, 4]);
  });
});
