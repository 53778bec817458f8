// A sliding-window counter kept in the database, so it holds across processes and restarts.
// Buckets are keyed hashes: the table never holds an address or an email in clear.
import { data } from "@remix-run/node";
import type { Executor } from "../../platform/db.server";
import { keyedHash } from "../../platform/crypto.server";

export interface Limit {
  max: number;
  windowMs: number;
}

export function bucketFor(kind: string, value: string): string {
  return `${kind}:${keyedHash(`${kind}:${value.toLowerCase()}`)}`;
}

/** Records a hit in each bucket when all are under their limit; returns false (recording nothing) otherwise. */
export async function takeRateLimit(
  db: Executor,
  buckets: Array<{ bucket: string; limit: Limit }>,
  now: Date,
): Promise<boolean> {
  for (const { bucket, limit } of buckets) {
    const since = new Date(now.getTime() - limit.windowMs).toISOString();
    const row = await db
      .selectFrom("rate_limit_hits")
      .select((eb) => eb.fn.countAll<number>().as("hits"))
      .where("bucket", "=", bucket)
      .where("at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(row.hits) >= limit.max) return false;
  }
  await db
    .insertInto("rate_limit_hits")
    .values(buckets.map(({ bucket }) => ({ bucket, at: now.toISOString() })))
    .execute();
  return true;
}

export async function pruneRateLimits(db: Executor, now: Date, keepMs = 24 * 60 * 60 * 1000): Promise<void> {
  await db
    .deleteFrom("rate_limit_hits")
    .where("at", "<", new Date(now.getTime() - keepMs).toISOString())
    .execute();
}

/** Limits on what a signed-in person submits: generous for people, tight for scripts. */
export const SUBMISSION_LIMITS = {
  registration: { max: 20, windowMs: 10 * 60 * 1000 },
  proposal: { max: 30, windowMs: 10 * 60 * 1000 },
} satisfies Record<string, Limit>;

/** Counts one submission of this kind by this person; past the limit, answers 429 and nothing else happens. */
export async function limitSubmissions(db: Executor, kind: keyof typeof SUBMISSION_LIMITS, personId: number, now = new Date()): Promise<void> {
  const allowed = await takeRateLimit(db, [{ bucket: bucketFor(`submit:${kind}`, String(personId)), limit: SUBMISSION_LIMITS[kind] }], now);
  if (!allowed) throw data({ message: "errors.tooManySubmissions" }, { status: 429, headers: { "Retry-After": String(Math.ceil(SUBMISSION_LIMITS[kind].windowMs / 1000)) } });
}
