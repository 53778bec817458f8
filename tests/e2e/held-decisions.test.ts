// Held decisions, route by route: organizers have accepted one proposal and declined another
// without releasing either. Every route a participant can reach (each file under app/routes that
// is not an organizer's) is fetched by the real server as the proposer, an accepted
// co-facilitator, an invited co-facilitator who has not answered, another participant and an
// anonymous visitor, as HTML and as its single-fetch `.data`. None may carry a pending status, a
// decision note, or anything else that tells a held proposal from a proposal still submitted:
//   - no response holds "pending", "not released" or a held decision's note;
//   - on each proposal's own pages, and in each list that carries proposals, a held proposal
//     looks exactly like the submitted one to the same viewer (its id and title aside);
//   - every response is the same, byte for byte (once what changes on every request is set
//     aside), as in the same database with the two decisions never taken.
// As controls, the organizer does see the held statuses, and a released acceptance does show.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { decode, type DecodePlugin } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishAgenda } from "../../app/modules/agenda/publish.server";
import { placeSession } from "../../app/modules/agenda/placements.server";
import { addRoom, addSlot } from "../../app/modules/agenda/setup.server";
import { feedToken } from "../../app/modules/calendar/feeds.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { createProposal } from "../../app/modules/proposals/authoring.server";
import { decideProposals, releaseDecisions, releasePreview } from "../../app/modules/proposals/decisions.server";
import { respondToInvitation } from "../../app/modules/proposals/invitations.server";
import { setInterest } from "../../app/modules/proposals/sessions.server";
import { updateCfpSettings } from "../../app/modules/proposals/settings.server";
import { submitRegistration } from "../../app/modules/registration/registering.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { unsubscribeToken } from "../../app/platform/mail/unsubscribe.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, waitForHydration } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { makePerson, signInAs } from "../setup/flows";
import { httpClient } from "../setup/http";

const SLUG = "held-decisions-2027";
const DAY = 24 * 60 * 60 * 1000;
/** Notes the organizers wrote with the held decisions: they reach facilitators only on release. */
const HELD_NOTES = ["Heldnote-kestrel-zq", "Heldnote-heron-zq"];
const RELEASED_NOTE = "Releasednote-osprey-zq";
/** What must never reach anyone but the organizers while decisions are held. */
const FORBIDDEN = new RegExp(`pending|not released|${HELD_NOTES.join("|")}`, "i");

type Key = "heldAccepted" | "heldDeclined" | "submitted" | "released";
const KEYS: Key[] = ["heldAccepted", "heldDeclined", "submitted", "released"];
// Neutral titles: no word that a check looks for. Listed by title: Heron, Kestrel, Osprey, Plover.
const TITLES: Record<Key, string> = { heldAccepted: "Session Kestrel", heldDeclined: "Session Heron", submitted: "Session Plover", released: "Session Osprey" };
const HELD: Key[] = ["heldAccepted", "heldDeclined"];

type Viewer = "anonymous" | "proposer" | "cofacilitator" | "invitee" | "participant";
const VIEWERS: Viewer[] = ["anonymous", "proposer", "cofacilitator", "invitee", "participant"];

interface Ctx {
  base: string;
  ids: Record<Key, number>;
  trackSlugs: string[];
  trackId: number;
  /** the invitee's unanswered invitation to each proposal */
  invitations: Record<Key, string>;
  /** the viewer's own secret feeds and unsubscribe link (none for the anonymous visitor) */
  own: { agendaFeed: string; actionsFeed: string; unsubscribe: string } | null;
}

interface Route {
  /** a page (HTML and `.data`) or a resource route (one body) */
  page: boolean;
  /** addresses that do not depend on a proposal */
  urls?: (c: Ctx) => string[];
  /** addresses of one proposal's own pages */
  each?: (c: Ctx, key: Key) => string[];
}

// Every route file under app/routes that is not an organizer's (organize.*): a new one fails the
// test until it is listed here with the addresses to walk.
const ROUTES: Record<string, Route> = {
  "$.tsx": { page: true, urls: () => ["/no-such-page"] },
  "_index.tsx": { page: true, urls: () => ["/"] },
  "account._index.tsx": { page: true, urls: () => ["/account"] },
  "account.data.tsx": { page: true, urls: () => ["/account/data"] },
  "account.data[.]json.ts": { page: false, urls: () => ["/account/data.json"] },
  "account.deleted.tsx": { page: true, urls: () => ["/account/deleted"] },
  "actions.tsx": { page: true, urls: () => ["/actions"] },
  "convenings.$slug.tsx": { page: true, urls: (c) => [c.base] },
  "convenings.$slug._index.tsx": { page: true, urls: (c) => [c.base] },
  "convenings.$slug.agenda.tsx": { page: true, urls: (c) => [`${c.base}/agenda`, `${c.base}/agenda?track=${c.trackId}`] },
  "convenings.$slug.agenda[.]ics.ts": { page: false, urls: (c) => [`${c.base}/agenda.ics`] },
  "convenings.$slug.invitations.$token.tsx": { page: true, each: (c, k) => [`${c.base}/invitations/${c.invitations[k]}`] },
  "convenings.$slug.my-agenda.tsx": { page: true, urls: (c) => [`${c.base}/my-agenda`] },
  "convenings.$slug.participants.tsx": { page: true, urls: (c) => [`${c.base}/participants`] },
  "convenings.$slug.proposals.$id._index.tsx": { page: true, each: (c, k) => [`${c.base}/proposals/${c.ids[k]}`] },
  "convenings.$slug.proposals.$id.edit.tsx": { page: true, each: (c, k) => [`${c.base}/proposals/${c.ids[k]}/edit`] },
  "convenings.$slug.proposals._index.tsx": { page: true, urls: (c) => [`${c.base}/proposals`] },
  "convenings.$slug.proposals.new.tsx": { page: true, urls: (c) => [`${c.base}/proposals/new`] },
  "convenings.$slug.letter.tsx": { page: true, urls: (c) => [`${c.base}/letter`] },
  "convenings.$slug.letter[.]pdf.ts": { page: false, urls: (c) => [`${c.base}/letter.pdf`] },
  "convenings.$slug.register.tsx": { page: true, urls: (c) => [`${c.base}/register`] },
  "convenings.$slug.schedule[.]json.ts": { page: false, urls: (c) => [`${c.base}/schedule.json`] },
  "convenings.$slug.schedule[.]xml.ts": { page: false, urls: (c) => [`${c.base}/schedule.xml`] },
  // The public address is /sessions/:id.ics, which the server rewrites to this route.
  "convenings.$slug.sessions.$id.calendar[.]ics.ts": { page: false, each: (c, k) => [`${c.base}/sessions/${c.ids[k]}.ics`, `${c.base}/sessions/${c.ids[k]}/calendar.ics`] },
  "convenings.$slug.sessions.$id.tsx": { page: true, each: (c, k) => [`${c.base}/sessions/${c.ids[k]}`] },
  "convenings.$slug.sessions._index.tsx": { page: true, urls: (c) => [`${c.base}/sessions`] },
  "convenings.$slug.tracks.$track.agenda[.]ics.ts": { page: false, urls: (c) => c.trackSlugs.map((t) => `${c.base}/tracks/${t}/agenda.ics`) },
  "feeds.$token.actions[.]ics.ts": { page: false, urls: (c) => (c.own ? [`/feeds/${c.own.actionsFeed}/actions.ics`] : []) },
  "feeds.$token.my-agenda[.]ics.ts": { page: false, urls: (c) => (c.own ? [`/feeds/${c.own.agendaFeed}/my-agenda.ics`] : []) },
  "healthz.ts": { page: false, urls: () => ["/healthz"] },
  "login._index.tsx": { page: true, urls: () => ["/login"] },
  "login.code.tsx": { page: true, urls: () => ["/login/code"] },
  "login.verify.tsx": { page: true, urls: () => ["/login/verify"] },
  "logout.tsx": { page: true, urls: () => ["/logout"] },
  "unsubscribe.$token.tsx": { page: true, urls: (c) => (c.own ? [`/unsubscribe/${c.own.unsubscribe}`] : []) },
};

/** The single-fetch address of a page's data (Remix 2 with v3_singleFetch): `/x` → `/x.data`, `/` → `/_root.data`. */
function dataUrl(url: string): string {
  const u = new URL(url, "http://x");
  u.pathname = u.pathname === "/" ? "/_root.data" : `${u.pathname.replace(/\/$/, "")}.data`;
  return `${u.pathname}${u.search}`;
}

interface Fetched {
  url: string;
  status: number;
  location: string | null;
  body: string;
}

// Remix's own types in the stream, decoded to plain values that can be compared.
const PLUGINS: DecodePlugin[] = [
  (type, ...rest) => {
    if (type === "SanitizedError") return { value: { error: rest } };
    if (type === "ErrorResponse") return { value: { errorResponse: rest } };
    if (type === "SingleFetchRedirect") return { value: { redirect: rest[0] } };
    return undefined;
  },
  (type, value) => {
    if (type === "SingleFetchFallback") return { value: null };
    if (type === "SingleFetchClassInstance") return { value };
    return undefined;
  },
];

/** A page's data, decoded; the creating forms' submission token (new on every request) reads the same everywhere. */
async function decodeData(body: string): Promise<unknown> {
  const decoded = await decode(new Response(body.replace(/sub_[A-Za-z0-9_-]{22}/g, "sub_")).body!, { plugins: PLUGINS });
  await decoded.done;
  return decoded.value;
}

/** What changes on every request whatever the data: the script nonce, the creating forms' submission token, a calendar's stamp, an export's time and its own audit entry. */
function stable(f: Fetched): string {
  if (f.url.startsWith("/account/data.json") && f.status === 200) {
    const data = JSON.parse(f.body) as { exportedAt?: string; auditEntries?: Array<{ action: string }> };
    delete data.exportedAt;
    data.auditEntries = data.auditEntries?.filter((e) => e.action !== "person.data_exported");
    return `${f.status} ${JSON.stringify(data)}`;
  }
  const body = f.body.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/sub_[A-Za-z0-9_-]{22}/g, "sub_").replace(/^DTSTAMP:.*$/gm, "DTSTAMP:-");
  return `${f.status} ${f.location ?? ""} ${body}`;
}

describe("held decisions reach no participant", () => {
  let app: RunningApp;
  let db: DB;
  let browser: Browser;
  let conveningId: number;
  let organizer: number;
  const people = {} as Record<Exclude<Viewer, "anonymous">, number>;
  const ids = {} as Record<Key, number>;
  const cookies = {} as Record<Viewer | "organizer", string | null>;
  const ctx = {} as Record<Viewer, Ctx>;

  beforeAll(async () => {
    app = await startApp();
    db = openDatabase(app.databaseUrl);
    browser = await launchBrowser();
    // The server's first round of background jobs is over before the test writes to its database.
    await serverJobsDone(db);
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY);
    const day = (days: number) => at(days).toISOString().slice(0, 10);

    organizer = await makePerson(db, "organizer@example.org", "Organizing team");
    conveningId = await createConvening(db, { slug: SLUG, title: "Held Decisions 2027", startsOn: day(90), endsOn: day(92), timeZone: "Europe/Lisbon", status: "published" });
    await db.insertInto("roles").values({ person_id: organizer, convening_id: conveningId, role: "organizer", track_id: null, reads_sensitive: 1, created_at: new Date().toISOString() }).execute();
    const tracks = await listTracks(db, conveningId);
    const track = tracks[0]!.id;
    // The call ran from 40 to 20 days ago; interest in sessions is open early.
    await updateCfpSettings(db, { conveningId, organizerId: organizer, opensAt: at(-40).toISOString(), closesAt: at(-20).toISOString(), formats: ["workshop"], lengths: [60], reviewAnonymous: false, interestOpen: true });
    await updateRegistrationSettings(db, { conveningId, organizerId: organizer, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: null, approvalRequired: false });

    people.proposer = await makePerson(db, "pia@example.org", "Pia", { fullName: "Pia Secretname" });
    people.cofacilitator = await makePerson(db, "cora@example.org", "Cora", { fullName: "Cora Secretname" });
    people.invitee = await makePerson(db, "ines@example.org", "Ines", { fullName: "Ines Secretname" });
    people.participant = await makePerson(db, "olu@example.org", "Olu", { fullName: "Olu Secretname" });
    for (const [viewer, id] of Object.entries(people)) {
      await submitRegistration(db, {
        conveningId,
        personId: id,
        answers: { displayName: `${viewer} listed`, attendance: "remote", tracks: [track], languages: [], interpretation: [], accessNeeds: [], consentDirectory: true, consentContact: false, consentPhotos: false },
      });
    }

    // Four proposals by Pia, alike in everything but their titles, sent the same day with the same two co-facilitators invited.
    for (const key of KEYS) {
      const proposal = await createProposal(db, {
        conveningId,
        proposerId: people.proposer,
        submit: true,
        now: at(-30),
        answers: { title: TITLES[key], abstract: "Planning together.", description: "A long conversation.", format: "workshop", length: 60, primaryTrack: track, linkedTracks: [], languages: ["English"], needs: [], coFacilitators: ["cora@example.org", "ines@example.org"] },
      });
      ids[key] = proposal.id;
    }
    // The invitation tokens travel only in the mail.
    const invitations = {} as Record<Key, string>;
    const mails = await db.selectFrom("mail_outbox").selectAll().where("template", "=", "facilitator-invitation").execute();
    for (const key of KEYS) {
      for (const address of ["cora@example.org", "ines@example.org"]) {
        const text = mails.map((m) => JSON.stringify(m)).find((m) => m.includes(address) && m.includes(TITLES[key]))!;
        const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
        if (address === "cora@example.org") await respondToInvitation(db, { token, personId: people.cofacilitator, accept: true, now: at(-29) });
        else invitations[key] = token;
      }
    }

    // One acceptance decided and released 15 days ago, and placed on the published agenda.
    await decideProposals(db, { conveningId, organizerId: organizer, ids: [ids.released], decision: "accepted", message: RELEASED_NOTE, now: at(-15) });
    await releaseDecisions(db, { conveningId, organizerId: organizer, fingerprint: (await releasePreview(db, conveningId)).fingerprint, now: at(-15) });
    const room = await addRoom(db, { conveningId, organizerId: organizer, name: "Room One", capacity: 30, features: [] });
    const slot = await addSlot(db, { conveningId, organizerId: organizer, date: day(90), time: "10:00", minutes: 90 });
    await placeSession(db, { conveningId, organizerId: organizer, proposalId: ids.released, slotId: slot, roomId: room });
    await publishAgenda(db, { conveningId, organizerId: organizer, note: "First agenda", now: at(-14) });
    // The other participant wants to attend all four.
    for (const key of KEYS) await setInterest(db, { conveningId, personId: people.participant, proposalId: ids[key], interested: true, now: at(-10) });
    // Then, 5 days ago, an acceptance and a decline decided and held, each with a note.
    await decideProposals(db, { conveningId, organizerId: organizer, ids: [ids.heldAccepted], decision: "accepted", message: HELD_NOTES[0], now: at(-5) });
    await decideProposals(db, { conveningId, organizerId: organizer, ids: [ids.heldDeclined], decision: "declined", message: HELD_NOTES[1], now: at(-5) });

    const statuses = await db.selectFrom("proposals").select(["id", "status"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    expect(statuses.map((s) => s.status)).toEqual(KEYS.map((k) => ({ heldAccepted: "pending_accepted", heldDeclined: "pending_declined", submitted: "submitted", released: "confirmed" })[k]));

    // The anonymous visitor keeps the anti-forgery cookie a browser would, so its forms' token stays the same.
    cookies.anonymous = (await httpClient(db, null)).cookie;
    cookies.organizer = (await httpClient(db, organizer)).cookie;
    const trackSlugs = tracks.map((t) => t.slug);
    for (const viewer of VIEWERS) {
      const id = viewer === "anonymous" ? null : people[viewer];
      if (viewer !== "anonymous") cookies[viewer] = (await httpClient(db, id)).cookie;
      ctx[viewer] = {
        base: `/convenings/${SLUG}`,
        ids,
        trackSlugs,
        trackId: track,
        invitations,
        own: id === null ? null : { agendaFeed: await feedToken(db, id, "agenda"), actionsFeed: await feedToken(db, id, "actions"), unsubscribe: unsubscribeToken(id, "agenda") },
      };
    }
  });

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  async function get(url: string, viewer: Viewer | "organizer"): Promise<Fetched> {
    const cookie = cookies[viewer];
    const response = await fetch(`${app.url}${url}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    return { url, status: response.status, location: response.headers.get("location"), body: await response.text() };
  }

  /** Every address of every participant-facing route for this viewer, pages twice (HTML and data). */
  function addresses(viewer: Viewer): string[] {
    const c = ctx[viewer];
    const urls = Object.values(ROUTES).flatMap((r) => {
      const own = [...(r.urls?.(c) ?? []), ...KEYS.flatMap((k) => r.each?.(c, k) ?? [])];
      return r.page ? own.flatMap((u) => [u, dataUrl(u)]) : own;
    });
    return [...new Set(urls)];
  }

  /** What every viewer receives from every route, as it stands now. */
  async function snapshot(): Promise<Map<string, Fetched>> {
    const seen = new Map<string, Fetched>();
    // A few requests at a time, as browsers do: a burst of a hundred at once on a busy machine
    // keeps pages waiting past the server's render deadline (5 s), which answers 500.
    for (const viewer of VIEWERS) {
      const queue = addresses(viewer);
      const worker = async () => {
        for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
          const f = await get(url, viewer);
          seen.set(`${viewer} GET ${f.url}`, f);
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
    }
    return seen;
  }

  it("lists every route that is not an organizer's", () => {
    const files = readdirSync(path.join(process.cwd(), "app/routes")).filter((f) => /\.tsx?$/.test(f) && !f.includes(".test.") && !f.startsWith("organize."));
    expect(files.filter((f) => !(f in ROUTES)).sort()).toEqual([]);
    expect(Object.keys(ROUTES).filter((f) => !files.includes(f))).toEqual([]);
  });

  it("shows the organizer the held decisions (control)", async () => {
    const page = await get(`/organize/${SLUG}/proposals`, "organizer");
    expect(page.status).toBe(200);
    const row = (key: Key) => new RegExp(`<tr\\b(?:(?!</tr>)[\\s\\S])*${TITLES[key]}(?:(?!</tr>)[\\s\\S])*</tr>`).exec(page.body)?.[0] ?? "";
    expect(row("heldAccepted")).toContain("Accept (not released)");
    expect(row("heldDeclined")).toContain("Decline (not released)");
    expect(row("submitted")).toContain("Submitted");
    const data = await get(dataUrl(`/organize/${SLUG}/proposals`), "organizer");
    expect(data.body).toContain('"pending_accepted"');
    expect(data.body).toContain('"pending_declined"');
    for (const [key, note] of [["heldAccepted", HELD_NOTES[0]], ["heldDeclined", HELD_NOTES[1]]] as const) {
      const one = await get(`/organize/${SLUG}/proposals/${ids[key]}`, "organizer");
      expect(one.status).toBe(200);
      expect(one.body).toMatch(key === "heldAccepted" ? /Accept \(not released\)/ : /Decline \(not released\)/);
      expect(one.body).toContain(note);
    }
  });

  it("sends no pending status, no held note and no 'not released' on any route, to anyone but the organizers", { timeout: 120_000 }, async () => {
    const seen = await snapshot();
    expect(seen.size).toBeGreaterThan(150);
    const leaks = [...seen].flatMap(([what, f]) => {
      const match = FORBIDDEN.exec(f.body);
      return match ? [`${what} (${f.status}): …${f.body.slice(Math.max(0, match.index - 80), match.index + 80)}…`] : [];
    });
    expect(leaks).toEqual([]);
    // No server error anywhere, and the pages that matter answer.
    expect([...seen].filter(([, f]) => f.status >= 500).map(([what, f]) => `${what}: ${f.status}`)).toEqual([]);
    for (const viewer of ["proposer", "participant"] as const) {
      for (const url of [`/convenings/${SLUG}/sessions`, `/convenings/${SLUG}/sessions/${ids.heldAccepted}`, `/convenings/${SLUG}/sessions/${ids.heldDeclined}`, `/convenings/${SLUG}/agenda`, `/convenings/${SLUG}/agenda.ics`]) {
        expect(seen.get(`${viewer} GET ${url}`)?.status, `${viewer} ${url}`).toBe(200);
      }
    }
    expect(seen.get(`proposer GET /convenings/${SLUG}/proposals/${ids.heldAccepted}`)?.status).toBe(200);
    expect(seen.get(`cofacilitator GET /convenings/${SLUG}/proposals/${ids.heldDeclined}`)?.status).toBe(200);
    expect(seen.get(`invitee GET /convenings/${SLUG}/invitations/${ctx.invitee.invitations.heldAccepted}`)?.status).toBe(200);
    // Released ones do show (the checks can see a decision when there is one to see).
    expect(seen.get(`proposer GET /convenings/${SLUG}/proposals/${ids.released}`)?.body).toContain(RELEASED_NOTE);
  });

  it("shows each viewer a held proposal's own pages exactly as the submitted proposal's", { timeout: 120_000 }, async () => {
    /** A proposal's page with what names the proposal itself (its id, title and invitation) set aside. */
    const unnamed = (key: Key, text: string) => {
      let out = text.split(TITLES[key]).join("<TITLE>").split(ctx.invitee.invitations[key]).join("<TOKEN>");
      const id = ids[key];
      out = out.replace(new RegExp(`(/(?:sessions|proposals)/|%2F(?:sessions|proposals)%2F)${id}(?![0-9])`, "g"), "$1<ID>").replace(new RegExp(`(session-|\\b)${id}(@|\\.ics)`, "g"), "$1<ID>$2");
      return out;
    };
    const unnamedData = (key: Key, value: unknown): unknown => {
      if (typeof value === "string") return unnamed(key, value);
      if (Array.isArray(value)) return value.map((v) => unnamedData(key, v));
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^(id|proposal_?[iI]d)$/.test(k) && typeof v === "number" ? "<id>" : unnamedData(key, v)]));
      }
      return value;
    };
    /** The markup without its scripts (the data they carry is compared decoded, below). */
    const markup = (html: string) => html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "<script/>");
    const view = async (viewer: Viewer, key: Key, url: string) => {
      const f = await get(url, viewer);
      const body = url.endsWith(".data") ? JSON.stringify(unnamedData(key, await decodeData(f.body))) : unnamed(key, f.body.startsWith("<!DOCTYPE") ? markup(stable(f)) : stable(f));
      return `${f.status} ${unnamed(key, f.location ?? "")}\n${body}`;
    };

    const differences: string[] = [];
    let compared = 0;
    for (const viewer of VIEWERS) {
      for (const [file, route] of Object.entries(ROUTES)) {
        if (!route.each) continue;
        const templates = (key: Key) => route.each!(ctx[viewer], key).flatMap((u) => (route.page ? [u, dataUrl(u)] : [u]));
        const submitted = await Promise.all(templates("submitted").map((u) => view(viewer, "submitted", u)));
        for (const key of HELD) {
          const held = await Promise.all(templates(key).map((u) => view(viewer, key, u)));
          held.forEach((h, i) => {
            compared++;
            if (h !== submitted[i]) differences.push(`${viewer} ${file} ${templates(key)[i]}: the ${key} proposal differs from the submitted one: ${firstDifference(h, submitted[i]!)}`);
          });
        }
        // Control: the released acceptance does look different on the session page.
        if (file === "convenings.$slug.sessions.$id.tsx" && viewer !== "anonymous") {
          const released = await view(viewer, "released", templates("released")[1]!);
          expect(released, `${viewer}: the released session's data`).not.toBe(submitted[1]);
          expect(released).toContain('"phase":"accepted"');
          expect(submitted[1]).toContain('"phase":"under_review"');
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(differences).toEqual([]);
  });

  it("carries a held proposal in every list exactly as the submitted one, or leaves both out", { timeout: 120_000 }, async () => {
    // Every object in the data of any page (or JSON file) that stands for one of the proposals.
    const itemsOf = (value: unknown, key: Key, found: unknown[] = []): unknown[] => {
      if (Array.isArray(value)) value.forEach((v) => itemsOf(v, key, found));
      else if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o.title === TITLES[key]) found.push(o);
        Object.values(o).forEach((v) => itemsOf(v, key, found));
      }
      return found;
    };
    const normalised = (key: Key, items: unknown[]) =>
      JSON.stringify(items, (k, v: unknown) => (/^(id|proposal_?[iI]d)$/.test(k) && typeof v === "number" ? "<id>" : typeof v === "string" ? v.split(TITLES[key]).join("<TITLE>").replace(new RegExp(`/(sessions|proposals)/${ids[key]}(?![0-9])`, "g"), "/$1/<ID>") : v));

    const differences: string[] = [];
    let listed = 0;
    for (const viewer of VIEWERS) {
      const lists = Object.values(ROUTES).flatMap((r) => (r.urls?.(ctx[viewer]) ?? []).flatMap((u) => (r.page ? [dataUrl(u)] : u.endsWith(".json") ? [u] : [])));
      for (const url of lists) {
        const f = await get(url, viewer);
        if (f.status >= 300 && url.endsWith(".json")) continue;
        const data = url.endsWith(".data") ? await decodeData(f.body) : (JSON.parse(f.body) as unknown);
        const submitted = normalised("submitted", itemsOf(data, "submitted"));
        if (submitted !== "[]") listed++;
        for (const key of HELD) {
          const held = normalised(key, itemsOf(data, key));
          if (held !== submitted) differences.push(`${viewer} GET ${url}: the ${key} proposal is carried as ${held}, the submitted one as ${submitted}`);
        }
      }
    }
    // The lists do carry proposals: sessions (to participants), the proposer's and co-facilitator's own, the data export.
    expect(listed).toBeGreaterThanOrEqual(4);
    expect(differences).toEqual([]);
  });

  it("answers every route exactly as if the held decisions had never been taken", { timeout: 180_000 }, async () => {
    const held = await snapshot();
    const again = await snapshot();
    // What is compared is what stays put from one request to the next.
    const unstable = [...held].filter(([what, f]) => stable(f) !== stable(again.get(what)!)).map(([what, f]) => `${what}: ${firstDifference(stable(f), stable(again.get(what)!))}`);
    expect(unstable).toEqual([]);

    // The same database with both proposals as they would be had nobody decided: submitted, no note, last changed when sent.
    const before = await db.selectFrom("proposals").select(["id", "status", "decision_message", "updated_at"]).where("id", "in", [ids.heldAccepted, ids.heldDeclined]).execute();
    const untouched = await db.selectFrom("proposals").select(["status", "decision_message", "updated_at"]).where("id", "=", ids.submitted).executeTakeFirstOrThrow();
    await db.updateTable("proposals").set({ status: untouched.status, decision_message: untouched.decision_message, updated_at: untouched.updated_at }).where("id", "in", [ids.heldAccepted, ids.heldDeclined]).execute();
    let undecided: Map<string, Fetched>;
    try {
      undecided = await snapshot();
      // The organizer, though, no longer sees the held decisions (the switch took effect).
      expect((await get(dataUrl(`/organize/${SLUG}/proposals`), "organizer")).body).not.toContain('"pending_accepted"');
    } finally {
      for (const row of before) await db.updateTable("proposals").set({ status: row.status, decision_message: row.decision_message, updated_at: row.updated_at }).where("id", "=", row.id).execute();
    }
    expect((await get(dataUrl(`/organize/${SLUG}/proposals`), "organizer")).body).toContain('"pending_accepted"');

    const differences: string[] = [];
    for (const [what, f] of held) {
      const other = undecided.get(what)!;
      if (stable(f) === stable(other)) continue;
      // Said readably: data decoded, a page by its markup (its embedded data is its `.data`, listed too).
      const readable = async (x: Fetched) => (x.url.endsWith(".data") ? JSON.stringify(await decodeData(x.body)) : stable(x).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "<script/>"));
      const [a, b] = [await readable(f), await readable(other)];
      differences.push(`${what}: held ≠ never decided: ${a === b ? "the data embedded in the page differs" : firstDifference(a, b)}`);
    }
    expect(differences).toEqual([]);
  });

  it("renders the pages in Chromium without a held decision in sight, accessibly", { timeout: 180_000 }, async () => {
    const base = `/convenings/${SLUG}`;
    const pages: Array<{ viewer: "proposer" | "participant"; paths: (key: Key) => string[] }> = [
      { viewer: "proposer", paths: (k) => [`${base}/proposals/${ids[k]}`, `${base}/sessions/${ids[k]}`] },
      { viewer: "participant", paths: (k) => [`${base}/sessions/${ids[k]}`] },
    ];
    const common = [`${base}/sessions`, `${base}/proposals`, `${base}/my-agenda`, `${base}/agenda`, `${base}/participants`, base, "/", "/account", "/actions"];
    const problems: string[] = [];
    for (const { viewer, paths } of pages) {
      const watched = await openPage(browser);
      await signInAs(watched.context, db, app.url, people[viewer]);
      const { page } = watched;
      const textOf = async (url: string) => {
        await page.goto(`${app.url}${url}`);
        await waitForHydration(page);
        await expectAccessible(page);
        return page.locator("main").innerText();
      };
      for (const url of common) {
        const text = await textOf(url);
        if (FORBIDDEN.test(text)) problems.push(`${viewer} ${url}: ${FORBIDDEN.exec(text)![0]}`);
      }
      const submitted: string[] = [];
      for (const url of paths("submitted")) submitted.push((await textOf(url)).split(TITLES.submitted).join("<TITLE>"));
      for (const key of HELD) {
        const held = paths(key);
        for (const [i, url] of held.entries()) {
          const text = (await textOf(url)).split(TITLES[key]).join("<TITLE>");
          if (FORBIDDEN.test(text)) problems.push(`${viewer} ${url}: ${FORBIDDEN.exec(text)![0]}`);
          if (text !== submitted[i]) problems.push(`${viewer} ${url}: shows "${text}" where the submitted proposal shows "${submitted[i]}"`);
        }
      }
      // Through the client router too: from the list to a held session.
      await page.goto(`${app.url}${base}/sessions`);
      await waitForHydration(page);
      await page.getByRole("link", { name: TITLES.heldDeclined }).click();
      await page.waitForURL(`${app.url}${base}/sessions/${ids.heldDeclined}`);
      await page.getByRole("heading", { level: 1, name: TITLES.heldDeclined }).waitFor();
      const text = await page.locator("main").innerText();
      if (FORBIDDEN.test(text)) problems.push(`${viewer} (client navigation) ${base}/sessions/${ids.heldDeclined}: ${FORBIDDEN.exec(text)![0]}`);
      expect(watched.errors, `${viewer}: errors in the browser`).toEqual([]);
      await watched.context.close();
    }
    expect(problems).toEqual([]);
  });

  it("mails nobody about a held decision", async () => {
    const mails = await db.selectFrom("mail_outbox").selectAll().execute();
    const about = (key: Key) => mails.filter((m) => JSON.stringify(m).includes(TITLES[key])).map((m) => m.template).sort();
    expect(about("released")).toContain("proposal-accepted");
    for (const key of HELD) expect(about(key), key).toEqual(about("submitted"));
    expect(mails.filter((m) => HELD_NOTES.some((n) => JSON.stringify(m).includes(n)))).toEqual([]);
  });
});

/** Where two texts part, with some context on both sides. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `«…${a.slice(Math.max(0, i - 60), i + 100)}…» vs «…${b.slice(Math.max(0, i - 60), i + 100)}…»`;
}
