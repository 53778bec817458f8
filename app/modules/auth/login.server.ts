// Passwordless sign-in. A request creates a one-time token (for the link) and a 6-digit code
// (for typing on another device), both stored hashed, valid 15 minutes, used once. The same
// answer is given whether or not the address has an account: the account is made on first use.
import { inTransaction, type Executor } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { keyedHash, randomDigits, randomToken, safeEqual, sha256 } from "../../platform/crypto.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { findOrCreatePerson, normalizeEmail } from "../people/people.server";
import { writeAudit } from "../../platform/audit.server";
import { bucketFor, takeRateLimit, type Limit } from "./rate-limit.server";

export const TOKEN_TTL_MS = 15 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
export const SIGN_IN_LIMITS: { perAddress: Limit; perClient: Limit } = {
  perAddress: { max: 5, windowMs: 15 * 60 * 1000 },
  perClient: { max: 30, windowMs: 15 * 60 * 1000 },
};

function codeHash(tokenHash: string, code: string): string {
  return keyedHash(`login-code:${tokenHash}:${code}`);
}

export type SignInRequest =
  | { ok: true; tokenId: number; link: string; code: string }
  | { ok: false; reason: "rate_limited" };

export async function requestSignIn(
  db: Executor,
  input: { email: string; clientAddress: string; redirectTo?: string | null; now?: Date },
): Promise<SignInRequest> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  return inTransaction(db, async (trx) => {
    const allowed = await takeRateLimit(
      trx,
      [
        { bucket: bucketFor("sign-in:address", email), limit: SIGN_IN_LIMITS.perAddress },
        { bucket: bucketFor("sign-in:client", input.clientAddress), limit: SIGN_IN_LIMITS.perClient },
      ],
      now,
    );
    if (!allowed) return { ok: false, reason: "rate_limited" } as const;

    const token = randomToken(32);
    const code = randomDigits(6);
    const tokenHash = sha256(token);
    const row = await trx
      .insertInto("login_tokens")
      .values({
        email,
        token_hash: tokenHash,
        code_hash: codeHash(tokenHash, code),
        redirect_to: input.redirectTo ?? null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + TOKEN_TTL_MS).toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const link = appLink(`/login/verify?${new URLSearchParams({ token })}`);
    await queueMail(trx, {
      to: email,
      template: "sign-in",
      data: { link, code, minutes: TOKEN_TTL_MS / 60_000 },
      now,
    });
    return { ok: true, tokenId: row.id, link, code } as const;
  });
}

export type SignInResult =
  | { ok: true; personId: number; created: boolean; redirectTo: string | null }
  | { ok: false; reason: "invalid" | "expired" | "too_many_attempts" };

async function completeSignIn(
  trx: Executor,
  token: { id: number; email: string; redirect_to: string | null },
  now: Date,
): Promise<SignInResult> {
  // The used_at guard makes the token single use even when two requests race.
  const used = await trx
    .updateTable("login_tokens")
    .set({ used_at: now.toISOString() })
    .where("id", "=", token.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) return { ok: false, reason: "expired" };
  const person = await findOrCreatePerson(trx, token.email, now);
  await writeAudit(trx, { actorId: person.id, action: "auth.signed_in", subjectType: "person", subjectId: person.id, now });
  return { ok: true, personId: person.id, created: person.created, redirectTo: token.redirect_to };
}

export async function signInWithToken(db: Executor, token: string, now = new Date()): Promise<SignInResult> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("login_tokens")
      .select(["id", "email", "redirect_to", "expires_at", "used_at"])
      .where("token_hash", "=", sha256(token))
      .executeTakeFirst();
    if (!row) return { ok: false, reason: "invalid" };
    if (row.used_at !== null || row.expires_at <= now.toISOString()) return { ok: false, reason: "expired" };
    return completeSignIn(trx, row, now);
  });
}

export async function signInWithCode(db: Executor, tokenId: number, code: string, now = new Date()): Promise<SignInResult> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("login_tokens")
      .select(["id", "email", "redirect_to", "expires_at", "used_at", "token_hash", "code_hash", "code_attempts"])
      .where("id", "=", tokenId)
      .executeTakeFirst();
    if (!row || row.used_at !== null || row.expires_at <= now.toISOString()) return { ok: false, reason: "expired" };
    if (row.code_attempts >= MAX_CODE_ATTEMPTS) return { ok: false, reason: "too_many_attempts" };
    if (!safeEqual(row.code_hash, codeHash(row.token_hash, code))) {
      await trx
        .updateTable("login_tokens")
        .set((eb) => ({ code_attempts: eb("code_attempts", "+", 1) }))
        .where("id", "=", row.id)
        .execute();
      return { ok: false, reason: row.code_attempts + 1 >= MAX_CODE_ATTEMPTS ? "too_many_attempts" : "invalid" };
    }
    return completeSignIn(trx, row, now);
  });
}

export async function pruneLoginTokens(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom("login_tokens").where("expires_at", "<", now.toISOString()).execute();
}
