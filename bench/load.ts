// Load benchmark: the real server (server.mjs on the production build) on a generated convening
// of 60, 1,500 and 15,000 participants (bench/load-data.ts), on SQLite and, when
// BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set, PostgreSQL, measured with autocannon over
// loopback at 50 connections. Each page's throughput is compared with that of /healthz (the
// route doing the least work: `select 1`) measured just before it; a static file and /login (a
// page with no data) show where the floor of the server and of any page lies.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type AutocannonRequest } from "autocannon";
import pg from "pg";
import { migrateToLatest, openDatabase } from "../app/platform/db.server";
import { migrationProvider } from "../db/migrations/index";
import { startApp, type RunningApp } from "../tests/setup/app-server";
import { emptyDatabaseUrl } from "../tests/setup/databases";
import { generateConvening, type LoadFixture, type LoadSize } from "./load-data";

export const CONNECTIONS = 50;
/** The targets of the scale issue, on SQLite: a page's throughput against the bare route, and its p95. */
export const TARGET_FRACTION = 0.25;
export const TARGET_P95_MS = 100;
const BARE = "bare route (/healthz)";

export const SIZES: LoadSize[] = [
  { participants: 60, sessions: 20, actionItems: 8 },
  { participants: 1_500, sessions: 200, actionItems: 200 },
  { participants: 15_000, sessions: 1_000, actionItems: 2_000 },
];

export interface LoadOptions {
  /** a small smoke run: the smallest size only, short measurements */
  quick: boolean;
  /** participants of the sizes to run (default: all on SQLite, the largest on PostgreSQL) */
  sizes?: number[];
  /** seconds of measurement per endpoint */
  seconds?: number;
  /** seconds of the bare route's measurement before each page */
  bareSeconds?: number;
}

export interface EndpointFigures {
  endpoint: string;
  path: string;
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** responses other than 2xx/3xx, socket errors and timeouts */
  errors: number;
  statuses: Record<string, number>;
  /** mean response size on the wire (compressed when the server compresses) */
  kbPerResponse: number;
  /** the bare route's throughput measured just before this endpoint (the machine is shared: it drifts) */
  bareRps: number | null;
  fractionOfBare: number | null;
  meetsTargets: boolean | null;
  /** the machine's 1-minute load average when the measurement started */
  loadAverage: number;
}

export interface RunFigures {
  database: "sqlite" | "postgres";
  size: LoadSize;
  rows: Record<string, number>;
  generationSeconds: number;
  generationSteps: Record<string, number>;
  endpoints: EndpointFigures[];
  /** registrations the POST endpoint created (each request a new person) */
  registrationsCreated?: number;
}

interface Endpoint {
  name: string;
  /** for the report: the path with its variable parts named */
  label: string;
  method?: "GET" | "POST";
  /** the request to send for the i-th request of the run */
  request(i: number): { path: string; cookie?: string; body?: string };
  /** checked once before the measurement */
  expect: { status: number; contains?: string };
  /** how many requests it may send at most (each POST registers a new person) */
  limit?: number;
  /** not a page of the targets (the bare route, a static file) */
  reference?: boolean;
}

const BROWSER_HEADERS = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en-GB,en;q=0.9",
};

function endpoints(f: LoadFixture): Endpoint[] {
  const at = <T>(list: T[], i: number) => list[i % list.length]!;
  const sessionPath = (i: number) => `/convenings/${f.slug}/sessions/${at(f.sessionIds, i * 7919)}`;
  const track = f.trackIds[1]!;
  return [
    { name: BARE, label: "/healthz", request: () => ({ path: "/healthz" }), expect: { status: 200, contains: '"ok":true' }, reference: true },
    { name: "static file", label: "/favicon.svg (express.static, no app code)", request: () => ({ path: "/favicon.svg" }), expect: { status: 200 }, reference: true },
    { name: "simplest page (/login)", label: "/login (a document with no data: the floor of any page)", request: () => ({ path: "/login" }), expect: { status: 200, contains: "<form" }, reference: true },
    { name: "agenda page", label: "/convenings/:slug/agenda", request: () => ({ path: `/convenings/${f.slug}/agenda` }), expect: { status: 200, contains: "Lunch" } },
    { name: "session page", label: "/convenings/:slug/sessions/:id (many ids)", request: (i) => ({ path: sessionPath(i) }), expect: { status: 200, contains: "<h1" } },
    {
      name: "session page, participant",
      label: "/convenings/:slug/sessions/:id (many ids and participants)",
      request: (i) => ({ path: sessionPath(i), cookie: at(f.participants, i).cookie }),
      expect: { status: 200, contains: "<h1" },
    },
    { name: "agenda.ics", label: "/convenings/:slug/agenda.ics", request: () => ({ path: `/convenings/${f.slug}/agenda.ics` }), expect: { status: 200, contains: "BEGIN:VEVENT" } },
    {
      name: "personal feed",
      label: "/feeds/:token/my-agenda.ics (many people)",
      request: (i) => ({ path: `/feeds/${at(f.participants, i).feedToken}/my-agenda.ics` }),
      expect: { status: 200, contains: "BEGIN:VEVENT" },
    },
    { name: "my agenda", label: "/convenings/:slug/my-agenda (many people)", request: (i) => ({ path: `/convenings/${f.slug}/my-agenda`, cookie: at(f.participants, i).cookie }), expect: { status: 200, contains: "/my-agenda.ics" } },
    { name: "registrations", label: "/organize/:slug/registrations", request: () => ({ path: `/organize/${f.slug}/registrations`, cookie: f.organizer }), expect: { status: 200, contains: "<table" } },
    {
      name: "registrations, filtered",
      label: "/organize/:slug/registrations?status=confirmed&track=:id",
      request: () => ({ path: `/organize/${f.slug}/registrations?status=confirmed&track=${track}`, cookie: f.organizer }),
      expect: { status: 200, contains: "<table" },
    },
    {
      name: "register (POST)",
      label: "POST /convenings/:slug/register (a new person each time)",
      method: "POST",
      request: (i) => {
        const person = f.newcomers[i]!;
        const body = new URLSearchParams([
          ["csrf", person.csrf],
          ["intent", "register"],
          ["displayName", `Newcomer ${i + 1}`],
          // Remote ones take a place, in-person ones join the waitlist (the house is full).
          ["attendance", i % 3 === 0 ? "remote" : "in_person"],
          ["tracks", String(f.trackIds[i % 6])],
          ["tracks", String(f.trackIds[(i + 2) % 6])],
          ["languages", "English, Español"],
          ["consentDirectory", "on"],
        ]).toString();
        return { path: `/convenings/${f.slug}/register`, cookie: person.cookie, body };
      },
      expect: { status: 302 },
      limit: f.newcomers.length,
    },
  ];
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** One autocannon run; requests are numbered from `first` across all connections. */
async function blast(url: string, endpoint: Endpoint, run: { seconds?: number; amount?: number; first: number }) {
  let next = run.first;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const request: AutocannonRequest = {
    method: endpoint.method ?? "GET",
    setupRequest: (req) => {
      const { path: p, cookie, body } = endpoint.request(next++);
      const headers: Record<string, string> = { ...BROWSER_HEADERS };
      if (cookie) headers.cookie = cookie;
      // autocannon adds the Content-Length itself (a second one makes the server drop the request).
      if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
      return { ...req, path: p, headers, body: body ?? Buffer.alloc(0) };
    },
  };
  // autocannon reports its duration rounded up to its one-second tick: time the run here.
  const started = performance.now();
  let last = started;
  const instance = autocannon({ url, connections: CONNECTIONS, ...(run.amount ? { amount: run.amount } : { duration: run.seconds ?? 1 }), timeout: 120, requests: [request] });
  instance.on("response", (_client: unknown, status: number, resBytes: number, ms: number) => {
    latencies.push(ms);
    last = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
    bytes += resBytes;
  });
  const result = await instance;
  const seconds = (last - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(statuses).filter(([s]) => Number(s) >= 200 && Number(s) < 400).reduce((n, [, c]) => n + c, 0);
  return {
    requests: latencies.length,
    seconds,
    rps: seconds > 0 ? latencies.length / seconds : 0,
    p50Ms: round(percentile(latencies, 0.5)),
    p95Ms: round(percentile(latencies, 0.95)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(latencies[latencies.length - 1] ?? 0),
    // Not 2xx/3xx, socket errors and timeouts, and requests of a counted run left unanswered.
    errors: latencies.length - ok + result.errors + (run.amount ? Math.max(0, run.amount - latencies.length - result.errors) : 0),
    statuses,
    kbPerResponse: round(latencies.length ? bytes / latencies.length / 1024 : 0),
    sent: next - run.first,
  };
}

/** One request with fetch, to check that the endpoint answers what a real visitor would get. */
async function check(url: string, endpoint: Endpoint, i: number): Promise<string | null> {
  const { path: p, cookie, body } = endpoint.request(i);
  const response = await fetch(`${url}${p}`, {
    method: endpoint.method ?? "GET",
    headers: { ...BROWSER_HEADERS, ...(cookie ? { cookie } : {}), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body,
    redirect: "manual",
  });
  const text = await response.text();
  if (response.status !== endpoint.expect.status) return `${endpoint.name}: expected ${endpoint.expect.status}, got ${response.status} ${response.headers.get("location") ?? text.slice(0, 200)}`;
  if (endpoint.expect.contains && !text.includes(endpoint.expect.contains)) return `${endpoint.name}: the answer does not contain ${endpoint.expect.contains}`;
  return null;
}

/**
 * Warms the endpoint up, then sends as many requests as fill `seconds` at the warm-up's rate
 * (at least one per connection) and waits for every answer: a slow page's queue is measured in
 * full instead of being cut off when the time is up.
 */
async function measure(url: string, endpoint: Endpoint, seconds: number, log: (line: string) => void) {
  let first = 1;
  let warm = await blast(url, endpoint, { amount: endpoint.limit ? CONNECTIONS * 4 : CONNECTIONS, first });
  if (endpoint.limit) first += warm.sent + CONNECTIONS;
  else if (warm.seconds < 1) warm = await blast(url, endpoint, { seconds: 1, first });
  let amount = Math.max(CONNECTIONS, Math.round(warm.rps * seconds));
  if (endpoint.limit) {
    // Each POST uses up a person; autocannon may prepare one request per connection beyond the amount.
    const room = endpoint.limit - first - 2 * CONNECTIONS - 1;
    if (amount > room) log(`(${endpoint.name}: limited to ${room} requests by the people made for it)`);
    amount = Math.min(amount, room);
  }
  return blast(url, endpoint, { amount, first });
}

async function postgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `convene_load_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function countRegistrations(databaseUrl: string, conveningId: number): Promise<number> {
  const db = openDatabase(databaseUrl, { poolSize: 1 });
  try {
    const row = await db.selectFrom("registrations").select((eb) => eb.fn.countAll<number>().as("n")).where("convening_id", "=", conveningId).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.destroy();
  }
}

// An interrupted run still stops its server and drops its database.
const cleanups = new Set<() => Promise<void>>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

async function runOne(database: "sqlite" | "postgres", size: LoadSize, options: Required<LoadOptions>, secret: string, log: (line: string) => void): Promise<RunFigures> {
  const adminUrl = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
  const target = database === "sqlite" ? await emptyDatabaseUrl("sqlite") : await postgresDatabase(adminUrl!);
  let app: RunningApp | undefined;
  const cleanup = async () => {
    await app?.stop().catch(() => {});
    await target.drop();
  };
  cleanups.add(cleanup);
  try {
    const db = openDatabase(target.url);
    let fixture: LoadFixture;
    try {
      await migrateToLatest(db);
      const newcomers = options.quick ? 1_000 : 3_000;
      fixture = await generateConvening(db, size, { newcomers, signedInParticipants: Math.min(200, size.participants) });
    } finally {
      await db.destroy();
    }
    log(`${database}, ${size.participants.toLocaleString("en")} participants: generated in ${fixture.seconds} s (${Object.entries(fixture.steps).map(([t, n]) => `${t} ${n}`).join(", ")})`);
    log(`  rows: ${Object.entries(fixture.rows).map(([t, n]) => `${t} ${n}`).join(", ")}`);
    const before = await countRegistrations(target.url, fixture.conveningId);

    app = await startApp({ databaseUrl: target.url, env: { SESSION_SECRET: secret, JOBS: "off", LOG_REQUESTS: "off" } });
    const list = endpoints(fixture);
    const bareEndpoint = list.find((e) => e.name === BARE)!;
    const figures: EndpointFigures[] = [];
    for (const endpoint of list) {
      // The POST's check registers a person too: use the last one made, never measured.
      const problem = await check(app.url, endpoint, endpoint.limit ? endpoint.limit - 1 : 0);
      if (problem) throw new Error(problem);
      // Each page is compared with the bare route measured right before it, as other work on
      // the machine changes what both can do.
      const bare = endpoint.reference ? null : (await blast(app.url, bareEndpoint, { seconds: options.bareSeconds, first: 1 })).rps;
      const loadAverage = round(os.loadavg()[0]!, 2);
      const m = await measure(app.url, endpoint, options.seconds, log);
      const fraction = bare === null ? null : m.rps / bare;
      const row: EndpointFigures = {
        endpoint: endpoint.name,
        path: endpoint.label,
        requests: m.requests,
        seconds: round(m.seconds, 2),
        rps: Math.round(m.rps),
        p50Ms: m.p50Ms,
        p95Ms: m.p95Ms,
        p99Ms: m.p99Ms,
        maxMs: m.maxMs,
        errors: m.errors,
        statuses: m.statuses,
        kbPerResponse: m.kbPerResponse,
        bareRps: bare === null ? null : Math.round(bare),
        fractionOfBare: fraction === null ? null : round(fraction, 3),
        meetsTargets: fraction === null ? null : fraction >= TARGET_FRACTION && m.p95Ms < TARGET_P95_MS && m.errors === 0,
        loadAverage,
      };
      figures.push(row);
      log(`  ${line(row)}`);
    }
    const after = await countRegistrations(target.url, fixture.conveningId);
    return { database, size, rows: fixture.rows, generationSeconds: fixture.seconds, generationSteps: fixture.steps, endpoints: figures, registrationsCreated: after - before };
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
}

function line(r: EndpointFigures): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const verdict = r.meetsTargets === null ? "" : r.meetsTargets ? "ok" : "MISS";
  const fraction = r.fractionOfBare === null ? "-" : `${r.fractionOfBare.toFixed(2)} of ${r.bareRps}`;
  return `${r.endpoint.padEnd(26)} ${pad(r.rps, 6)} rps  p50 ${pad(r.p50Ms, 6)}  p95 ${pad(r.p95Ms, 6)}  p99 ${pad(r.p99Ms, 6)} ms  ${pad(fraction, 12)}  ${pad(r.kbPerResponse, 6)} KB  ${pad(r.errors, 4)} err  load ${pad(r.loadAverage.toFixed(1), 4)}  ${verdict}`;
}

/** How per-request time grows with the size (exponent: 1 is linear, more is worse than linear). */
function scaling(runs: RunFigures[]) {
  const out: Array<{ database: string; endpoint: string; from: number; to: number; timeRatio: number; sizeRatio: number; exponent: number }> = [];
  for (const database of ["sqlite", "postgres"] as const) {
    const mine = runs.filter((r) => r.database === database).sort((a, b) => a.size.participants - b.size.participants);
    for (let k = 1; k < mine.length; k++) {
      const [small, large] = [mine[k - 1]!, mine[k]!];
      for (const e of large.endpoints) {
        const s = small.endpoints.find((x) => x.endpoint === e.endpoint);
        if (!s || e.rps === 0) continue;
        // Throughput relative to the bare route measured alongside, so that the machine's other work cancels out.
        const timeRatio = s.fractionOfBare !== null && e.fractionOfBare ? s.fractionOfBare / e.fractionOfBare : s.rps / e.rps;
        const sizeRatio = large.size.participants / small.size.participants;
        out.push({ database, endpoint: e.endpoint, from: small.size.participants, to: large.size.participants, timeRatio: round(timeRatio, 2), sizeRatio, exponent: round(Math.log(Math.max(timeRatio, 1e-9)) / Math.log(sizeRatio), 2) });
      }
    }
  }
  return out;
}

function gitHead(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

export async function runLoadBench(log: (line: string) => void, input: LoadOptions) {
  const built = path.join(process.cwd(), "build/server/index.js");
  if (!fs.existsSync(built)) throw new Error("The load benchmark runs the production build: run `npm run build` first.");
  // The data is made with the migrations of the source; a build without one of them refuses the database.
  const bundle = fs.readFileSync(built, "utf8");
  const missing = Object.keys(await migrationProvider("sqlite").getMigrations()).filter((name) => !bundle.includes(name));
  if (missing.length) throw new Error(`build/ is older than the source (it lacks the migration ${missing.join(", ")}): run \`npm run build\` first.`);
  const build = { builtAt: fs.statSync(built).mtime.toISOString(), commit: gitHead() };
  const options: Required<LoadOptions> = {
    quick: input.quick,
    sizes: input.sizes ?? (input.quick ? [SIZES[0]!.participants] : SIZES.map((s) => s.participants)),
    seconds: input.seconds ?? (input.quick ? 2 : 5),
    bareSeconds: input.bareSeconds ?? (input.quick ? 1 : 2),
  };
  // The server and the data made here must share the secret: sessions, anti-forgery cookies
  // and feed tokens are signed or derived with it.
  const secret = randomBytes(32).toString("hex");
  process.env.SESSION_SECRET = secret;
  process.env.APP_URL = "http://127.0.0.1";
  const sizes = SIZES.filter((s) => options.sizes.includes(s.participants));
  const postgres = Boolean(process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL);
  // PostgreSQL at the largest size asked for (in a quick run, the smallest).
  const postgresSizes = postgres ? [sizes[sizes.length - 1]!] : [];
  log(`${CONNECTIONS} connections, ${options.seconds} s per endpoint after a warm-up; targets on SQLite: ≥ ${TARGET_FRACTION * 100}% of the bare route's throughput and p95 < ${TARGET_P95_MS} ms`);
  if (!postgres) log("PostgreSQL skipped: set BENCH_POSTGRES_URL or TEST_POSTGRES_URL to include it");
  const started = performance.now();
  const runs: RunFigures[] = [];
  for (const size of sizes) runs.push(await runOne("sqlite", size, options, secret, log));
  for (const size of postgresSizes) runs.push(await runOne("postgres", size, options, secret, log));
  const growth = scaling(runs);
  for (const g of growth) {
    if (g.exponent > 1) log(`grows faster than linearly: ${g.database} ${g.endpoint} from ${g.from} to ${g.to} participants (time per request ×${g.timeRatio} for ×${g.sizeRatio} participants)`);
  }
  const missed = runs.filter((r) => r.database === "sqlite").flatMap((r) => r.endpoints.filter((e) => e.meetsTargets === false).map((e) => `${r.size.participants}: ${e.endpoint}`));
  log(missed.length ? `targets missed on SQLite: ${missed.join("; ")}` : "every page meets the targets on SQLite");
  log(`finished in ${Math.round((performance.now() - started) / 1000)} s`);
  return {
    build,
    connections: CONNECTIONS,
    secondsPerEndpoint: options.seconds,
    bareSecondsBeforeEachPage: options.bareSeconds,
    quick: options.quick,
    targets: { fractionOfBare: TARGET_FRACTION, p95Ms: TARGET_P95_MS, database: "sqlite" },
    notes: [
      "Server: node server.mjs on the production build, NODE_ENV=production, LOG_REQUESTS=off, JOBS=off (no mail sending or jobs competing with the pages).",
      "Requests carry a browser's Accept-Encoding (gzip, deflate, br), so pages are compressed as for real visitors; KB per response is on the wire.",
      "Anonymous pages are fetched without cookies; participant pages rotate over up to 200 signed-in participants; the session page rotates over every published session.",
      "Each registration POST is a new person (signed in, with an anti-forgery cookie and token made beforehand).",
      "autocannon runs in the benchmark's process on the same 2-core machine as the server (and PostgreSQL).",
      "fractionOfBare compares each page with /healthz measured just before it (bareRps); loadAverage is the machine's 1-minute load when the page's measurement started.",
    ],
    runs,
    scaling: growth,
    missedOnSqlite: missed,
  };
}
