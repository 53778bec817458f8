// Creating something once per submission. Every form that creates carries a fresh random token
// (the root loader makes one per page view, and a new one after every action); the first
// request with a token claims it in the same transaction as what it creates, and a second
// request with the same token (a double click) creates nothing and is sent where the first one
// went. A browser without JavaScript that goes Back reloads the page (a new token) but puts back
// what the form held; so the same person sending the same form with the same content again
// within a few minutes is a repeat too. Saying the same thing twice on purpose, that soon, is
// rarer than a resent form (and the person can change a word).
import { redirect } from "@remix-run/node";
import { inTransaction, type Executor, type Trx } from "./db.server";
import { keyedHash, randomToken } from "./crypto.server";
import { SUBMISSION_FIELD } from "../lib/submission";

export { SUBMISSION_FIELD };

/** A token for the creating forms of one page view ("sub_" and 22 random characters, so tests comparing pages can tell it). */
export function submissionToken(): string {
  return `sub_${randomToken(16)}`;
}

/** How long the same content from the same person counts as the same submission. */
export const REPEAT_WINDOW_MS = 10 * 60 * 1000;

/** What the form held, but for its anti-forgery and submission tokens, in a stable order. */
function fingerprintOf(form: FormData, kind: string): string {
  const entries = [...form.entries()]
    .filter(([key]) => key !== SUBMISSION_FIELD && key !== "csrf")
    .map(([key, value]) => [key, typeof value === "string" ? value : ""])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return keyedHash(`submission:${kind}:${JSON.stringify(entries)}`);
}

function tokenOf(form: FormData): string | null {
  const value = form.get(SUBMISSION_FIELD);
  if (value === null || value === "") return null;
  // A forged or broken token is refused (400) rather than silently letting duplicates through.
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]{16,64}$/.test(value)) throw new Response("Bad submission token", { status: 400 });
  return value;
}

type Outcome<T> = { first: true; answer: T } | { first: false; location: string | null };

/** Runs create in one transaction with the claim of this form's token, unless the token was claimed before. */
async function once<T>(db: Executor, form: FormData, by: { personId: number; kind: string }, create: (trx: Trx) => Promise<{ answer: T; location: string }>): Promise<Outcome<T>> {
  const token = tokenOf(form);
  return inTransaction(db, async (trx): Promise<Outcome<T>> => {
    if (token === null) return { first: true, answer: (await create(trx)).answer };
    const now = new Date();
    const fingerprint = fingerprintOf(form, by.kind);
    const same = await trx
      .selectFrom("form_submissions")
      .select("location")
      .where("person_id", "=", by.personId)
      .where("form", "=", by.kind)
      .where("fingerprint", "=", fingerprint)
      .where("created_at", ">", new Date(now.getTime() - REPEAT_WINDOW_MS).toISOString())
      .where("token", "!=", token)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (same) return { first: false, location: same.location };
    // Claimed first: on PostgreSQL a concurrent repeat waits here until the first commits.
    const claimed = await trx
      .insertInto("form_submissions")
      .values({ token, form: by.kind, person_id: by.personId, fingerprint, location: "", created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(["token", "form"]).doNothing())
      .returning("token")
      .executeTakeFirst();
    if (!claimed) {
      const first = await trx.selectFrom("form_submissions").select(["location", "person_id"]).where("token", "=", token).where("form", "=", by.kind).executeTakeFirst();
      // Someone else's token (it cannot be guessed, but may be copied) creates nothing and says nothing of theirs.
      return { first: false, location: first && first.person_id === by.personId ? first.location : null };
    }
    const { answer, location } = await create(trx);
    if (location) await trx.updateTable("form_submissions").set({ location }).where("token", "=", token).where("form", "=", by.kind).execute();
    return { first: true, answer };
  });
}

/**
 * Runs create (in one transaction) unless this form's submission token was already used for this
 * kind of form, and answers with a redirect to where create says; a repeat is sent where the
 * first went. A form without a token (a script) is carried out each time.
 */
export async function createOnce(db: Executor, form: FormData, by: { personId: number; kind: string }, create: (trx: Trx) => Promise<string>): Promise<ReturnType<typeof redirect>> {
  const outcome = await once(db, form, by, async (trx) => {
    const location = await create(trx);
    return { answer: location, location };
  });
  const location = outcome.first ? outcome.answer : outcome.location;
  if (!location) throw new Response("Already submitted", { status: 409 });
  return redirect(location);
}

/** As createOnce, for a page that answers with data instead of a redirect: a repeat gets repeat() and changes nothing. */
export async function answerOnce<T>(db: Executor, form: FormData, by: { personId: number; kind: string }, create: (trx: Trx) => Promise<T>, repeat: () => T): Promise<T> {
  const outcome = await once(db, form, by, async (trx) => ({ answer: await create(trx), location: "" }));
  return outcome.first ? outcome.answer : repeat();
}

/** Tokens older than a day are of pages nobody will send again. */
export async function pruneSubmissions(db: Executor, now: Date, keepMs = 24 * 60 * 60 * 1000): Promise<void> {
  await db.deleteFrom("form_submissions").where("created_at", "<", new Date(now.getTime() - keepMs).toISOString()).execute();
}
