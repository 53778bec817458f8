// Server-side sessions: the cookie holds a random id, signed with SESSION_SECRET; the database
// holds only its hash, so signing out (deleting the row) ends the session everywhere.
import { createCookie, redirect } from "@remix-run/node";
import type { Executor } from "../../platform/db.server";
import { getDb } from "../../platform/db.server";
import { getEnv } from "../../platform/env.server";
import { randomToken, sha256 } from "../../platform/crypto.server";
import { isOrganizerOf, isSiteOrganizer, type RoleGrant } from "./permissions";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  const env = getEnv();
  cookie ??= createCookie("convene_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.appUrl.protocol === "https:",
    secrets: [env.sessionSecret],
    maxAge: SESSION_TTL_MS / 1000,
  });
  return cookie;
}

export interface CurrentUser {
  id: number;
  email: string;
  fullName: string | null;
  publicName: string | null;
  profileComplete: boolean;
  roles: RoleGrant[];
}

export async function createSession(db: Executor, personId: number, now = new Date()): Promise<string> {
  const id = randomToken(32);
  await db
    .insertInto("sessions")
    .values({
      id_hash: sha256(id),
      person_id: personId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    })
    .execute();
  return sessionCookie().serialize(id);
}

async function sessionIdFrom(request: Request): Promise<string | null> {
  // A forged or tampered cookie fails the signature check and parses as null: signed out.
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function loadUser(db: Executor, sessionId: string, now = new Date()): Promise<CurrentUser | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("people", "people.id", "sessions.person_id")
    .select([
      "people.id",
      "people.email",
      "people.full_name",
      "people.public_name",
      "people.profile_completed_at",
    ])
    .where("sessions.id_hash", "=", sha256(sessionId))
    .where("sessions.expires_at", ">", now.toISOString())
    .executeTakeFirst();
  if (!row) return null;
  const roles = await db
    .selectFrom("roles")
    .select(["role", "convening_id", "track_id", "reads_sensitive"])
    .where("person_id", "=", row.id)
    .execute();
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    publicName: row.public_name,
    profileComplete: row.profile_completed_at !== null,
    roles: roles.map((r) => ({ role: r.role, conveningId: r.convening_id, trackId: r.track_id, readsSensitive: r.reads_sensitive === 1 })),
  };
}

const perRequest = new WeakMap<Request, Promise<CurrentUser | null>>();

export function getUser(request: Request): Promise<CurrentUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = sessionIdFrom(request).then((id) => (id ? loadUser(getDb(), id) : null));
    perRequest.set(request, pending);
  }
  return pending;
}

/** Where a sign-in may send the person afterwards: only paths of this site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // Browsers drop tabs and line breaks from an address and read a backslash as "/", so "/<tab>/evil.example"
  // leads off the site just like "//evil.example": no control characters at all.
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || Array.from(to).some((c) => c < " " || c === "\u007f")) {
    return fallback;
  }
  return to;
}

export async function requireUser(
  request: Request,
  options: { allowIncompleteProfile?: boolean } = {},
): Promise<CurrentUser> {
  const user = await getUser(request);
  const url = new URL(request.url);
  const here = `${url.pathname}${url.search}`;
  if (!user) {
    throw redirect(`/login?${new URLSearchParams({ redirectTo: here })}`);
  }
  if (!user.profileComplete && !options.allowIncompleteProfile) {
    throw redirect(`/account?${new URLSearchParams({ redirectTo: here })}`);
  }
  return user;
}

function forbidden(): Response {
  return new Response("You do not have permission to open this page.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

export async function requireSiteOrganizer(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!isSiteOrganizer(user.roles)) throw forbidden();
  return user;
}

export async function requireOrganizerOf(request: Request, conveningId: number): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!isOrganizerOf(user.roles, conveningId)) throw forbidden();
  return user;
}

/** Ends the session server-side and returns the header that clears the cookie. */
export async function destroySession(db: Executor, request: Request): Promise<string> {
  const id = await sessionIdFrom(request);
  if (id) await db.deleteFrom("sessions").where("id_hash", "=", sha256(id)).execute();
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function pruneSessions(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", now.toISOString()).execute();
}

// Between asking for a sign-in mail and typing its code, the browser holds the token's id
// (signed) so the code form needs nothing else: no address in the URL or the page.
let pendingCookie: ReturnType<typeof createCookie> | undefined;
function pendingSignInCookie() {
  const env = getEnv();
  pendingCookie ??= createCookie("convene_pending_sign_in", {
    httpOnly: true,
    sameSite: "lax",
    path: "/login",
    secure: env.appUrl.protocol === "https:",
    secrets: [env.sessionSecret],
    maxAge: 15 * 60,
  });
  return pendingCookie;
}

export function rememberPendingSignIn(tokenId: number): Promise<string> {
  return pendingSignInCookie().serialize(tokenId);
}

export async function pendingSignIn(request: Request): Promise<number | null> {
  const value: unknown = await pendingSignInCookie().parse(request.headers.get("Cookie"));
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

export function forgetPendingSignIn(): Promise<string> {
  return pendingSignInCookie().serialize("", { maxAge: 0 });
}
