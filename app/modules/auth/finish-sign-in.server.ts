import { redirect } from "@remix-run/node";
import { getDb } from "../../platform/db.server";
import type { SignInResult } from "./login.server";
import { createSession, forgetPendingSignIn, safeRedirect } from "./session.server";

/** Starts the session after a successful link or code; new accounts go on to their profile. */
export async function finishSignIn(result: Extract<SignInResult, { ok: true }>): Promise<never> {
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(getDb(), result.personId));
  headers.append("Set-Cookie", await forgetPendingSignIn());
  const next = safeRedirect(result.redirectTo, "/");
  const to = result.created ? `/account?${new URLSearchParams({ welcome: "1", redirectTo: next })}` : next;
  throw redirect(to, { headers });
}
