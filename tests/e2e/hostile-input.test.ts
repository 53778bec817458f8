// Hostile input against every address of the app, over plain HTTP against the real server on the
// demo convening: every route file in app/routes is visited with hostile parameters and query
// strings, and every route with an action gets malformed bodies (wrong types, missing and huge
// fields, broken encodings, unknown ids, injected markup) as a visitor, a participant and an
// organizer, with a valid anti-forgery token so that the input reaches validation.
//
// Every answer: no 5xx; a 4xx says why (non-empty body); HTML never carries the injected markup
// unescaped; a redirect stays on this site. Malformed input changes nothing in the database
// (checked table by table after each group of requests). Well-formed text that merely looks
// nasty is data: it is stored exactly as sent and shown escaped.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_NEEDS, ACTION_STATUSES, ATTENDANCE, CONSTITUENCIES, FIXED_KINDS, ROOM_FEATURES, SESSION_FORMATS } from "../../db/schema";
import { seedDemo } from "../../app/features/demo/seed";
import { rememberPendingSignIn } from "../../app/modules/auth/session.server";
import { feedToken } from "../../app/modules/calendar/feeds.server";
import { unsubscribeToken } from "../../app/platform/mail/unsubscribe.server";
import { migrateToLatest, openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { DATABASE_KINDS, emptyDatabaseUrl } from "../setup/databases";
import { databaseFingerprint, fingerprintChanges, httpClient, inParallel, type HttpClient } from "../setup/http";

const INJ = {
  script: "<script>alert(1)</script>",
  img: '"><img src=x onerror=alert(1)>',
  js: "javascript:alert(1)",
  sql: "'; DROP TABLE people;--",
} as const;
const NASTY = Object.values(INJ);
/** What must never appear in HTML: the injected markup itself, or a javascript: URL in an attribute. */
const RAW_MARKUP = ["<script>alert(1)</script>", "<img src=x onerror", 'href="javascript:', 'src="javascript:', 'action="javascript:', 'formaction="javascript:'];

// Audit entries that record reads (exports, downloads, sensitive answers opened): written by GETs on purpose.
const READ_AUDITS = new Set(["registration.exported", "registration.exported_sensitive", "person.data_exported", "registration.sensitive_viewed", "support.viewed", "support.exported"]);
const FINGERPRINT = {
  skip: ["sessions", "rate_limit_hits"],
  ignoreRows: { audit_log: (row: Record<string, unknown>) => READ_AUDITS.has(String(row.action)) },
};

type Who = "visitor" | "participant" | "organizer";
const EVERYONE: Who[] = ["visitor", "participant", "organizer"];

// ---------------------------------------------------------------------------------------------
// Fields of the forms, each with a valid value and values that must be refused.

const MISSING = { missing: true } as const;
type Value = string | string[] | typeof MISSING;
const isMissing = (value: Value): value is typeof MISSING => value === MISSING;

interface Field {
  name: string;
  valid: string | string[];
  bad: Value[];
  required: boolean;
}

let nastyTurn = 0;
/** The next nasty text, so that valid text fields carry injection attempts too. */
function nasty(max: number): string {
  const fitting = NASTY.filter((n) => n.length <= max);
  return fitting[nastyTurn++ % fitting.length]!;
}
/** One character over the limit, made of markup, with no surrounding whitespace to trim away. */
const tooLong = (max: number) => INJ.script.repeat(Math.ceil((max + 1) / INJ.script.length) + 1).slice(0, max + 1);

const BAD_IDS = ["abc", "-1", "0", "1.5", "1e309", "99999999999999999999", "", INJ.sql, "٣"];
/** Well-formed ids that name nothing: the domain must refuse them. */
const UNKNOWN_IDS = ["999999", "2147483648"];
const BAD_CHOICES = [INJ.script, INJ.sql, "INVALID", "__proto__", "toString", "constructor"];
const BAD_DATES = ["2027-02-31", "2027-13-01", "2027-00-10", "9999-99-99", "27-01-01", "2027-1-1", "tomorrow", INJ.script];
const BAD_DATETIMES = ["2027-02-31T10:00", "2027-13-01T10:00", "2027-01-01T25:00", "2027-01-01T10:61", "2027-01-01 10:00", "2027-01-01T10:00:00Z", INJ.script];
const BAD_EMAILS = ["not-an-email", INJ.script, INJ.img, INJ.sql, INJ.js, "a@b", "@example.org", `${"x".repeat(250)}@example.org`, "a b@example.org"];

function text(name: string, max: number, required = false, valid = nasty(max)): Field {
  return { name, valid, required, bad: [tooLong(max), [valid, valid], ...(required ? [MISSING, "", " \t\n "] : [])] };
}
function id(name: string, valid: string | number, required = true): Field {
  return { name, valid: String(valid), required, bad: [...BAD_IDS.filter((b) => required || b !== ""), ...UNKNOWN_IDS, ...(required ? [MISSING] : [])] };
}
function ids(name: string, valid: Array<string | number>, required = false): Field {
  const base = valid.map(String);
  // A lone empty value means "none chosen", which is fine where none is.
  const bad = BAD_IDS.filter((b) => base.length > 0 || b !== "");
  return { name, valid: base, required, bad: [...bad.map((b) => [...base, b]), ...UNKNOWN_IDS.map((u) => [...base, u]), ...(required ? [MISSING] : [])] };
}
function choice(name: string, valid: string, required = true): Field {
  return { name, valid, required, bad: [...BAD_CHOICES, [valid, valid], ...(required ? [MISSING, ""] : [])] };
}
function choices(name: string, valid: string[], required = false): Field {
  return { name, valid, required, bad: [[...valid, INJ.script], [...valid, "__proto__"], ["INVALID"], ...(required ? [MISSING] : [])] };
}
function list(name: string, maxItems: number, maxLength: number, valid: string[] = [nasty(maxLength)]): Field {
  const many = Array.from({ length: maxItems + 1 }, (_, i) => `${INJ.sql.slice(0, maxLength - 3)}${i}`);
  return { name, valid, required: false, bad: [many, many.join(", "), [tooLong(maxLength)]] };
}
function date(name: string, valid: string, required = true): Field {
  return { name, valid, required, bad: [...BAD_DATES, ...(required ? [MISSING, ""] : [])] };
}
function dateTime(name: string, valid: string): Field {
  return { name, valid, required: false, bad: BAD_DATETIMES };
}
function email(name: string, valid: string): Field {
  return { name, valid, required: true, bad: [...BAD_EMAILS, MISSING, ""] };
}
function number(name: string, valid: string, bad: string[], required = true): Field {
  return { name, valid, required, bad: [...bad, INJ.script, "abc", "1.5", "1e309", [valid, valid], ...(required ? [MISSING] : [])] };
}
/** A field the app takes in any form (checkboxes): sent valid, never varied. */
function lenient(name: string, valid: string): Field {
  return { name, valid, required: false, bad: [] };
}

interface Intent {
  /** the value of the `intent` field, if the form has one */
  intent?: string;
  /** only the listed intents do anything, so other values of `intent` must be refused */
  strict?: boolean;
  fields: Field[];
  /** whole bodies that must be refused, for rules across fields */
  bodies?: Array<Array<[string, string]>>;
}

interface FormRoute {
  /** the route file, as in app/routes */
  file: string;
  path: string;
  intents: Intent[];
  /** who gets past the permission checks to validation: they get every variant */
  reaches: Who[];
  /** the client sending as each person (the sign-out form signs out, so it gets its own) */
  client?: (who: Who) => HttpClient;
  /** false where the action accepts any body by design (signing out) */
  rejects?: boolean;
  /** a well-formed form that a rule of the domain refuses (already registered, name taken …) */
  refusedByRule?: Array<[string, string]>;
}

function bodyOf(intent: Intent, change?: { name: string; value: Value }): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const intentValue = change?.name === "intent" ? change.value : intent.intent;
  if (intentValue !== undefined && !isMissing(intentValue)) for (const v of [intentValue].flat()) out.push(["intent", v]);
  for (const field of intent.fields) {
    const value = change?.name === field.name ? change.value : field.valid;
    if (isMissing(value)) continue;
    for (const v of [value].flat()) out.push([field.name, v]);
  }
  return out;
}

function describeValue(value: Value): string {
  if (value === MISSING) return "missing";
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}…(${s.length})` : s;
}

// ---------------------------------------------------------------------------------------------
// Requests and what every answer must satisfy.

interface Probe {
  label: string;
  method: string;
  path: string;
  who: Who;
  client: HttpClient | null;
  body?: string | Uint8Array | FormData | ReadableStream<Uint8Array>;
  /** the Content-Type header; undefined sends none (fetch adds one for strings and FormData) */
  contentType?: string;
  /** a POST of malformed input that reached the action: it must be refused (4xx, or sent to sign in) */
  mustReject: boolean;
}

interface Answer {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
}

const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();
const URLENCODED = "application/x-www-form-urlencoded";

/** The encodings sent by everyone; the rest only by the first who reaches validation. */
const CORE_ENCODINGS = new Set(["invalid UTF-8 bytes", "JSON body", "multipart, unterminated", "1 MB field (over the server's limit)", "multipart with a stray file", "anti-forgery token of someone else"]);

function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`a=${"x".repeat(64 * 1024 - 2)}`);
  let pushed = 0;
  return new ReadableStream({
    pull(controller) {
      if (pushed >= bytes) return controller.close();
      controller.enqueue(pushed === 0 ? chunk : chunk.subarray(2));
      pushed += chunk.length;
    },
  });
}

/**
 * One request on a connection of its own (node:http, not fetch): bytes exactly as given, and no
 * kept-alive connection for a refused upload to spoil. The answer counts as soon as it arrives,
 * even if the server stops reading what is still being sent.
 */
async function request(url: string, probe: Pick<Probe, "method" | "client" | "body" | "contentType">): Promise<Answer> {
  const headers: Record<string, string> = { Connection: "close" };
  if (probe.client) headers.Cookie = probe.client.cookie;
  let body: Buffer | ReadableStream<Uint8Array> | undefined;
  let contentType = probe.contentType;
  if (probe.body instanceof FormData) {
    const encoded = new Response(probe.body);
    contentType = encoded.headers.get("content-type")!;
    body = Buffer.from(await encoded.arrayBuffer());
  } else if (typeof probe.body === "string") body = Buffer.from(probe.body, "utf8");
  else if (probe.body instanceof Uint8Array) body = Buffer.from(probe.body);
  else body = probe.body;
  if (contentType !== undefined) headers["Content-Type"] = contentType;
  if (Buffer.isBuffer(body)) headers["Content-Length"] = String(body.length);
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: probe.method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          location: res.headers.location ?? null,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (body instanceof ReadableStream) {
      Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>).on("error", () => {}).pipe(req);
    } else req.end(body);
  });
}

// On SQLite the whole round; on PostgreSQL (when TEST_POSTGRES_URL is set) the variants that reach
// its queries: every form as the first who gets past the door, every address as its main visitor.
describe.each(DATABASE_KINDS)("hostile input against every form and address, on %s", (kind) => {
  const lighter = kind === "postgres";
  let app: RunningApp;
  let db: DB;
  let dropDatabase: () => Promise<void>;
  const clients = {} as Record<Who, HttpClient | null>;
  let logoutClients: Record<Who, HttpClient | null>;
  const c = {} as {
    slug: string;
    conveningId: number;
    trackIds: number[];
    trackSlug: string;
    participant: number;
    organizer: number;
    session: number;
    ownDraft: number;
    ownAction: number;
    actionItem: number;
    registration: number;
    submitted: number;
    placed: number;
    slot: number;
    room: number;
    criterion: number;
    organization: number;
    otherPerson: number;
    sentMail: number;
    lengths: string;
    format: string;
    agendaFeed: string;
    actionsFeed: string;
    unsubscribe: string;
  };
  let sent = 0;
  const failures: string[] = [];
  let baseline: Record<string, string>;

  beforeAll(async () => {
    // The demo convening with the background jobs off, so that only our requests change the database.
    const empty = await emptyDatabaseUrl(kind);
    dropDatabase = empty.drop;
    const seeding = openDatabase(empty.url);
    await migrateToLatest(seeding);
    await seedDemo(seeding);
    await seeding.destroy();
    app = await startApp({ databaseUrl: empty.url, env: { JOBS: "off" } });
    db = openDatabase(app.databaseUrl);

    const convening = await db.selectFrom("convenings").selectAll().where("status", "=", "published").executeTakeFirstOrThrow();
    c.slug = convening.slug;
    c.conveningId = convening.id;
    c.lengths = (JSON.parse(convening.cfp_lengths) as number[]).map(String)[0] ?? "60";
    c.format = (JSON.parse(convening.cfp_formats) as string[])[0] ?? "workshop";
    const tracks = await db.selectFrom("tracks").select(["id", "slug"]).where("convening_id", "=", convening.id).orderBy("position").execute();
    c.trackIds = tracks.map((t) => t.id);
    c.trackSlug = tracks[0]!.slug;
    c.organizer = (await db.selectFrom("people").select("id").where("email", "=", "organizer@example.org").executeTakeFirstOrThrow()).id;
    // A participant who proposed a session that takes place, has a proposal still open to edits, and owns an action item.
    const owners = await db.selectFrom("action_owners").innerJoin("action_items", "action_items.id", "action_owners.action_id").select(["action_owners.person_id", "action_owners.action_id"]).where("action_items.convening_id", "=", convening.id).where("action_owners.person_id", "is not", null).execute();
    const proposals = await db.selectFrom("proposals").select(["id", "proposer_id", "status"]).where("convening_id", "=", convening.id).orderBy("id").execute();
    const candidates = proposals.filter((p) => p.status === "confirmed" && proposals.some((q) => q.proposer_id === p.proposer_id && q.status === "submitted"));
    const chosen = candidates.find((p) => owners.some((o) => o.person_id === p.proposer_id)) ?? candidates[0]!;
    c.participant = chosen.proposer_id!;
    c.session = chosen.id;
    c.ownDraft = proposals.find((p) => p.proposer_id === c.participant && p.status === "submitted")!.id;
    c.ownAction = owners.find((o) => o.person_id === c.participant)!.action_id;
    c.actionItem = owners[0]!.action_id;
    c.registration = (await db.selectFrom("registrations").select("id").where("convening_id", "=", convening.id).orderBy("id").executeTakeFirstOrThrow()).id;
    c.submitted = proposals.find((p) => p.status === "submitted" && p.proposer_id !== c.participant)!.id;
    c.placed = Number((await db.selectFrom("placements").select("proposal_id").where("convening_id", "=", convening.id).where("proposal_id", "is not", null).executeTakeFirstOrThrow()).proposal_id);
    c.slot = (await db.selectFrom("slots").select("id").where("convening_id", "=", convening.id).orderBy("id").executeTakeFirstOrThrow()).id;
    c.room = (await db.selectFrom("rooms").select("id").where("convening_id", "=", convening.id).orderBy("id").executeTakeFirstOrThrow()).id;
    c.criterion = (await db.selectFrom("review_criteria").select("id").where("convening_id", "=", convening.id).executeTakeFirstOrThrow()).id;
    c.organization = (await db.selectFrom("organizations").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    c.otherPerson = (await db.selectFrom("registrations").select("person_id").where("convening_id", "=", convening.id).where("person_id", "!=", c.participant).where("status", "=", "confirmed").orderBy("id").executeTakeFirstOrThrow()).person_id;
    c.sentMail = (await db.selectFrom("mail_outbox").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    c.agendaFeed = await feedToken(db, c.participant, "agenda");
    c.actionsFeed = await feedToken(db, c.participant, "actions");
    c.unsubscribe = unsubscribeToken(c.participant, "agenda");

    // The code form reads a pending sign-in from its own cookie: give everyone one (for a token that does not exist).
    const pending = (await rememberPendingSignIn(999_999)).split(";")[0]!;
    const withPending = (client: HttpClient) => ({ ...client, cookie: `${client.cookie}; ${pending}` });
    clients.visitor = withPending(await httpClient(db, null));
    clients.participant = withPending(await httpClient(db, c.participant));
    clients.organizer = withPending(await httpClient(db, c.organizer));
    logoutClients = { visitor: clients.visitor, participant: await httpClient(db, c.participant), organizer: await httpClient(db, c.organizer) };
  });

  afterAll(async () => {
    await db?.destroy();
    await app?.stop();
    await dropDatabase?.();
    // Nothing hostile is an error of ours: not even an address whose percent-encoding does not decode.
    expect(app.stderr()).toBe("");
  });

  async function send(probe: Probe): Promise<Answer> {
    sent += 1;
    let answer: Answer;
    try {
      answer = await request(`${app.url}${probe.path}`, probe);
    } catch (error) {
      // A server may answer and close before a huge upload is through: the client then sees the
      // connection cut, which is a refusal, not a failure.
      const code = (error as { code?: string }).code;
      const huge = probe.body instanceof ReadableStream || (typeof probe.body === "string" && probe.body.length > 1_000_000);
      if (!(huge && (code === "EPIPE" || code === "ECONNRESET"))) failures.push(`${probe.method} ${short(probe.path)} as ${probe.who} (${probe.label}): no answer: ${String(error)}`);
      return { status: 0, contentType: "", location: null, body: "" };
    }
    for (const problem of problemsOf(probe, answer)) failures.push(`${probe.method} ${short(probe.path)} as ${probe.who} (${probe.label}): ${problem}`);
    return answer;
  }

  function short(p: string) {
    return p.length > 120 ? `${p.slice(0, 117)}…` : p;
  }

  function problemsOf(probe: Probe, answer: Answer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    if (answer.status >= 400 && answer.status < 500 && answer.body.trim() === "") problems.push(`answered ${answer.status} with an empty body`);
    if (answer.contentType.includes("text/html")) {
      for (const raw of RAW_MARKUP) if (answer.body.includes(raw)) problems.push(`answered ${answer.status} with HTML holding ${raw} unescaped`);
    }
    if (answer.status >= 300 && answer.status < 400) {
      // Resolved as a browser would (dropping tabs and line breaks, reading a backslash as "/").
      const to = answer.location ?? "";
      if (new URL(to, app.url).origin !== app.url) problems.push(`redirected off the site, to ${JSON.stringify(to)}`);
    }
    // Refused: a 4xx; or, before the action runs, a visitor sent to sign in; or, after a refused
    // sign-in form, a signed-in person sent home by the sign-in page itself.
    const refused =
      (answer.status >= 400 && answer.status < 500) ||
      ((answer.status === 302 || (answer.status === 202 && probe.path.includes(".data"))) && (answer.location ?? "").startsWith("/login?")) ||
      (answer.status === 302 && probe.path.startsWith("/login") && answer.location === "/");
    if (probe.mustReject && !refused) {
      problems.push(`accepted malformed input: ${answer.status} ${answer.location ?? answer.body.slice(0, 120)}`);
    }
    return problems;
  }

  /** Sends a group of requests, then checks that the database is as it was. */
  async function group(name: string, probes: Probe[], concurrency = 4) {
    // Submissions are rate limited per person; the counters are cleared every few requests so
    // that each variant reaches validation rather than the limit.
    for (let i = 0; i < probes.length; i += 12) {
      await db.deleteFrom("rate_limit_hits").execute();
      await inParallel(probes.slice(i, i + 12), concurrency, async (p) => {
        await send(p);
      });
    }
    const now = await databaseFingerprint(db, FINGERPRINT);
    const changes = fingerprintChanges(baseline, now);
    if (changes.length > 0) {
      failures.push(`${name}: the database changed: ${changes.join("; ")}`);
      baseline = now;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The forms: every route with an action, its intents and fields.

  function formRoutes(): FormRoute[] {
    const s = c.slug;
    const future = "2031-03-14";
    const groupMessageFields = (): Field[] => [
      choice("status", "confirmed", false),
      choice("attendance", "remote", false),
      id("track", c.trackIds[0]!, false),
      choice("constituency", "researcher", false),
      text("language", 40),
      choice("support", "yes", false),
      lenient("facilitators", "on"),
      text("subject", 150, true),
      text("body", 10_000, true),
      lenient("essential", "on"),
    ];
    const proposalFields = (): Field[] => [
      text("title", 150, true),
      text("abstract", 600, true),
      text("description", 4000),
      choice("format", c.format),
      number("length", c.lengths, ["0", "-30", "99999999999999999999"]),
      id("primaryTrack", c.trackIds[0]!),
      ids("linkedTracks", [c.trackIds[1]!]),
      list("languages", 6, 40),
      number("audienceSize", "30", ["0", "-1", "5001"], false),
      choices("needs", ["projector"]),
      { name: "coFacilitators", valid: "", required: false, bad: [INJ.script, INJ.img, "a@b", "not an email", Array.from({ length: 6 }, (_, i) => `co${i}@example.org`).join(" "), `${"x".repeat(250)}@example.org`] },
    ];
    const actionFields = (owner: number, organizations: number[] = []): Field[] => [
      text("title", 300, true),
      date("dueOn", future),
      ids("people", [owner]),
      ids("organizations", organizations),
      choice("visibility", "group"),
    ];
    const anyone = (who: Who) => clients[who]!;
    const routes: FormRoute[] = [
      { file: "login._index", path: "/login", reaches: EVERYONE, intents: [{ fields: [email("email", "someone@example.org"), { name: "redirectTo", valid: "/account", required: false, bad: [["/a", "/b"]] }] }] },
      { file: "login.code", path: "/login/code", reaches: EVERYONE, intents: [{ fields: [{ name: "code", valid: "123456", required: true, bad: [MISSING, "", "12345", "1234567", "abcdef", "１２３４５６", INJ.script, "12 34 5", ["123456", "654321"]] }] }] },
      { file: "login.verify", path: "/login/verify", reaches: EVERYONE, intents: [{ fields: [{ name: "token", valid: "A".repeat(43), required: true, bad: [MISSING, "", "x".repeat(101), INJ.script, INJ.sql, ["a", "b"], "%00"] }] }] },
      { file: "logout", path: "/logout", reaches: EVERYONE, rejects: false, client: (who) => logoutClients[who]!, intents: [{ fields: [{ name: "junk", valid: INJ.script, required: false, bad: [tooLong(1000), [INJ.img, INJ.sql]] }] }] },
      { file: "unsubscribe.$token", path: `/unsubscribe/${encodeURIComponent(INJ.script)}`, reaches: EVERYONE, intents: [{ fields: [choice("intent", "resume")] }] },
      { file: "unsubscribe.$token", path: `/unsubscribe/${c.participant}-agenda-${"0".repeat(32)}`, reaches: EVERYONE, intents: [{ fields: [choice("intent", "resume")] }] },
      { file: "unsubscribe.$token", path: `/unsubscribe/99999999999-reminders-${"a".repeat(32)}`, reaches: EVERYONE, intents: [{ fields: [choice("intent", "resume")] }] },
      {
        file: "account._index",
        path: "/account",
        reaches: ["participant", "organizer"],
        intents: [
          {
            fields: [
              text("publicName", 80, true),
              text("fullName", 120),
              text("pronouns", 40),
              text("organization", 120),
              choice("constituency", CONSTITUENCIES[0], false),
              text("country", 80),
              list("languages", 10, 40),
            ],
          },
        ],
      },
      { file: "account.data", path: "/account/data", reaches: ["participant", "organizer"], intents: [{ fields: [{ name: "confirm", valid: "on", required: true, bad: [MISSING, "", "off", "ON", "yes", "true", INJ.script, ["off", "on"]] }] }] },
      {
        file: "actions",
        path: "/actions",
        reaches: ["participant", "organizer"],
        intents: [{ fields: [text("text", 2000), choice("status", ACTION_STATUSES[1], false), id("action", c.ownAction)] }],
      },
      { file: "convenings.$slug.invitations.$token", path: `/convenings/${s}/invitations/${"b".repeat(43)}`, reaches: ["participant", "organizer"], intents: [{ fields: [choice("answer", "accept")] }] },
      { file: "convenings.$slug.invitations.$token", path: `/convenings/${s}/invitations/${encodeURIComponent(INJ.img)}`, reaches: ["participant"], intents: [{ fields: [choice("answer", "decline")] }] },
      { file: "convenings.$slug.my-agenda", path: `/convenings/${s}/my-agenda`, reaches: ["participant", "organizer"], intents: [{ intent: "reset-feed", strict: true, fields: [] }] },
      {
        file: "convenings.$slug.proposals.$id._index",
        path: `/convenings/${s}/proposals/${c.session}`,
        reaches: ["participant", "organizer"],
        intents: [
          { intent: "unavailable", strict: true, fields: [ids("slots", [c.slot])] },
          { intent: "label", strict: true, fields: [text("label", 80)] },
        ],
      },
      {
        file: "convenings.$slug.proposals.$id.edit",
        path: `/convenings/${s}/proposals/${c.ownDraft}/edit`,
        reaches: ["participant", "organizer"],
        refusedByRule: [["intent", "submit"], ["title", INJ.script], ["abstract", INJ.img], ["format", c.format], ["length", c.lengths], ["primaryTrack", "999999"]],
        intents: [{ intent: "submit", fields: proposalFields() }, { intent: "draft", fields: [text("title", 150, true), number("audienceSize", "12", ["0", "5001"], false)] }],
      },
      { file: "convenings.$slug.proposals._index", path: `/convenings/${s}/proposals?index`, reaches: ["participant", "organizer"], intents: [{ fields: [text("label", 80)] }] },
      { file: "convenings.$slug.proposals.new", path: `/convenings/${s}/proposals/new`, reaches: ["participant", "organizer"], refusedByRule: [["intent", "submit"], ["title", INJ.script], ["abstract", INJ.img], ["format", c.format], ["length", c.lengths], ["primaryTrack", "999999"]], intents: [{ intent: "submit", fields: proposalFields() }, { intent: "draft", fields: [text("title", 150, true), choices("needs", ["step_free"])] }] },
      {
        file: "convenings.$slug.register",
        path: `/convenings/${s}/register`,
        reaches: ["participant", "organizer"],
        refusedByRule: [["intent", "register"], ["displayName", INJ.img], ["attendance", "remote"], ["tracks", String(c.trackIds[0])]],
        intents: [
          {
            intent: "update",
            strict: true,
            fields: [
              text("displayName", 80, true),
              text("pronouns", 40),
              text("organization", 120),
              choice("constituency", CONSTITUENCIES[1], false),
              text("country", 80),
              choice("attendance", ATTENDANCE[0]),
              ids("tracks", [c.trackIds[0]!], true),
              list("languages", 10, 40),
              list("interpretation", 10, 40),
              choices("accessNeeds", [ACCESS_NEEDS[0]]),
              text("accessOther", 500),
              text("dietary", 300),
              { name: "supportRequested", valid: "no", required: false, bad: [...BAD_CHOICES, ""] },
              text("supportReason", 1000),
              text("emergencyContact", 200),
              lenient("consentDirectory", "on"),
              lenient("consentContact", INJ.script),
              lenient("consentPhotos", ""),
            ],
            bodies: [[["intent", "update"], ["displayName", "Ana"], ["attendance", "in_person"], ["tracks", String(c.trackIds[0])], ["supportRequested", "yes"], ["supportReason", "  "]]],
          },
        ],
      },
      {
        file: "convenings.$slug.sessions.$id",
        path: `/convenings/${s}/sessions/${c.session}`,
        reaches: ["participant", "organizer"],
        intents: [
          { intent: "note", fields: [text("text", 2000, true)] },
          { intent: "action-item", fields: actionFields(c.participant) },
        ],
      },
      { file: "convenings.$slug.sessions._index", path: `/convenings/${s}/sessions?index`, reaches: ["participant", "organizer"], intents: [{ fields: [id("proposal", c.session), choice("interested", "yes")] }] },
      { file: "organize.$slug.actions", path: `/organize/${s}/actions`, reaches: ["organizer"], intents: [{ fields: actionFields(c.otherPerson) }] },
      { file: "organize.$slug.actions_.$id", path: `/organize/${s}/actions/${c.actionItem}`, reaches: ["organizer"], intents: [{ fields: actionFields(c.otherPerson, [c.organization]) }] },
      {
        file: "organize.$slug.agenda",
        path: `/organize/${s}/agenda`,
        reaches: ["organizer"],
        intents: [
          { intent: "add-room", strict: true, fields: [text("name", 80, true), number("capacity", "40", ["-1", "100001"]), choices("features", [ROOM_FEATURES[0]])] },
          { intent: "add-slot", strict: true, fields: [{ ...date("date", "2031-01-01"), bad: [...BAD_DATES, MISSING] }, { name: "time", valid: "09:00", required: true, bad: ["24:00", "12:60", "9:00", "noon", INJ.script, MISSING] }, number("minutes", "60", ["9", "601", "0"])] },
          { intent: "add-fixed", strict: true, fields: [text("title", 120, true), choice("kind", FIXED_KINDS[0]), id("slot", c.slot), id("room", c.room, false)] },
          { intent: "remove", strict: true, fields: [choice("kind", "fixed"), id("id", 999_999)] },
          { intent: "place", strict: true, fields: [id("proposal", c.placed), id("slot", c.slot), id("room", 999_999)] },
          { intent: "unplace", strict: true, fields: [id("proposal", 999_999)] },
          { intent: "pin", strict: true, fields: [id("proposal", 999_999)] },
          { intent: "unpin", strict: true, fields: [id("proposal", 999_999)] },
          { intent: "publish", strict: true, fields: [{ ...text("note", 500), valid: tooLong(500), bad: [[INJ.script, INJ.img]] }] },
        ],
      },
      {
        file: "organize.$slug.agenda_.suggest",
        path: `/organize/${s}/agenda/suggest`,
        reaches: ["organizer"],
        intents: [
          { intent: "start", strict: true, fields: [choice("mode", "keep"), lenient("fairness", "on"), choice("seconds", "60", false)] },
          { intent: "stop", strict: true, fields: [id("job", 999_999)] },
          { intent: "accept", strict: true, fields: [id("job", 999_999)] },
          { intent: "discard", strict: true, fields: [id("job", 999_999)] },
        ],
      },
      {
        file: "organize.$slug.proposals.$id",
        path: `/organize/${s}/proposals/${c.submitted}`,
        reaches: ["organizer"],
        intents: [
          { intent: "review", strict: true, fields: [text("comment", 2000), number(`score-${c.criterion}`, "3", ["0", "6", "-1"])] },
          { intent: "decide", strict: true, fields: [choice("decision", "accepted"), text("message", 1000)] },
        ],
      },
      { file: "organize.$slug.proposals._index", path: `/organize/${s}/proposals?index`, reaches: ["organizer"], intents: [{ fields: [choice("decision", "waitlisted"), ids("ids", [c.submitted], true), text("message", 1000)] }] },
      {
        file: "organize.$slug.proposals.release",
        path: `/organize/${s}/proposals/release`,
        reaches: ["organizer"],
        // A well-formed fingerprint of no preview shown: the release is refused as stale.
        refusedByRule: [["fingerprint", "0".repeat(64)]],
        intents: [{ fields: [{ name: "fingerprint", valid: "0".repeat(64), required: true, bad: [MISSING, "", "0".repeat(63), "0".repeat(65), "G".repeat(64), INJ.script, INJ.sql, ["0".repeat(64), "1".repeat(64)]] }] }],
      },
      {
        file: "organize.$slug.proposals.settings",
        path: `/organize/${s}/proposals/settings`,
        reaches: ["organizer"],
        refusedByRule: [["intent", "add-reviewer"], ["email", "reviewer-to-be@example.org"], ["track", "999999"]],
        intents: [
          {
            intent: "settings",
            strict: true,
            fields: [dateTime("opensAt", "2026-01-01T10:00"), dateTime("closesAt", "2031-01-01T10:00"), choices("formats", [SESSION_FORMATS[0]], true), { name: "lengths", valid: ["60"], required: true, bad: [["14"], ["481"], ["abc"], ["60", "1e309"], "15 30 45 60 90 120 240", MISSING] }, lenient("reviewAnonymous", "on"), lenient("interestOpen", INJ.script)],
            bodies: [[["intent", "settings"], ["opensAt", "2031-01-01T10:00"], ["closesAt", "2030-01-01T10:00"], ["formats", "workshop"], ["lengths", "60"]]],
          },
          { intent: "add-criterion", strict: true, fields: [text("name", 120, true), text("description", 400), number("weight", "3", ["0", "11", "-1"])] },
          { intent: "remove-criterion", strict: true, fields: [id("id", 999_999)] },
          { intent: "add-reviewer", strict: true, fields: [email("email", "new-reviewer@example.org"), id("track", 999_999)] },
          { intent: "remove-reviewer", strict: true, fields: [id("id", 999_999)] },
        ],
      },
      {
        file: "convenings.$slug.letter",
        path: `/convenings/${s}/letter`,
        reaches: ["participant", "organizer"],
        intents: [{ fields: [text("passportName", 200, true), text("nationality", 80, true), text("passportNumber", 40, true), date("birthDate", "1990-01-01", false), text("note", 1000)] }],
      },
      { file: "organize.$slug.registrations.$id", path: `/organize/${s}/registrations/${c.registration}`, reaches: ["organizer"], intents: [{ fields: [choice("decision", "approve"), text("message", 1000)] }] },
      {
        file: "organize.$slug.registrations._index",
        path: `/organize/${s}/registrations?index`,
        reaches: ["organizer"],
        intents: [
          {
            fields: [dateTime("opensAt", "2026-01-01T10:00"), dateTime("closesAt", "2031-01-01T10:00"), number("capacity", "70", ["-1", "1000001"], false), lenient("approvalRequired", ""), date("retentionOn", "2035-01-01", false)],
            bodies: [[["opensAt", "2031-01-01T10:00"], ["closesAt", "2030-01-01T10:00"]], [["retentionOn", "2000-01-01"]]],
          },
        ],
      },
      {
        file: "organize.convenings.new",
        path: "/organize/convenings/new",
        reaches: ["organizer"],
        refusedByRule: [["title", INJ.script], ["slug", c.slug], ["startsOn", "2031-06-01"], ["endsOn", "2031-06-03"], ["timeZone", "UTC"]],
        intents: [
          {
            fields: [
              text("title", 150, true),
              { name: "slug", valid: "hostile-new-convening", required: true, bad: [MISSING, "", "ab", "-abc", "abc-", "abc_def", INJ.script, INJ.sql, "a".repeat(70), c.slug] },
              date("startsOn", "2031-06-01"),
              date("endsOn", "2031-06-03"),
              { name: "timeZone", valid: "Europe/Lisbon", required: true, bad: [MISSING, "", "Mars/Olympus", "UTC+25", INJ.script, ["UTC", "UTC"]] },
              text("venue", 200),
              id("copyFrom", "", false),
            ],
            bodies: [[["title", "Backwards"], ["slug", "backwards-dates"], ["startsOn", "2031-06-03"], ["endsOn", "2031-06-01"], ["timeZone", "UTC"]]],
          },
        ],
      },
      { file: "organize.$slug.badges", path: `/organize/${s}/badges`, reaches: ["organizer"], intents: [{ fields: [choice("paper", "A4"), choice("status", "confirmed", false), choice("attendance", "in_person", false), id("track", c.trackIds[0]!, false)] }] },
      { file: "organize.$slug.desk", path: `/organize/${s}/desk`, reaches: ["organizer"], intents: [{ intent: "arrived", strict: true, fields: [id("registrationId", c.registration)] }] },
      {
        file: "organize.$slug.desk_.volunteers",
        path: `/organize/${s}/desk/volunteers`,
        reaches: ["organizer"],
        intents: [
          { intent: "add", strict: true, fields: [email("email", "hostile-volunteer@example.org")] },
          { intent: "remove", strict: true, fields: [id("personId", 999_999)] },
        ],
      },
      {
        file: "organize.$slug.letters",
        path: `/organize/${s}/letters`,
        reaches: ["organizer"],
        intents: [
          { intent: "template", strict: true, fields: [text("letterhead", 600), text("signerName", 120, true), text("signerRole", 120, true), text("body", 8000)] },
          { intent: "decide", strict: true, fields: [id("id", 999_999), choice("decision", "approve"), text("message", 2000)] },
        ],
      },
      {
        file: "organize.$slug.registrations.questions",
        path: `/organize/${s}/registrations/questions`,
        reaches: ["organizer"],
        intents: [
          { intent: "move", strict: true, fields: [id("id", 999_999), choice("direction", "up")] },
          { intent: "remove", strict: true, fields: [id("id", 999_999)] },
          { intent: "restore", strict: true, fields: [id("id", 999_999)] },
        ],
      },
      // The convening is published already: publishing it again is refused by the rule (409).
      { file: "organize.$slug._index", path: `/organize/${s}?index`, reaches: ["organizer"], refusedByRule: [["change", "publish"]], intents: [{ fields: [choice("change", "publish")] }] },
      { file: "organize.mail", path: "/organize/mail", reaches: ["organizer"], intents: [{ intent: "retry", strict: true, fields: [id("id", c.sentMail)] }] },
      {
        file: "organize.$slug.messages",
        path: `/organize/${s}/messages`,
        reaches: ["organizer"],
        // Well formed, but not what any preview showed: refused, nothing queued.
        refusedByRule: [["intent", "queue"], ["subject", INJ.script], ["body", INJ.img], ["token", "a".repeat(32)], ["fingerprint", "0".repeat(64)]],
        intents: [
          { intent: "preview", strict: true, fields: groupMessageFields() },
          {
            intent: "queue",
            strict: true,
            fields: [
              ...groupMessageFields(),
              { name: "token", valid: "a".repeat(32), required: true, bad: [MISSING, "", "short", INJ.script, "a".repeat(65), ["a".repeat(32), "a".repeat(32)]] },
              { name: "fingerprint", valid: "0".repeat(64), required: true, bad: [MISSING, "", "0".repeat(63), "g".repeat(64), INJ.sql, ["0".repeat(64), "0".repeat(64)]] },
            ],
          },
        ],
      },
      {
        file: "organize.$slug.support",
        path: `/organize/${s}/support`,
        reaches: ["organizer"],
        intents: [
          { intent: "budget", strict: true, fields: [{ name: "amount", valid: "1500.50", required: true, bad: [MISSING, "", "0", "-1", "1.234", "1e3", INJ.script, "9".repeat(20), ["1", "1"]] }, choice("currency", "EUR")] },
          { intent: "decide", strict: true, fields: [id("requestId", 999_999), choice("outcome", "granted"), text("message", 1000)] },
        ],
      },
      { file: "organize.mail_.$id", path: `/organize/mail/${c.sentMail}`, reaches: ["organizer"], intents: [{ intent: "retry", strict: true, fields: [] }] },
    ];
    return routes.map((route) => ({ client: anyone, ...route }));
  }

  /** Every malformed variant of an intent: one field wrong at a time, the rest valid. */
  function variants(intent: Intent): Array<{ label: string; fields: Array<[string, string]> }> {
    const out: Array<{ label: string; fields: Array<[string, string]> }> = [];
    if (intent.strict && intent.intent !== undefined) {
      for (const bad of [MISSING, "", INJ.script, INJ.sql, intent.intent.toUpperCase(), ` ${intent.intent}`, [INJ.script, intent.intent]] as Value[]) {
        out.push({ label: `intent=${describeValue(bad)}`, fields: bodyOf(intent, { name: "intent", value: bad }) });
      }
    }
    for (const field of intent.fields) {
      for (const bad of field.bad) out.push({ label: `${field.name}=${describeValue(bad)}`, fields: bodyOf(intent, { name: field.name, value: bad }) });
    }
    for (const body of intent.bodies ?? []) out.push({ label: `fields ${describeValue(body.map(([k, v]) => `${k}=${v}`))}`, fields: body });
    return out;
  }

  /** Broken encodings, wrong content types, huge bodies and odd methods, around a malformed form. */
  function encodingProbes(route: FormRoute, who: Who, client: HttpClient): Probe[] {
    const intent = route.intents[0]!;
    const [first] = variants(intent);
    const fields = [...(first?.fields ?? bodyOf(intent)), ["csrf", client.token] as [string, string]];
    const names = intent.fields.map((f) => f.name);
    const hasRequired = intent.fields.some((f) => f.required);
    const token = `csrf=${encodeURIComponent(client.token)}`;
    const base = { path: dataPath(route.path), who, client };
    const asDocument = { path: route.path };
    const reject = route.rejects !== false;
    const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
    const withFiles = new FormData();
    for (const [k, v] of fields) withFiles.append(k, v);
    withFiles.append("upload", new Blob([INJ.script], { type: "text/html" }), "x.html");
    const filesForFields = new FormData();
    filesForFields.append("csrf", client.token);
    if (intent.intent) filesForFields.append("intent", intent.intent);
    for (const name of names) filesForFields.append(name, new Blob(["1"]), `${name}.txt`);
    const bigField = (size: number) => form([...fields, [names[0] ?? "junk", "A".repeat(size)]]);
    // Broken bytes decode to replacement characters, which are text like any other: where every
    // field is optional, a malformed field goes along so that the form is still one to refuse.
    const stillBad = hasRequired || intent.strict ? "" : `&${form(first?.fields ?? [])}`;
    const probes: Probe[] = [
      { ...base, ...asDocument, label: "invalid UTF-8 bytes", method: "POST", contentType: URLENCODED, body: bytes(`${token}&`, ...names.flatMap((n): Array<string | number[]> => [`${n}=`, [0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80], "&"]), "intent=", [0xc3, 0x28], stillBad), mustReject: reject },
      { ...base, label: "malformed percent-encoding", method: "POST", contentType: URLENCODED, body: `${token}&${names.map((n) => `${n}=%E0%A4%A%zz%`).join("&")}&%=%&intent=%${stillBad}`, mustReject: reject },
      { ...base, label: "percent-encoded invalid UTF-8 and NUL", method: "POST", contentType: URLENCODED, body: `${token}&${names.map((n) => `${n}=%FF%FE%C0%80%00%ED%A0%80`).join("&")}${stillBad}`, mustReject: reject },
      { ...base, label: "JSON body", method: "POST", contentType: "application/json", body: JSON.stringify(Object.fromEntries(fields)), mustReject: reject },
      { ...base, label: "text/plain body", method: "POST", contentType: "text/plain", body: form(fields), mustReject: reject },
      { ...base, label: "no content type", method: "POST", body: new TextEncoder().encode(form(fields)), mustReject: reject },
      { ...base, label: "multipart without boundary", method: "POST", contentType: "multipart/form-data", body: form(fields), mustReject: reject },
      { ...base, label: "multipart, unterminated", method: "POST", contentType: "multipart/form-data; boundary=XyZ", body: `--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${client.token}\r\n--XyZ\r\nContent-Disposition: form-data; name="${names[0] ?? "x"}"\r\n\r\n${INJ.script}`, mustReject: reject },
      { ...base, label: "multipart, random bytes", method: "POST", contentType: "multipart/form-data; boundary=XyZ", body: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256), mustReject: reject },
      { ...base, label: "multipart, headers without names", method: "POST", contentType: "multipart/form-data; boundary=XyZ", body: `--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ\r\nContent-Type: text/html\r\n\r\n${INJ.script}\r\n--XyZ--\r\n`, mustReject: reject },
      { ...base, ...asDocument, label: "multipart with a stray file", method: "POST", body: withFiles, mustReject: reject },
      { ...base, label: "latin-1 charset", method: "POST", contentType: `${URLENCODED}; charset=ISO-8859-1`, body: bytes(`${form(fields)}&${names[0] ?? "x"}=`, [0xe9, 0xff, 0x00]), mustReject: reject },
      { ...base, label: "UTF-16 charset", method: "POST", contentType: `${URLENCODED}; charset=utf-16`, body: Buffer.from(form(fields), "utf16le"), mustReject: reject },
      { ...base, ...asDocument, label: "1 MB field (over the server's limit)", method: "POST", contentType: URLENCODED, body: bigField(1_100_000), mustReject: reject },
      { ...base, label: "300 KB field (over the form limit)", method: "POST", contentType: URLENCODED, body: bigField(300_000), mustReject: reject },
      { ...base, label: "2 MB chunked body without a length", method: "POST", contentType: URLENCODED, body: chunked(2 * 1024 * 1024), mustReject: reject },
      { ...base, label: "prototype-polluting names", method: "POST", contentType: URLENCODED, body: `${form(fields)}&__proto__=x&__proto__%5Bpolluted%5D=1&constructor%5Bprototype%5D%5Bx%5D=1&hasOwnProperty=x`, mustReject: reject },
      { ...base, ...asDocument, label: "every field repeated", method: "POST", contentType: URLENCODED, body: form([...fields, ...fields.filter(([k]) => k !== "csrf" && k !== "intent").map(([k]): [string, string] => [k, INJ.img])]), mustReject: reject },
      { ...base, label: "PUT", method: "PUT", contentType: URLENCODED, body: form(fields), mustReject: reject },
      { ...base, ...asDocument, label: "DELETE", method: "DELETE", contentType: URLENCODED, body: form(fields), mustReject: reject },
      { ...base, label: "anti-forgery token of someone else", method: "POST", contentType: URLENCODED, body: form([...fields.filter(([k]) => k !== "csrf"), ["csrf", "A".repeat(43)]]), mustReject: true },
    ];
    if (route.refusedByRule) {
      // Refused by a rule after validation, where some actions send the form back as it came.
      const refused = new FormData();
      for (const [k, v] of [...route.refusedByRule, ["csrf", client.token] as const]) refused.append(k, v);
      refused.append("upload", new Blob([INJ.script], { type: "text/html" }), `${INJ.img}.html`);
      probes.push({ ...base, ...asDocument, label: "refused by a rule", method: "POST", contentType: URLENCODED, body: form([...route.refusedByRule, ["csrf", client.token]]), mustReject: true });
      probes.push({ ...base, ...asDocument, label: "refused by a rule, with a file", method: "POST", body: refused, mustReject: true });
      probes.push({ ...base, label: "refused by a rule, with a file", method: "POST", body: refused, mustReject: true });
    }
    if (hasRequired) probes.push({ ...base, label: "files for every field", method: "POST", body: filesForFields, mustReject: reject });
    if (route.path.endsWith("?index")) probes.push({ ...base, label: "index route without ?index", path: route.path.replace("?index", ""), method: "POST", contentType: URLENCODED, body: form(fields), mustReject: false });
    return probes;
  }

  function dataPath(p: string): string {
    const [pathname, search] = p.split("?");
    return `${pathname}.data${search ? `?${search}` : ""}`;
  }

  it("refuses every malformed form, changing nothing", async () => {
    const before = sent;
    // Pages create a few things on first visit (the private calendar addresses): visit them once first.
    for (const who of ["participant", "organizer"] as const) {
      for (const p of ["/actions", `/convenings/${c.slug}/my-agenda`]) await send({ label: "first visit", method: "GET", path: p, who, client: clients[who], mustReject: false });
    }
    baseline = await databaseFingerprint(db, FINGERPRINT);
    const routes = formRoutes();
    const started = Date.now();
    for (const route of routes) {
      for (const who of EVERYONE) {
        const client = route.client!(who);
        // The first who gets past the door gets every variant; others who get past it a quarter;
        // those stopped at the door (not signed in, not an organizer) an eighth.
        const every = who === route.reaches[0] ? 1 : route.reaches.includes(who) ? 4 : 8;
        if (lighter && every > 1) continue;
        const probes: Probe[] = [];
        for (const intent of route.intents) {
          // Most variants go as the app's own client-side submissions do (single fetch, no page
          // rendered); every fifth as a document POST, whose page shows the refused values again.
          const chosen = variants(intent).filter((_, i) => i % every === 0);
          const asForms = chosen.map(
            (v, i): Probe => ({
              label: v.label,
              method: "POST",
              path: i % 5 === 0 ? route.path : dataPath(route.path),
              who,
              client,
              contentType: URLENCODED,
              body: form([...v.fields, ["csrf", client.token]]),
              mustReject: route.rejects !== false,
            }),
          );
          if (every === 1) await group(`${route.file} as ${who}, ${intent.intent ?? "form"}`, asForms);
          else probes.push(...asForms);
        }
        const encodings = encodingProbes(route, who, client).filter((p) => every === 1 || CORE_ENCODINGS.has(p.label));
        await group(`${route.file} as ${who}, ${every === 1 ? "encodings" : "sample"}`, [...probes, ...encodings], 2);
      }
    }
    console.log(`malformed forms: ${sent - before} requests in ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
    // Each test counts what it sent itself, so it means the same run alone or after the others.
    expect(sent - before).toBeGreaterThanOrEqual(1000);
  }, 300_000);
  // -------------------------------------------------------------------------------------------
  // Every address, with hostile parameters and query strings.

  const e = encodeURIComponent;
  const QUERIES = [
    `?redirectTo=${e('/"><script>alert(1)</script>')}&track=${e(INJ.script)}&status=${e(INJ.sql)}&page=-1&done=${e(INJ.script)}&token=${e(INJ.img)}&action=${e(INJ.sql)}&welcome=1&owner=${e(INJ.img)}&format=${e(INJ.script)}&feed=reset&label=saved&saved=1&created=${e(INJ.script)}&invitation=declined&overdue=1&sensitive=1`,
    `?redirectTo=//evil.example/x&track=99999999999999999999&page=1e400&status=confirmed&status=waitlisted&constituency=__proto__&attendance=toString&support=constructor&__proto__=x`,
    `?redirectTo=${e(INJ.js)}&track=%E0%A4%A&page=%zz&%=%&q=%FF%FE&__proto__[x]=1&token=%00&action=%00`,
    `?redirectTo=%2F%09%2Fevil.example&token=${"a".repeat(6000)}&owner=${"b".repeat(3000)}&page=0`,
    `?owner=%00&track=2147483648&status=%00&action=%00`,
  ];
  const HOSTILE_SEGMENTS = [e(INJ.script), e(INJ.sql), "%E0%A4%A", "%00", "-1", "0", "99999999999999999999", "2147483648", "x".repeat(2000)];

  /** The address a route file answers, with its parameters as `$name` (see the flat routes convention). */
  function addressOf(file: string): string {
    if (file === "$") return "/$";
    const segments = file
      .replace(/\[\.\]/g, "%DOT%")
      .split(".")
      .filter((segment) => segment !== "_index")
      .map((segment) => segment.replace(/_$/, "").replace(/%DOT%/g, "."));
    return `/${segments.join("/")}`;
  }

  function realParam(file: string, param: string): string {
    if (param === "slug") return c.slug;
    if (param === "track") return c.trackSlug;
    if (param === "") return "some/where/else";
    if (param === "token") return file.startsWith("feeds.") ? (file.includes("actions") ? c.actionsFeed : c.agendaFeed) : file.startsWith("unsubscribe") ? c.unsubscribe : "b".repeat(43);
    if (file.startsWith("organize.$slug.actions_")) return String(c.actionItem);
    if (file.startsWith("organize.mail_")) return String(c.sentMail);
    if (file.startsWith("organize.$slug.proposals")) return String(c.submitted);
    if (file.startsWith("organize.$slug.registrations")) return String(c.registration);
    return String(c.session);
  }

  function fill(file: string, override?: { param: string; value: string }): string {
    return addressOf(file).replace(/\$([a-z]*)/g, (_, param: string) => (override?.param === param ? override.value : realParam(file, param)));
  }

  function mainUser(file: string): Who {
    if (file.startsWith("organize")) return "organizer";
    if (/^(login|logout|unsubscribe|healthz|_index|\$$)/.test(file)) return "visitor";
    return "participant";
  }

  const ROUTE_FILES = fs
    .readdirSync(path.join(process.cwd(), "app/routes"))
    .filter((f) => /\.(tsx|ts)$/.test(f))
    .map((f) => f.replace(/\.(tsx|ts)$/, ""))
    .sort();

  it("covers every route file: each is visited, and each with an action gets malformed forms", () => {
    const withAction = ROUTE_FILES.filter((f) => /export (async )?function action/.test(fs.readFileSync(path.join(process.cwd(), "app/routes", fs.readdirSync(path.join(process.cwd(), "app/routes")).find((g) => g.replace(/\.(tsx|ts)$/, "") === f)!), "utf8")));
    expect(new Set(formRoutes().map((r) => r.file))).toEqual(new Set(withAction));
    expect(ROUTE_FILES.length).toBeGreaterThan(40);
  });

  it("answers every address with hostile parameters and query strings without an error, changing nothing", async () => {
    failures.length = 0;
    const before = sent;
    const started = Date.now();
    baseline = await databaseFingerprint(db, FINGERPRINT);
    let turn = 0;
    for (const file of ROUTE_FILES) {
      const main = mainUser(file);
      const params = [...addressOf(file).matchAll(/\$([a-z]*)/g)].map((m) => m[1]!);
      const probes: Probe[] = [];
      const get = (who: Who, address: string, label: string) => probes.push({ label, method: "GET", path: address, who, client: clients[who], mustReject: false });
      for (const who of lighter ? [main] : EVERYONE) {
        // The main visitor of a page gets every variant; the others one of each kind, in turn.
        const pick = <T,>(list: T[]) => (who === main ? list : [list[turn++ % list.length]!]);
        get(who, fill(file), "as it is");
        for (const query of pick(QUERIES)) get(who, `${fill(file)}${query}`, `query ${query.slice(0, 40)}`);
        for (const param of params) {
          const values = param === "slug" ? [e(INJ.script), "%E0%A4%A", "%00", "x".repeat(2000)] : HOSTILE_SEGMENTS;
          for (const value of pick(values)) get(who, fill(file, { param, value }), `${param || "splat"}=${value.slice(0, 30)}`);
        }
        if (who === main) get(who, `${dataPath(fill(file))}${QUERIES[0]!.replace("?", addressOf(file).endsWith("/") ? "?index&" : "?")}`, "single-fetch data with a hostile query");
      }
      if (file === "convenings.$slug.sessions.$id.calendar[.]ics") {
        // Its public address, rewritten by the server.
        for (const value of ["1", "-1", "99999999999999999999", e(INJ.script)]) get(main, `/convenings/${c.slug}/sessions/${value}.ics${QUERIES[2]}`, `session calendar ${value}`);
      }
      await group(`GET ${file}`, probes);
    }
    console.log(`hostile addresses: ${sent - before} requests in ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
    expect(sent - before).toBeGreaterThanOrEqual(500);
  }, 300_000);

  // -------------------------------------------------------------------------------------------
  // Well-formed text that looks like an attack is data: stored exactly, shown escaped.

  const ESCAPED = {
    script: "&lt;script&gt;alert(1)&lt;/script&gt;",
    img: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    sql: "&#x27;; DROP TABLE people;--",
  };

  it("stores nasty but well-formed text exactly as sent, and shows it escaped everywhere", async () => {
    failures.length = 0;
    await db.deleteFrom("rate_limit_hits").execute();
    const s = c.slug;
    const future = "2031-03-14";
    async function accepted(who: Who, address: string, fields: Array<[string, string]>, expected: (a: Answer) => boolean, body?: Uint8Array) {
      const client = clients[who]!;
      const answer = await send({ label: "accepted", method: "POST", path: address, who, client, contentType: URLENCODED, body: body ?? form([...fields, ["csrf", client.token]]), mustReject: false });
      expect(expected(answer), `${address}: ${answer.status} ${answer.location ?? answer.body.slice(0, 300)}`).toBe(true);
      return answer;
    }
    const redirectTo = (prefix: string) => (a: Answer) => a.status === 302 && (a.location ?? "").startsWith(prefix);
    const ok = (a: Answer) => a.status === 200;

    // The participant's profile, registration, proposal, label, session outcomes and action update.
    const profile: Array<[string, string]> = [["publicName", INJ.script], ["fullName", INJ.img], ["pronouns", INJ.js], ["organization", INJ.sql], ["country", INJ.img], ["languages", `${INJ.sql}, ${INJ.js}`]];
    await accepted("participant", "/account", profile, ok);
    // Browsers drop the tab in "/\t/evil.example" and read "//evil.example": saved, but not followed.
    await accepted("participant", "/account", [...profile, ["redirectTo", "/\t/evil.example"]], ok);
    const mine = await db.selectFrom("registrations").select(["id", "attendance"]).where("convening_id", "=", c.conveningId).where("person_id", "=", c.participant).executeTakeFirstOrThrow();
    await accepted(
      "participant",
      `/convenings/${s}/register`,
      [["intent", "update"], ["displayName", INJ.img], ["pronouns", INJ.js], ["organization", INJ.script], ["country", INJ.sql], ["attendance", mine.attendance], ["tracks", String(c.trackIds[0])], ["languages", INJ.script], ["interpretation", INJ.img], ["accessOther", INJ.script], ["dietary", INJ.img], ["supportRequested", "yes"], ["supportKinds", "travel"], ["support_travel_amount", "450"], ["support_travel_currency", "EUR"], ["supportReason", INJ.sql], ["emergencyContact", INJ.js], ["consentDirectory", "on"], ["consentContact", "on"]],
      redirectTo(`/convenings/${s}/register?done=updated`),
    );
    const created = await accepted("participant", `/convenings/${s}/proposals/new`, [["intent", "draft"], ["title", INJ.script], ["abstract", INJ.img], ["description", `${INJ.js}\n${INJ.sql}`], ["languages", INJ.sql]], redirectTo(`/convenings/${s}/proposals/`));
    const newProposal = Number(/proposals\/(\d+)/.exec(created.location!)![1]);
    // Broken bytes decode to replacement characters: text like any other.
    await accepted("participant", `/convenings/${s}/proposals?index`, [], redirectTo(`/convenings/${s}/proposals?label=saved`), Buffer.concat([Buffer.from(`csrf=${e(clients.participant!.token)}&label=x`), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from("y")]));
    const garbled = await db.selectFrom("facilitation_labels").select("label").where("convening_id", "=", c.conveningId).where("person_id", "=", c.participant).executeTakeFirstOrThrow();
    expect(garbled.label).toBe("x\uFFFD\uFFFD\uFFFD(y");
    await accepted("participant", `/convenings/${s}/proposals?index`, [["label", INJ.img]], redirectTo(`/convenings/${s}/proposals?label=saved`));
    await accepted("participant", `/convenings/${s}/sessions/${c.session}`, [["intent", "note"], ["text", `${INJ.script}\n${INJ.img}`]], redirectTo(`/convenings/${s}/sessions/${c.session}?done=1`));
    await accepted("participant", `/convenings/${s}/sessions/${c.session}`, [["intent", "action-item"], ["title", INJ.img], ["dueOn", future], ["people", String(c.participant)], ["visibility", "group"]], redirectTo(`/convenings/${s}/sessions/${c.session}?done=1`));
    await accepted("participant", "/actions", [["action", String(c.ownAction)], ["text", INJ.script]], redirectTo("/actions?done=update"));

    // The organizer's setup, decisions and new convening; a visitor's sign-in with an odd address.
    await accepted("organizer", `/organize/${s}/agenda`, [["intent", "add-room"], ["name", INJ.script], ["capacity", "12"], ["features", "projector"]], ok);
    await accepted("organizer", `/organize/${s}/proposals/settings`, [["intent", "add-criterion"], ["name", INJ.img], ["description", INJ.script], ["weight", "2"]], redirectTo(`/organize/${s}/proposals/settings?done=criterion`));
    await accepted("organizer", `/organize/${s}/actions`, [["title", INJ.sql], ["dueOn", future], ["people", String(c.participant)], ["visibility", "organizers"]], redirectTo(`/organize/${s}/actions?done=1`));
    await accepted("organizer", `/organize/${s}/proposals/${c.submitted}`, [["intent", "decide"], ["decision", "waitlisted"], ["message", INJ.script]], redirectTo(`/organize/${s}/proposals/${c.submitted}?done=decision`));
    await accepted("organizer", "/organize/convenings/new", [["title", INJ.script], ["slug", "nasty-but-valid"], ["startsOn", "2031-06-01"], ["endsOn", "2031-06-02"], ["timeZone", "UTC"], ["venue", INJ.img], ["copyFrom", ""]], redirectTo("/organize/nasty-but-valid?created="));
    // A new convening is a draft: published, its title shows on the public pages.
    await accepted("organizer", "/organize/nasty-but-valid?index", [["change", "publish"]], redirectTo("/organize/nasty-but-valid?done=published"));
    await accepted("visitor", "/login", [["email", `${INJ.script}@example.org`]], redirectTo("/login/code"));

    // Stored exactly as sent.
    const person = await db.selectFrom("people").leftJoin("organizations", "organizations.id", "people.organization_id").select(["public_name", "full_name", "pronouns", "country", "languages", "organizations.name as organization"]).where("people.id", "=", c.participant).executeTakeFirstOrThrow();
    expect(person).toEqual({ public_name: INJ.script, full_name: INJ.img, pronouns: INJ.js, country: INJ.img, languages: JSON.stringify([INJ.sql, INJ.js]), organization: INJ.sql });
    const registration = await db.selectFrom("registrations").select(["display_name", "organization", "country", "access_other", "dietary", "emergency_contact"]).where("id", "=", mine.id).executeTakeFirstOrThrow();
    expect(registration).toEqual({ display_name: INJ.img, organization: INJ.script, country: INJ.sql, access_other: INJ.script, dietary: INJ.img, emergency_contact: INJ.js });
    expect((await db.selectFrom("support_requests").select("reason").where("registration_id", "=", mine.id).executeTakeFirstOrThrow()).reason).toBe(INJ.sql);
    expect(await db.selectFrom("proposals").select(["title", "abstract", "description"]).where("id", "=", newProposal).executeTakeFirstOrThrow()).toEqual({ title: INJ.script, abstract: INJ.img, description: `${INJ.js}\n${INJ.sql}` });
    expect((await db.selectFrom("session_notes").select("text").where("proposal_id", "=", c.session).orderBy("id", "desc").executeTakeFirstOrThrow()).text).toBe(`${INJ.script}\n${INJ.img}`);
    expect((await db.selectFrom("rooms").select("name").where("convening_id", "=", c.conveningId).orderBy("id", "desc").executeTakeFirstOrThrow()).name).toBe(INJ.script);
    expect((await db.selectFrom("convenings").select(["title", "venue"]).where("slug", "=", "nasty-but-valid").executeTakeFirstOrThrow())).toEqual({ title: INJ.script, venue: INJ.img });
    expect((await db.selectFrom("login_tokens").select("email").orderBy("id", "desc").executeTakeFirstOrThrow()).email).toBe(`${INJ.script}@example.org`);

    // Shown escaped: each page holds the escaped text, and (checked on every answer) never the markup.
    const registrationId = mine.id;
    const pages: Array<[Who, string, string[]]> = [
      ["participant", "/account", [ESCAPED.script, ESCAPED.img, ESCAPED.sql]],
      ["participant", "/", [ESCAPED.script]],
      ["participant", `/convenings/${s}/participants`, [ESCAPED.img]],
      ["participant", `/convenings/${s}/register?edit=1`, [ESCAPED.img, ESCAPED.script, ESCAPED.sql]],
      ["participant", `/convenings/${s}/proposals`, [ESCAPED.script, ESCAPED.img]],
      ["participant", `/convenings/${s}/proposals/${newProposal}`, [ESCAPED.script, ESCAPED.img, ESCAPED.sql]],
      ["participant", `/convenings/${s}/proposals/${newProposal}/edit`, [ESCAPED.script, ESCAPED.img]],
      ["participant", `/convenings/${s}/sessions/${c.session}`, [ESCAPED.script, ESCAPED.img]],
      ["participant", "/actions", [ESCAPED.script, ESCAPED.img]],
      ["organizer", `/organize/${s}/registrations`, [ESCAPED.img]],
      ["organizer", `/organize/${s}/registrations/${registrationId}`, [ESCAPED.img, ESCAPED.script, ESCAPED.sql]],
      ["organizer", `/organize/${s}/agenda`, [ESCAPED.script]],
      ["organizer", `/organize/${s}/proposals/settings`, [ESCAPED.img, ESCAPED.script]],
      ["organizer", `/organize/${s}/actions`, [ESCAPED.sql, ESCAPED.img]],
      ["organizer", `/organize/${s}/proposals/${c.submitted}`, [ESCAPED.script]],
      ["organizer", "/organize/mail", [ESCAPED.script]],
      ["organizer", `/organize/mail/${c.sentMail}`, []],
      ["organizer", "/organize", [ESCAPED.script]],
      ["visitor", "/", [ESCAPED.script]],
      ["visitor", `/convenings/nasty-but-valid`, [ESCAPED.script, ESCAPED.img]],
    ];
    for (const [who, address, expected] of pages) {
      const answer = await send({ label: "shows accepted text", method: "GET", path: address, who, client: clients[who], mustReject: false });
      expect(answer.status, address).toBe(200);
      for (const text of expected) expect(answer.body, `${address} shows ${text}`).toContain(text);
    }
    expect(failures).toEqual([]);
  });
});
