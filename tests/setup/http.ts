// Plain HTTP against the running server, without a browser: cookies and anti-forgery tokens
// minted with the secret the test server shares (see app-server.ts), and a fingerprint of the
// database to show that a request changed nothing.
import { createHash } from "node:crypto";
import { csrfToken } from "../../app/modules/auth/csrf.server";
import { createSession } from "../../app/modules/auth/session.server";
import type { DB } from "../../app/platform/db.server";

/** What a browser would send: its cookies and the token of the forms it was shown. */
export interface HttpClient {
  cookie: string;
  token: string;
}

/** A client with an anti-forgery cookie and token, signed in as the person when one is given. */
export async function httpClient(db: DB, personId: number | null): Promise<HttpClient> {
  const csrf = await csrfToken(new Request("http://localhost/"));
  const cookies = [csrf.setCookie!.split(";")[0]!];
  if (personId !== null) cookies.push((await createSession(db, personId)).split(";")[0]!);
  return { cookie: cookies.join("; "), token: csrf.token };
}

/** Runs `fn` over the items with at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export interface FingerprintOptions {
  /** tables left out entirely (sessions, rate limits: they change with every visit) */
  skip?: readonly string[];
  /** rows left out of one table (e.g. audit entries that record reads) */
  ignoreRows?: Record<string, (row: Record<string, unknown>) => boolean>;
}

/** Per table: its row count and a hash of its contents, independent of row order. */
export async function databaseFingerprint(db: DB, options: FingerprintOptions = {}): Promise<Record<string, string>> {
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !name.startsWith("kysely_") && !(options.skip ?? []).includes(name))
    .sort();
  const result: Record<string, string> = {};
  for (const table of tables) {
    const ignore = options.ignoreRows?.[table];
    const rows = ((await db.selectFrom(table as never).selectAll().execute()) as Record<string, unknown>[]).filter((row) => !ignore?.(row));
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    result[table] = `${rows.length}:${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
  }
  return result;
}

/** The tables whose fingerprints differ, with both values. */
export function fingerprintChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table] ?? "-"} -> ${after[table] ?? "-"}`);
}
