// Vetting holds: only confirmed participants and organizers see the other participants, and only
// confirmed participants are seen. Two convenings run side by side in one server, one asking for
// approval and one not; in each, one person per registration status (none, pending, confirmed,
// waitlisted, declined, cancelled) fetches every page that shows people, as HTML and as its
// single-fetch `.data`, and the test asserts exactly which other people's names and addresses
// each response carries, the status, and the sentence shown. Then Chromium walks the pages as
// each blocked status (with and without JavaScript, axe on every page) and as a confirmed
// participant, who records an action item (again with and without JavaScript).
//
// Every person's strings carry a token: public name "Cora Zqcoraonpub", registered name
// "Cora Zqcoraonlist", full name "Cora Zqcoraonfull", address "zqcoraonmail@secret.example", so
// that a response can be read for who is in it, whatever the markup.
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSessionNote, createAction, postUpdate } from "../../app/modules/actions/items.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import type { RegistrationStatus } from "../../db/schema";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { agenda, convening, person, proposal, registration, type TestPerson } from "../factories";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration } from "../setup/browser";
import { DATABASE_KINDS, scriptModes } from "../setup/databases";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { httpClient } from "../setup/http";

const SHOTS = "/tmp/shots-vetting";
const DAY = 86_400_000;

type Approval = "on" | "off";
const APPROVALS: Approval[] = ["on", "off"];
/** The people whose view is checked: one per registration status ("none": signed in, not registered). */
type Subject = "none" | "pend" | "conf" | "wait" | "decl" | "canc";
const SUBJECTS: Subject[] = ["none", "pend", "conf", "wait", "decl", "canc"];
const STATUS_OF: Record<Subject, RegistrationStatus | null> = { none: null, pend: "pending", conf: "confirmed", wait: "waitlisted", decl: "declined", canc: "cancelled" };
/** Everyone else in a convening: Cora and Dara (confirmed, listed, facilitators), Enzo (confirmed, not listed). */
type Other = "cora" | "dara" | "enzo";
type Key = Subject | Other;
type Viewer = Key | "anonymous" | "organizer";
const VIEWERS: Viewer[] = ["anonymous", ...SUBJECTS, "cora", "organizer"];
const BLOCKED: Subject[] = ["none", "pend", "wait", "decl", "canc"];

/** The sentence the directory shows each blocked status. */
const DIRECTORY_SENTENCE: Record<Exclude<Subject, "conf">, string> = {
  none: "Only confirmed participants see who is taking part. You are not registered for this convening.",
  pend: "You will see the other participants once the organizers confirm your registration.",
  wait: "You will see the other participants once you get a place. You are on the waitlist for now.",
  decl: "Your registration was declined, so you cannot see the other participants.",
  canc: "You cancelled your registration, so you cannot see the other participants.",
};
/** The sentence a session page shows, in place of its notes and action items, to a registered person not confirmed. */
const OUTCOMES_SENTENCE: Partial<Record<Subject, string>> = {
  pend: "You will see this session&#x27;s notes and action items once the organizers confirm your registration.",
  wait: "You will see this session&#x27;s notes and action items once you get a place.",
  decl: "Your registration was declined, so you cannot see this session&#x27;s notes and action items.",
  canc: "You cancelled your registration, so you cannot see this session&#x27;s notes and action items.",
};

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const tag = (key: Key, approval: Approval) => `zq${key}${approval}`;
const names = (key: Key, approval: Approval) => ({
  public: `${cap(key)} Zq${key}${approval}pub`,
  listed: `${cap(key)} Zq${key}${approval}list`,
  full: `${cap(key)} Zq${key}${approval}full`,
  email: `${tag(key, approval)}mail@secret.example`,
});

/** Who appears in a response: "key:kind" for every token in it (kind: pub, list, full, mail), each once, sorted. */
function tokens(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/zq([a-z]+?)(on|off)(pub|list|full|mail)/gi)) found.add(`${m[1]!.toLowerCase()}${m[2]!.toLowerCase()}:${m[3]!.toLowerCase()}`);
  return [...found].sort();
}

/** HTML without the comments React puts between adjacent pieces of text. */
const text = (html: string) => html.replace(/<!-- -->/g, "");

/** The single-fetch address of a page's data (Remix 2 with v3_singleFetch): `/x` → `/x.data`. */
function dataUrl(url: string): string {
  const u = new URL(url, "http://x");
  u.pathname = `${u.pathname.replace(/\/$/, "")}.data`;
  return `${u.pathname}${u.search}`;
}

interface World {
  slug: string;
  conveningId: number;
  organizerId: number;
  people: Record<Key, TestPerson>;
  /** the accepted, published session Cora proposed with Dara: notes and an item owned by everyone */
  alder: number;
  /** Dara's submitted proposal, open early for interest */
  birch: number;
  /** each subject's own (declined) proposal, with Dara as accepted co-facilitator */
  own: Record<Subject, number>;
}

describe.each(DATABASE_KINDS)("vetting on %s", (kind) => {
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  const worlds = {} as Record<Approval, World>;
  const cookies = {} as Record<Approval, Record<Viewer, string | null>>;

  /** One convening with its people in their statuses, sessions, notes and an action item. */
  async function build(approval: Approval): Promise<World> {
    const now = Date.now();
    const organizerId = (await person(db, { name: "Organizing team" })).id;
    const made = await convening(db, {
      title: `Vetting ${approval}`,
      organizerId,
      registration: {},
      cfp: { opensAt: new Date(now - 40 * DAY).toISOString(), closesAt: new Date(now + 40 * DAY).toISOString(), interestOpen: true },
    });
    const settings = (approvalRequired: boolean, capacity: number | null) =>
      updateRegistrationSettings(db, { conveningId: made.id, organizerId, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity, approvalRequired });
    const people = {} as Record<Key, TestPerson>;
    for (const key of [...SUBJECTS, "cora", "dara", "enzo"] as Key[]) {
      const n = names(key, approval);
      people[key] = await person(db, { name: n.public, fullName: n.full, email: n.email, organization: `Org ${cap(key)}` });
    }
    const answers = (key: Key, attendance: "in_person" | "remote") => ({ displayName: names(key, approval).listed, attendance, consentDirectory: key !== "enzo", consentContact: key !== "dara" });
    const register = (key: Key, status: RegistrationStatus, attendance: "in_person" | "remote" = "remote") =>
      registration(db, { conveningId: made.id, personId: people[key].id, status, answers: answers(key, attendance) });

    if (approval === "on") {
      // Four in-person places, taken by the first four approved: the fifth approved waits.
      await settings(true, 4);
      for (const key of ["cora", "dara", "enzo", "conf"] as Key[]) await register(key, "confirmed", "in_person");
      await register("pend", "pending");
      await register("wait", "waitlisted", "in_person");
      await register("decl", "declined");
      await register("canc", "cancelled");
    } else {
      // Someone registered while approval was asked, then the organizers stopped asking: still waiting for them.
      await settings(true, null);
      await register("pend", "pending");
      await settings(false, 3);
      for (const key of ["cora", "dara", "enzo"] as Key[]) await register(key, "confirmed", "in_person");
      await register("conf", "confirmed");
      // The three in-person places are taken: the next in-person registration waits.
      await register("wait", "waitlisted", "in_person");
      await register("decl", "declined");
      await register("canc", "cancelled");
    }
    const statuses = await db.selectFrom("registrations").select(["person_id", "status"]).where("convening_id", "=", made.id).execute();
    const statusOf = new Map(statuses.map((r) => [r.person_id, r.status]));
    expect(SUBJECTS.map((s) => statusOf.get(people[s].id) ?? null)).toEqual(SUBJECTS.map((s) => STATUS_OF[s]));

    const alder = (await proposal(db, { conveningId: made.id, proposerId: people.cora.id, status: "accepted", facilitators: [people.dara.id], answers: { title: "Session Alder" } })).id;
    await agenda(db, { conveningId: made.id, rooms: [{ name: "Room One" }], slots: [{ date: "2027-06-01", time: "10:00" }], placements: [{ proposalId: alder, slot: 0, room: 0 }], publish: true });
    const birch = (await proposal(db, { conveningId: made.id, proposerId: people.dara.id, status: "submitted", answers: { title: "Session Birch" } })).id;
    const own = {} as Record<Subject, number>;
    for (const s of SUBJECTS) own[s] = (await proposal(db, { conveningId: made.id, proposerId: people[s].id, status: "declined", facilitators: [people.dara.id], answers: { title: `Own session ${s}` } })).id;

    await addSessionNote(db, { proposalId: alder, authorId: people.cora.id, text: "We agreed on a joint letter." });
    const item = await createAction(db, {
      conveningId: made.id,
      proposalId: alder,
      title: "Send the joint letter",
      dueOn: new Date(now + 60 * DAY).toISOString().slice(0, 10),
      owners: [{ personId: people.cora.id }, ...SUBJECTS.map((s) => ({ personId: people[s].id }))],
      visibility: "group",
      by: { id: organizerId, organizer: true },
    });
    await postUpdate(db, { actionId: item, by: { id: people.cora.id, organizer: false }, text: "First draft written", status: "in_progress" });
    return { slug: made.slug, conveningId: made.id, organizerId, people, alder, birch, own };
  }

  beforeAll(async () => {
    app = await startApp({ kind });
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    await serverJobsDone(db);
    for (const approval of APPROVALS) {
      const world = await build(approval);
      worlds[approval] = world;
      const jar = {} as Record<Viewer, string | null>;
      for (const viewer of VIEWERS) {
        const id = viewer === "anonymous" ? null : viewer === "organizer" ? world.organizerId : world.people[viewer].id;
        jar[viewer] = id === null ? null : (await httpClient(db, id)).cookie;
      }
      cookies[approval] = jar;
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  async function get(approval: Approval, viewer: Viewer, url: string) {
    const cookie = cookies[approval][viewer];
    const response = await fetch(`${app.url}${url}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    return { status: response.status, body: await response.text() };
  }

  /** The tokens of people other than the viewer in a response. */
  function others(approval: Approval, viewer: Viewer, body: string): string[] {
    const mine = viewer === "anonymous" || viewer === "organizer" ? null : tag(viewer, approval).slice(2);
    return tokens(body).filter((t) => t.split(":")[0] !== mine);
  }

  /** Tokens for keys and kinds, in this convening, sorted like `tokens`. */
  function expected(approval: Approval, list: Array<[Key, "pub" | "list" | "full" | "mail"]>): string[] {
    return list.map(([key, k]) => `${key}${approval}:${k}`).sort();
  }

  describe.each(APPROVALS)("with approval %s", (approval) => {
    const w = () => worlds[approval];
    const base = () => `/convenings/${w().slug}`;
    const vetted = (v: Viewer) => v === "conf" || v === "cora" || v === "organizer";
    /** Alder's facilitators, on its public page and the agenda: what anyone may see. */
    const PUBLIC: Array<[Key, "pub"]> = [
      ["cora", "pub"],
      ["dara", "pub"],
    ];

    it("shows the directory, with its addresses, to confirmed participants and organizers only, listing only confirmed people who agreed", async () => {
      for (const viewer of VIEWERS) {
        for (const url of [`${base()}/participants`, dataUrl(`${base()}/participants`)]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          if (viewer === "anonymous") {
            expect(url.endsWith(".data") ? status : [status], what).toEqual(url.endsWith(".data") ? 202 : [302]);
            expect(others(approval, viewer, body), what).toEqual([]);
            continue;
          }
          if (vetted(viewer)) {
            expect(status, what).toBe(200);
            // Cora (shares her address), Dara (does not), and the confirmed subject (shares): never Enzo (not listed) nor anyone not confirmed.
            const all: Array<[Key, "pub" | "list" | "full" | "mail"]> = [["cora", "list"], ["cora", "mail"], ["dara", "list"], ["conf", "list"], ["conf", "mail"]];
            expect(others(approval, viewer, body), what).toEqual(expected(approval, all.filter(([k]) => k !== viewer)));
            expect(body, what).not.toContain("You will see the other participants");
          } else {
            expect(status, what).toBe(403);
            expect(others(approval, viewer, body), what).toEqual([]);
            const subject = viewer as Exclude<Subject, "conf">;
            if (url.endsWith(".data")) expect(body, what).toContain({ none: "not_registered", pend: "awaiting_confirmation", wait: "waitlisted", decl: "declined", canc: "cancelled" }[subject]);
            else expect(body, what).toContain(DIRECTORY_SENTENCE[subject]);
          }
        }
      }
    });

    it("shows a session's notes and action items, with their owners and authors, to confirmed participants only, and tells the others when", async () => {
      for (const viewer of VIEWERS) {
        for (const url of [`${base()}/sessions/${w().alder}`, dataUrl(`${base()}/sessions/${w().alder}`)]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          expect(status, what).toBe(200);
          const seen = others(approval, viewer, body);
          if (viewer === "organizer") {
            // Organizers see every owner, listed or not, by their registered name; and may choose among every confirmed participant.
            expect(seen, what).toEqual(expected(approval, [["cora", "pub"], ["dara", "pub"], ["cora", "list"], ["pend", "list"], ["conf", "list"], ["wait", "list"], ["decl", "list"], ["canc", "list"], ["dara", "list"], ["enzo", "list"], ["none", "pub"]]));
          } else if (viewer === "cora") {
            // Cora facilitates: the owners she may see (the confirmed subject) and the people she may choose (Dara, the confirmed subject).
            expect(seen, what).toEqual(expected(approval, [["dara", "pub"], ["conf", "list"], ["dara", "list"]]));
          } else if (viewer === "conf") {
            expect(seen, what).toEqual(expected(approval, [...PUBLIC, ["cora", "list"]]));
          } else {
            expect(seen, what).toEqual(expected(approval, PUBLIC));
            expect(body, what).not.toContain("We agreed on a joint letter");
            expect(body, what).not.toContain("Send the joint letter");
          }
          if (vetted(viewer)) expect(body, what).toContain("Send the joint letter");
          const sentence = OUTCOMES_SENTENCE[viewer as Subject];
          if (sentence && !url.endsWith(".data")) expect(body, what).toContain(sentence);
          if (!sentence) expect(body, what).not.toContain("notes and action items once");
        }
      }
    });

    it("opens sessions early (which name their proposers) to confirmed participants only", async () => {
      for (const viewer of VIEWERS) {
        for (const url of [`${base()}/sessions/${w().birch}`, dataUrl(`${base()}/sessions/${w().birch}`)]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          if (vetted(viewer)) {
            expect(status, what).toBe(200);
            expect(others(approval, viewer, body), what).toEqual(expected(approval, [["dara", "pub"]]));
          } else {
            expect(status, what).toBe(404);
            expect(others(approval, viewer, body), what).toEqual([]);
          }
        }
        for (const url of [`${base()}/sessions`, dataUrl(`${base()}/sessions`)]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          expect(status, what).toBe(200);
          expect(body.includes("Session Birch"), what).toBe(vetted(viewer));
          expect(body, what).toContain("Session Alder");
          expect(others(approval, viewer, body), what).toEqual(expected(approval, PUBLIC.filter(([k]) => k !== viewer)));
        }
      }
    });

    it("shows a proposer not confirmed their co-facilitator only as the public would, and the confirmed one by name", async () => {
      for (const viewer of SUBJECTS) {
        for (const url of [`${base()}/proposals/${w().own[viewer]}`, dataUrl(`${base()}/proposals/${w().own[viewer]}`)]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          expect(status, what).toBe(200);
          expect(others(approval, viewer, body), what).toEqual(viewer === "conf" ? expected(approval, [["dara", "pub"]]) : []);
          if (!url.endsWith(".data")) expect(text(body).includes("<li>a facilitator — co-facilitator</li>"), what).toBe(viewer !== "conf");
        }
      }
    });

    it("names the authors of updates on one's own action items only to those confirmed", async () => {
      for (const viewer of SUBJECTS) {
        for (const url of ["/actions", dataUrl("/actions")]) {
          const { status, body } = await get(approval, viewer, url);
          const what = `${viewer} ${url}`;
          expect(status, what).toBe(200);
          expect(body, what).toContain("First draft written");
          expect(others(approval, viewer, body), what).toEqual(viewer === "conf" ? expected(approval, [["cora", "list"]]) : []);
          if (!url.endsWith(".data")) expect(text(body).includes("a participant: First draft written"), what).toBe(viewer !== "conf");
        }
      }
    });

    it("keeps the public agenda's facilitators public for everyone", async () => {
      for (const viewer of VIEWERS) {
        const { status, body } = await get(approval, viewer, `${base()}/agenda`);
        expect(status).toBe(200);
        expect(others(approval, viewer, body), viewer).toEqual(expected(approval, PUBLIC.filter(([k]) => k !== viewer)));
      }
    });

    it("offers organizers every confirmed participant as an owner, and nobody waiting, declined or cancelled", async () => {
      const { status, body } = await get(approval, "organizer", dataUrl(`/organize/${w().slug}/actions`));
      expect(status).toBe(200);
      const decoded = await decode(new Response(body).body!);
      await decoded.done;
      const route = (decoded.value as Record<string, { data?: { owners?: { people: Array<{ name: string }>; organizations: Array<{ name: string }> } } }>)["routes/organize.$slug.actions"];
      expect(route?.data?.owners?.people.map((p) => p.name)).toEqual(["conf", "cora", "dara", "enzo"].map((k) => names(k as Key, approval).listed));
      expect(route?.data?.owners?.organizations.map((o) => o.name)).toEqual(["Org Conf", "Org Cora", "Org Dara", "Org Enzo"]);
    });
  });

  // Scripts off, neither axe nor page.evaluate can run: axe checks the same pages with scripts on.
  const MODES = scriptModes(kind).map(({ javaScript, name }) => ({ javaScript, label: name }));

  it.each(BLOCKED)("tells %s in Chromium why the directory and outcomes are held, with and without JavaScript, on pages that pass axe", { timeout: 180_000 }, async (subject) => {
    for (const approval of APPROVALS) {
      const w = worlds[approval];
      const base = `${app.url}/convenings/${w.slug}`;
      for (const { javaScript, label } of MODES) {
        const what = `${subject}, approval ${approval}, ${label}`;
        const { page, context, errors, failedLoads } = await openPage(browser, { javaScript });
        await signInAs(context, db, app.url, w.people[subject].id);
        await page.goto(base);
        const link = page.getByRole("link", { name: "See who else is taking part" });
        // The convening page links the directory for anyone with a registration not cancelled.
        expect(await link.count(), what).toBe(subject === "none" || subject === "canc" ? 0 : 1);
        if (await link.count()) {
          if (javaScript) await waitForHydration(page);
          await link.click();
          await page.waitForURL(`${base}/participants`);
        } else {
          await page.goto(`${base}/participants`);
        }
        await visible(page.getByRole("heading", { level: 1, name: "Who is taking part" }));
        await visible(page.getByText(DIRECTORY_SENTENCE[subject as Exclude<Subject, "conf">]));
        await expect.poll(() => page.getByRole("heading", { level: 2 }).count(), SETTLED).toBe(0);
        expect(tokens(await page.content()).filter((t) => !t.startsWith(`${subject}${approval}:`)), what).toEqual([]);
        if (javaScript) await expectAccessible(page);
        if (subject === "pend" && javaScript && kind === "sqlite") {
          mkdirSync(SHOTS, { recursive: true });
          for (const width of [1280, 390]) {
            await page.setViewportSize({ width, height: 900 });
            await page.screenshot({ path: `${SHOTS}/directory-pending-approval-${approval}-${width}.png`, fullPage: true });
          }
          await page.setViewportSize({ width: 1280, height: 900 });
        }

        await page.goto(`${base}/sessions/${w.alder}`);
        await visible(page.getByRole("heading", { level: 1, name: "Session Alder" }));
        const sentence = OUTCOMES_SENTENCE[subject]?.replace(/&#x27;/g, "'");
        if (sentence) {
          await visible(page.getByRole("heading", { level: 2, name: "Outcomes" }));
          await visible(page.getByText(sentence));
        } else {
          expect(await page.getByRole("heading", { level: 2, name: "Outcomes" }).count(), what).toBe(0);
        }
        expect(await page.getByText("Send the joint letter").count(), what).toBe(0);
        if (javaScript) await expectAccessible(page);
        expect(errors, what).toEqual([]);
        expect(failedLoads.filter((l) => !l.startsWith("403 ")), what).toEqual([]);
        await context.close();
      }
    }
  });

  it.each(APPROVALS)("shows a confirmed participant the directory and owners, and lets them record an action item with and without JavaScript (approval %s)", { timeout: 180_000 }, async (approval) => {
    const w = worlds[approval];
    const base = `${app.url}/convenings/${w.slug}`;
    const listed = ["conf", "cora", "dara"].map((k) => names(k as Key, approval).listed);
    for (const { javaScript, label } of MODES) {
      const { page, context, errors } = await openPage(browser, { javaScript });
      await signInAs(context, db, app.url, w.people.cora.id);
      await page.goto(`${base}/register`);
      if (javaScript) await waitForHydration(page);
      await page.getByRole("link", { name: "See who else is taking part" }).click();
      await page.waitForURL(`${base}/participants`);
      await visible(page.getByRole("heading", { level: 1, name: "Who is taking part" }));
      await expect.poll(() => page.getByRole("heading", { level: 2 }).allTextContents(), SETTLED).toEqual(listed);
      await expect.poll(() => page.locator("main a[href^='mailto:']").allTextContents(), SETTLED).toEqual([names("conf", approval).email, names("cora", approval).email]);
      expect(await page.getByText("You will see the other participants").count()).toBe(0);
      if (javaScript) await expectAccessible(page);
      if (javaScript && kind === "sqlite") {
        mkdirSync(SHOTS, { recursive: true });
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `${SHOTS}/directory-confirmed-approval-${approval}-${width}.png`, fullPage: true });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }

      await page.goto(`${base}/sessions/${w.alder}`);
      await visible(page.getByRole("heading", { name: "Record an action item" }));
      await expect.poll(() => page.getByLabel("Owners: participants").locator("option").allTextContents(), SETTLED).toEqual(listed);
      await expect.poll(() => page.getByLabel("Owners: organizations").locator("option").allTextContents(), SETTLED).toEqual(["Org Conf", "Org Cora", "Org Dara"]);
      // The item everyone owns: only the confirmed subject is named to her; the others are "a participant".
      const owners = `Owners: ${names("cora", approval).listed}, ${SUBJECTS.map((s) => (s === "conf" ? names("conf", approval).listed : "a participant")).join(", ")}`;
      await visible(page.getByText(owners));
      if (javaScript) await expectAccessible(page);
      const title = `Book the room, approval ${approval}, ${label}`;
      await page.getByLabel("What is to be done").fill(title);
      await page.getByLabel("Due date").fill(new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10));
      await page.getByLabel("Owners: participants").selectOption([String(w.people.conf.id)]);
      await page.getByRole("button", { name: "Record action item" }).click();
      await visible(page.getByRole("status").filter({ hasText: "Saved." }));
      await visible(page.locator("li").filter({ hasText: title }).filter({ hasText: `Owners: ${names("conf", approval).listed}` }));
      if (javaScript) await expectAccessible(page);
      const recorded = await db.selectFrom("action_items").innerJoin("action_owners", "action_owners.action_id", "action_items.id").select(["action_owners.person_id"]).where("action_items.title", "=", title).execute();
      expect(recorded).toEqual([{ person_id: w.people.conf.id }]);

      // Someone not offered (the pending subject) is refused when sent by hand, and nothing is written.
      const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value"))!;
      const forged = await page.request.post(`${base}/sessions/${w.alder}`, {
        form: { csrf, intent: "action-item", title: "Forged", dueOn: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10), people: String(w.people.pend.id), visibility: "group" },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(400);
      expect(await db.selectFrom("action_items").select("id").where("title", "=", "Forged").execute()).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
