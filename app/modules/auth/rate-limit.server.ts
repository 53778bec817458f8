// A sliding-window counter kept in the database, so it holds across processes and restarts.
// Buckets are keyed hashes: the table never holds an address or an email in clear.
import type { Executor } from "../../utils/db.server";
import { keyedHash } from "../../utils/crypto.server";

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
