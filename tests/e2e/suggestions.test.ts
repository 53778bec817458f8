// "Suggest" off the request path, end to end against the built server: the scheduler runs in a
// worker thread as a queued job while other pages keep answering; the page shows its progress
// (polling with JavaScript, refreshing itself without), stops early, lists the moves against the
// published version, and accepts them onto the grid; a second start is refused; the result
// survives a reload and a restart, and a job a stopped server left behind says so.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateConvening } from "../../bench/load-data";
import { formatInstant } from "../../app/lib/format";
import { setUnavailability } from "../../app/modules/agenda/setup.server";
import { getSuggestion } from "../../app/modules/agenda/suggestions.server";
import { setInterest } from "../../app/modules/proposals/sessions.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { agenda, convening, participant, proposal, unique } from "../factories";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { signInAs } from "../setup/flows";

const ZONE = "Europe/Lisbon";
const LOCALE = "en-GB";
const POLL = { timeout: 30_000, interval: 100 };
const NOW = new Date("2027-02-01T12:00:00Z");

describe("suggestions off the request path", () => {
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  let organizerId: number;
  let large: { slug: string; conveningId: number; title: string };
  const opened: WatchedPage[] = [];
  const restarted: RunningApp[] = [];

  async function organizerPage(javaScript: boolean, url = app.url, viewport?: { width: number; height: number }): Promise<Page> {
    const watched = await openPage(browser, { javaScript, viewport });
    opened.push(watched);
    await signInAs(watched.context, db, url, organizerId);
    return watched.page;
  }
  /** The page's first notice, read as the page is now (it may be reloading itself). */
  const notice = async (page: Page) => (await page.locator("main p.notice").allTextContents().catch(() => []))[0] ?? null;
  const statusOf = async (conveningId: number, id: number) => (await getSuggestion(db, conveningId, id))?.status;
  const jobOf = (page: Page) => Number(new URL(page.url()).searchParams.get("job"));

  /** The moves table as the page shows it: session, from, to. */
  const movesShown = (page: Page) =>
    page.locator("table.moves tbody tr").evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? "")));

  /** The moves the database holds for a job, in the page's words, sorted by title as the page does. */
  async function movesExpected(conveningId: number, id: number): Promise<string[][]> {
    const job = (await getSuggestion(db, conveningId, id))!;
    const [slots, rooms, sessions] = await Promise.all([
      db.selectFrom("slots").select(["id", "starts_at"]).where("convening_id", "=", conveningId).execute(),
      db.selectFrom("rooms").select(["id", "name"]).where("convening_id", "=", conveningId).execute(),
      db.selectFrom("proposals").select(["id", "title"]).where("convening_id", "=", conveningId).execute(),
    ]);
    const label = (p: { slotId: number; roomId: number } | null, none: string) =>
      p ? `${formatInstant(slots.find((s) => s.id === p.slotId)!.starts_at, ZONE, LOCALE)}, ${rooms.find((r) => r.id === p.roomId)!.name}` : none;
    return job
      .result!.moves.map((m) => [sessions.find((s) => s.id === m.proposalId)!.title, label(m.from, "Newly placed"), label(m.to, "Off the agenda")])
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
  }

  beforeAll(async () => {
    app = await startApp({ env: { JOBS: "off" } });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    // The load benchmark's convening with its 1,000 sessions and a published agenda (2,000 of its
    // participants: their marks weigh in the search, their number does not change what the page
    // shows). Its fresh schedule searches far longer than this test takes to stop it.
    const fixture = await generateConvening(db, { participants: 2_000, sessions: 1_000, actionItems: 20 }, { newcomers: 0, signedInParticipants: 0, slug: `suggest-${unique()}` });
    organizerId = (await db.selectFrom("people").select("id").where("email", "=", "organizer@load.example.org").executeTakeFirstOrThrow()).id;
    const { title } = await db.selectFrom("convenings").select("title").where("id", "=", fixture.conveningId).executeTakeFirstOrThrow();
    large = { slug: fixture.slug, conveningId: fixture.conveningId, title };
  });

  afterAll(async () => {
    await Promise.all(opened.map((w) => w.context.close()));
    await browser?.close();
    await db?.destroy();
    for (const other of restarted) {
      if (other.process.exitCode !== null) continue;
      const exited = new Promise((resolve) => other.process.once("exit", resolve));
      other.process.kill("SIGTERM");
      await exited;
    }
    await app?.stop();
  });

  it("runs a fresh suggestion of a large convening in a worker while pages answer; stops early, lists the moves, accepts them onto the grid (with JavaScript)", async () => {
    const page = await organizerPage(true);
    await page.goto(`${app.url}/organize/${large.slug}/agenda`);
    await waitForHydration(page);
    // A version is published, so keeping it is the default.
    expect(await page.getByLabel("Keep the published agenda: move a published session only when a rule forces it").isChecked()).toBe(true);
    await page.getByLabel("A fresh schedule: place every session anew").check();
    await page.getByLabel("Search for at most").selectOption("300");
    await page.getByRole("button", { name: "Suggest a schedule" }).click();
    await page.waitForURL(/\/agenda\/suggest\?job=\d+$/);
    const id = jobOf(page);

    // Progress: the JSON resource the page polls moves the clock and brings the best figures.
    await expect.poll(() => page.getByTestId("suggestion-progress").textContent(), POLL).toMatch(/^Searching for [1-9]\d* s of 300 s; \d+ s left\.$/);
    await visible(page.locator("caption", { hasText: "Best figures so far" }), 30_000);
    await expectAccessible(page);

    // Meanwhile the server answers other pages, with their content.
    expect(await statusOf(large.conveningId, id)).toBe("running");
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    for (const [path, text] of [
      [`/convenings/${large.slug}`, large.title],
      [`/convenings/${large.slug}/agenda`, large.title],
      [`/organize/${large.slug}/agenda`, "A suggestion is being worked out: follow it"],
      ["/healthz", "ok"],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, { headers: { cookie } });
      expect([path, response.status]).toEqual([path, 200]);
      expect(await response.text()).toContain(text);
    }
    const json = await fetch(`${app.url}/organize/${large.slug}/agenda/suggest.json?job=${id}`, { headers: { cookie } });
    expect(await json.json()).toMatchObject({ id, status: "running", limitSeconds: 300 });
    expect(await statusOf(large.conveningId, id)).toBe("running");

    // A second start while it runs is refused, and links to the one running.
    const other = await organizerPage(true);
    await other.goto(`${app.url}/organize/${large.slug}/agenda`);
    await waitForHydration(other);
    await other.getByRole("button", { name: "Suggest a schedule" }).click();
    await expect.poll(() => notice(other), POLL).toBe("A suggestion is already running for this convening: wait for it or stop it first. See the suggestion that is running.");
    expect(await other.getByRole("link", { name: "See the suggestion that is running." }).getAttribute("href")).toBe(`/organize/${large.slug}/agenda/suggest?job=${id}`);
    expect(await db.selectFrom("suggestion_jobs").select("id").where("convening_id", "=", large.conveningId).execute()).toEqual([{ id }]);

    // Stop early: the best schedule so far is kept, and its moves are listed.
    await page.getByRole("button", { name: "Stop and keep the best so far" }).click();
    await expect.poll(() => notice(page), POLL).toBe("Stopped early: this is the best schedule found until then. Look at the moves, then accept or discard it.");
    expect(await statusOf(large.conveningId, id)).toBe("stopped");
    const expected = await movesExpected(large.conveningId, id);
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => movesShown(page), POLL).toEqual(expected);
    await visible(page.getByRole("heading", { level: 2, name: `${expected.length} sessions move` }));
    await expectAccessible(page);

    // A reload shows the same.
    await page.reload();
    await waitForHydration(page);
    expect(await movesShown(page)).toEqual(expected);

    // Accept: the working agenda is the suggestion's, and the grid shows it.
    await page.getByRole("button", { name: "Accept the suggestion" }).click();
    await expect.poll(() => notice(page), POLL).toBe("Accepted: the agenda now follows this suggestion. See it on the grid.");
    const job = (await getSuggestion(db, large.conveningId, id))!;
    const pinned = await db.selectFrom("placements").select("proposal_id").where("convening_id", "=", large.conveningId).where("pinned", "=", 1).execute();
    const unpinned = await db.selectFrom("placements").select(["proposal_id", "slot_id", "room_id"]).where("convening_id", "=", large.conveningId).where("pinned", "=", 0).orderBy("proposal_id").execute();
    const pinnedIds = new Set(pinned.map((p) => p.proposal_id));
    expect(unpinned).toEqual(job.result!.placements.filter((p) => !pinnedIds.has(p.proposalId)).map((p) => ({ proposal_id: p.proposalId, slot_id: p.slotId, room_id: p.roomId })).sort((a, b) => a.proposal_id - b.proposal_id));
    await page.getByRole("link", { name: "See it on the grid." }).click();
    await page.waitForURL(/\/agenda#grid-heading$/);
    // A session the suggestion moved is in its new slot's row.
    const move = job.result!.moves.find((m) => m.to !== null)!;
    const slot = await db.selectFrom("slots").select("starts_at").where("id", "=", move.to!.slotId).executeTakeFirstOrThrow();
    const { title: movedTitle } = await db.selectFrom("proposals").select("title").where("id", "=", move.proposalId).executeTakeFirstOrThrow();
    const row = page.locator("table.grid tr").filter({ has: page.getByRole("rowheader", { name: formatInstant(slot.starts_at, ZONE, LOCALE) }) });
    await expect.poll(() => row.first().textContent(), POLL).toContain(movedTitle);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  }, 180_000);

  it("re-solves a published agenda keeping it: only what must move moves, listed before accepting; a fresh one is offered (without JavaScript); the result survives a restart", async () => {
    // Hall (projector) and Small; a morning and an afternoon slot. Ana facilitates Alpha and
    // Gamma, Ben facilitates Beta, which needs the projector. Version 1 has Alpha in the morning
    // in the Hall, Beta (Hall) and Gamma (Small) in the afternoon. Then Ben cannot come in the
    // afternoon: Beta must move into the Hall in the morning, and Alpha out of it.
    const made = await convening(db, { slug: `keep-${unique()}`, title: "Keep Meeting", startsOn: "2027-06-14", endsOn: "2027-06-15", registration: {}, cfp: {}, organizerId });
    const people = {
      ana: await participant(db, made.id, { name: "Ana" }),
      ben: await participant(db, made.id, { name: "Ben" }),
      viewer: await participant(db, made.id, { name: "Viewer" }),
    };
    const session = async (title: string, proposerId: number, needs: Array<"projector"> = []) => (await proposal(db, { conveningId: made.id, proposerId, status: "accepted", now: NOW, answers: { title, needs } })).id;
    const alpha = await session("Alpha session", people.ana.id);
    const beta = await session("Beta session", people.ben.id, ["projector"]);
    const gamma = await session("Gamma session", people.ana.id);
    await setInterest(db, { conveningId: made.id, personId: people.viewer.id, proposalId: alpha, interested: true });
    await setInterest(db, { conveningId: made.id, personId: people.viewer.id, proposalId: gamma, interested: true });
    const setup = await agenda(db, {
      conveningId: made.id,
      organizerId,
      rooms: [{ name: "Hall", capacity: 50, features: ["projector"] }, { name: "Small", capacity: 10 }],
      slots: [{ date: "2027-06-14", time: "09:00", minutes: 90 }, { date: "2027-06-14", time: "14:00", minutes: 90 }],
      placements: [
        { proposalId: alpha, slot: 0, room: 0 },
        { proposalId: beta, slot: 1, room: 0 },
        { proposalId: gamma, slot: 1, room: 1 },
      ],
      publish: { now: NOW },
    });
    await setUnavailability(db, { conveningId: made.id, personId: people.ben.id, slotIds: [setup.slots[1]!] });

    // On a phone-sized screen.
    const page = await organizerPage(false, app.url, { width: 390, height: 844 });
    await page.goto(`${app.url}/organize/${made.slug}/agenda`);
    expect(await page.getByLabel("Keep the published agenda: move a published session only when a rule forces it").isChecked()).toBe(true);
    // The page that answers refreshes itself: the click does not wait for what it starts.
    await page.getByRole("button", { name: "Suggest a schedule" }).click({ noWaitAfter: true });
    await page.waitForURL(/\/agenda\/suggest\?job=\d+$/);
    // Without JavaScript the page refreshes itself until the suggestion is ready.
    await expect.poll(() => notice(page), POLL).toBe("The suggestion is ready. Look at the moves, then accept or discard it.");
    const id = jobOf(page);
    expect(await movesShown(page)).toEqual([
      ["Alpha session", "14 Jun 2027, 09:00, Hall", "14 Jun 2027, 09:00, Small"],
      ["Beta session", "14 Jun 2027, 14:00, Hall", "14 Jun 2027, 09:00, Hall"],
    ]);
    expect(await page.locator("p", { hasText: "Against the published version 1." }).count()).toBe(1);
    expect(await page.locator("table.figures").first().evaluate((t) => [...t.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent)))).toEqual([
      ["Hard conflicts", "1", "0"],
      ["Attendee clashes", "0", "0"],
      ["People over room capacity", "0", "0"],
      ["Same-track overlaps", "1", "1"],
    ]);
    // (axe needs JavaScript: the first test checks these pages with it.) Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // A restart of the server keeps the result.
    app.process.kill("SIGTERM");
    await new Promise((resolve) => app.process.once("exit", resolve));
    const again = await startApp({ databaseUrl: app.databaseUrl, env: { JOBS: "off" } });
    restarted.push(again);
    const after = await organizerPage(false, again.url);
    await after.goto(`${again.url}/organize/${made.slug}/agenda/suggest?job=${id}`);
    expect(await movesShown(after)).toEqual([
      ["Alpha session", "14 Jun 2027, 09:00, Hall", "14 Jun 2027, 09:00, Small"],
      ["Beta session", "14 Jun 2027, 14:00, Hall", "14 Jun 2027, 09:00, Hall"],
    ]);
    await after.getByRole("button", { name: "Accept the suggestion" }).click();
    await expect.poll(() => notice(after), POLL).toBe("Accepted: the agenda now follows this suggestion. See it on the grid.");
    expect(await db.selectFrom("placements").select(["proposal_id", "slot_id", "room_id"]).where("convening_id", "=", made.id).orderBy("proposal_id").execute()).toEqual([
      { proposal_id: alpha, slot_id: setup.slots[0], room_id: setup.rooms[1] },
      { proposal_id: beta, slot_id: setup.slots[0], room_id: setup.rooms[0] },
      { proposal_id: gamma, slot_id: setup.slots[1], room_id: setup.rooms[1] },
    ]);
    expect(await db.selectFrom("audit_log").select("action").where("convening_id", "=", made.id).where("action", "like", "agenda.suggestion%").orderBy("id").execute()).toEqual([
      { action: "agenda.suggestion_started" },
      { action: "agenda.suggestion_accepted" },
    ]);
    await after.getByRole("link", { name: "See it on the grid." }).click();
    await visible(after.getByRole("heading", { level: 2, name: "Grid" }));

    // A fresh schedule instead: asked for from the suggestion's page, and recorded so.
    await after.goto(`${again.url}/organize/${made.slug}/agenda/suggest`);
    await after.getByLabel("A fresh schedule: place every session anew").check();
    await after.getByRole("button", { name: "Suggest a schedule" }).click({ noWaitAfter: true });
    await after.waitForURL(/\/agenda\/suggest\?job=\d+$/);
    await expect.poll(() => notice(after), POLL).toMatch(/^The suggestion is ready\./);
    const fresh = (await getSuggestion(db, made.id, jobOf(after)))!;
    expect([fresh.keep, fresh.status]).toEqual([false, "done"]);
    expect(await after.locator("p", { hasText: "A fresh schedule." }).count()).toBe(1);
    expect(await movesShown(after)).toEqual(await movesExpected(made.id, fresh.id));
    await after.getByRole("button", { name: "Discard it" }).click();
    await expect.poll(() => notice(after), POLL).toBe("Discarded: the agenda stays as it was.");
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("stops a suggestion without JavaScript; fails one its server stopped while it ran, and says so after the restart", async () => {
    const server = restarted[0]!;
    const page = await organizerPage(false, server.url);
    await page.goto(`${server.url}/organize/${large.slug}/agenda/suggest`);
    await page.getByLabel("A fresh schedule: place every session anew").check();
    await page.getByLabel("Search for at most").selectOption("300");
    await page.getByRole("button", { name: "Suggest a schedule" }).click({ noWaitAfter: true });
    await page.waitForURL(/\/agenda\/suggest\?job=\d+$/);
    const stopped = jobOf(page);
    await expect.poll(async () => (await getSuggestion(db, large.conveningId, stopped))?.progress?.best ?? null, POLL).not.toBeNull();
    await page.getByRole("button", { name: "Stop and keep the best so far" }).click({ noWaitAfter: true });
    await expect.poll(() => notice(page), POLL).toBe("Stopped early: this is the best schedule found until then. Look at the moves, then accept or discard it.");
    expect(await movesShown(page)).toEqual(await movesExpected(large.conveningId, stopped));
    await page.getByRole("button", { name: "Discard it" }).click();
    await expect.poll(() => notice(page), POLL).toBe("Discarded: the agenda stays as it was.");

    await page.getByLabel("A fresh schedule: place every session anew").check();
    await page.getByLabel("Search for at most").selectOption("300");
    await page.getByRole("button", { name: "Suggest a schedule" }).click({ noWaitAfter: true });
    await page.waitForURL((url) => /^\d+$/.test(url.searchParams.get("job") ?? "") && url.searchParams.get("job") !== String(stopped));
    const id = jobOf(page);
    await expect.poll(() => statusOf(large.conveningId, id), POLL).toBe("running");
    server.process.kill("SIGTERM");
    await new Promise((resolve) => server.process.once("exit", resolve));
    expect((await getSuggestion(db, large.conveningId, id))!.error).toBe("interrupted");
    const next = await startApp({ databaseUrl: app.databaseUrl, env: { JOBS: "off" } });
    restarted.push(next);
    const after = await organizerPage(false, next.url);
    await after.goto(`${next.url}/organize/${large.slug}/agenda/suggest?job=${id}`);
    expect(await notice(after)).toBe("The server stopped while this suggestion ran, so it did not finish. Ask the scheduler again.");
    await visible(after.getByRole("button", { name: "Suggest a schedule" }));
  }, 120_000);
});
