// How a page answers while the scheduler works on a suggestion: the real server (production
// build) on the load benchmark's largest convening, a page fetched one request after another for
// a while with nothing else running (idle), then again while a fresh suggestion of the whole
// convening runs in the server's worker thread (solving). p50 and max per page, in ms.
// `npm run bench -- suggest` (needs `npm run build`); `--participants=1500` for a smaller one.
import { randomBytes } from "node:crypto";
import { csrfToken } from "../app/modules/auth/csrf.server";
import { createSession } from "../app/modules/auth/session.server";
import { migrateToLatest, openDatabase } from "../app/platform/db.server";
import { startApp, type RunningApp } from "../tests/setup/app-server";
import { emptyDatabaseUrl } from "../tests/setup/databases";
import { generateConvening, type LoadSize } from "./load-data";

const SIZES: LoadSize[] = [
  { participants: 1_500, sessions: 200, actionItems: 50 },
  { participants: 15_000, sessions: 1_000, actionItems: 100 },
];

export interface LatencyFigures {
  page: string;
  requests: number;
  p50Ms: number;
  maxMs: number;
}

export interface SuggestLatencyFigures {
  size: LoadSize;
  notes: string[];
  /** seconds from "Suggest" to the job running in the worker */
  secondsToRunning: number;
  idle: LatencyFigures[];
  solving: LatencyFigures[];
  /** the job's own progress when measuring stopped */
  jobProgress: unknown;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function measure(url: string, cookie: string, seconds: number, expect: string): Promise<Omit<LatencyFigures, "page">> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie, "accept-encoding": "gzip, deflate, br" } });
    const text = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200 || !text.includes(expect)) throw new Error(`${url} answered ${response.status} without "${expect}"`);
  }
  times.sort((a, b) => a - b);
  return { requests: times.length, p50Ms: Number(percentile(times, 0.5).toFixed(1)), maxMs: Number(times[times.length - 1]!.toFixed(1)) };
}

export async function runSuggestLatencyBench(log: (line: string) => void, options: { participants?: number; seconds?: number } = {}): Promise<SuggestLatencyFigures> {
  const size = SIZES.find((s) => s.participants === (options.participants ?? 15_000)) ?? SIZES[SIZES.length - 1]!;
  const seconds = options.seconds ?? 10;
  // The server and the cookies made here must share the secret.
  const secret = randomBytes(32).toString("hex");
  process.env.SESSION_SECRET = secret;
  const target = await emptyDatabaseUrl("sqlite");
  let app: RunningApp | undefined;
  try {
    const db = openDatabase(target.url);
    await migrateToLatest(db);
    const fixture = await generateConvening(db, size, { newcomers: 0, signedInParticipants: 0, slug: "suggest-bench" });
    log(`${size.participants.toLocaleString("en")} participants, ${size.sessions.toLocaleString("en")} sessions: generated in ${fixture.seconds} s`);
    const organizerId = (await db.selectFrom("people").select("id").where("email", "=", "organizer@load.example.org").executeTakeFirstOrThrow()).id;
    const session = (await createSession(db, organizerId)).split(";")[0]!;
    const { token, setCookie } = await csrfToken(new Request("http://127.0.0.1/"));
    const cookie = `${session}; ${setCookie!.split(";")[0]!}`;
    const { title } = await db.selectFrom("convenings").select("title").where("id", "=", fixture.conveningId).executeTakeFirstOrThrow();

    app = await startApp({ databaseUrl: target.url, env: { SESSION_SECRET: secret, JOBS: "off", LOG_REQUESTS: "off" } });
    const pages = [
      { page: "/convenings/:slug/agenda (public agenda)", url: `${app.url}/convenings/${fixture.slug}/agenda`, expect: title },
      { page: "/organize/:slug/agenda (organizer's grid)", url: `${app.url}/organize/${fixture.slug}/agenda`, expect: "Suggest a schedule" },
      { page: "/healthz", url: `${app.url}/healthz`, expect: "ok" },
    ];
    const idle: LatencyFigures[] = [];
    for (const p of pages) idle.push({ page: p.page, ...(await measure(p.url, cookie, seconds, p.expect)) });
    for (const f of idle) log(`idle    ${f.page}: p50 ${f.p50Ms} ms, max ${f.maxMs} ms (${f.requests} requests)`);

    // A fresh schedule of the whole convening, with the longest search offered.
    const asked = performance.now();
    const body = new URLSearchParams({ csrf: token, intent: "start", mode: "fresh", seconds: "300" });
    const started = await fetch(`${app.url}/organize/${fixture.slug}/agenda/suggest`, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    const location = started.headers.get("location") ?? "";
    const jobId = Number(/job=(\d+)/.exec(location)?.[1]);
    if (started.status !== 302 || !jobId) throw new Error(`starting the suggestion answered ${started.status} ${location}`);
    const status = async () => (await db.selectFrom("suggestion_jobs").select(["status", "progress"]).where("id", "=", jobId).executeTakeFirstOrThrow());
    while ((await status()).status === "queued") await new Promise((r) => setTimeout(r, 50));
    const secondsToRunning = Number(((performance.now() - asked) / 1000).toFixed(2));
    log(`the suggestion runs in the worker ${secondsToRunning} s after it was asked for`);

    const solving: LatencyFigures[] = [];
    for (const p of pages) {
      const figures = await measure(p.url, cookie, seconds, p.expect);
      if ((await status()).status !== "running") throw new Error("the suggestion ended before the measurement did: measure for fewer seconds");
      solving.push({ page: p.page, ...figures });
    }
    for (const f of solving) log(`solving ${f.page}: p50 ${f.p50Ms} ms, max ${f.maxMs} ms (${f.requests} requests)`);
    const progress = (await status()).progress;
    await fetch(`${app.url}/organize/${fixture.slug}/agenda/suggest`, { method: "POST", body: new URLSearchParams({ csrf: token, intent: "stop", job: String(jobId) }), headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    await db.destroy();
    return {
      size,
      notes: [
        "Server: node server.mjs on the production build, SQLite, JOBS=off, LOG_REQUESTS=off; pages fetched one after another (no concurrency) with a browser's Accept-Encoding, by the organizer.",
        `Each page is fetched for ${seconds} s idle, then for ${seconds} s while a fresh suggestion (5-minute budget) runs in the worker thread; the 2-core machine is shared with the worker (and other work at the time).`,
      ],
      secondsToRunning,
      idle,
      solving,
      jobProgress: progress ? JSON.parse(progress) : null,
    };
  } finally {
    await app?.stop().catch(() => {});
    await target.drop();
  }
}
