// Anti-forgery: a random token in a signed, httpOnly cookie, repeated in every form as a
// hidden field. A POST whose field does not match its cookie is refused before any work.
import { createCookie, data } from "@remix-run/node";
import { getEnv } from "../../platform/env.server";
import { randomToken, safeEqual } from "../../platform/crypto.server";
import { requestForm } from "../../lib/form-action.server";

export const CSRF_FIELD = "csrf";

let cookie: ReturnType<typeof createCookie> | undefined;
function csrfCookie() {
  const env = getEnv();
  cookie ??= createCookie("convene_csrf", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.appUrl.protocol === "https:",
    secrets: [env.sessionSecret],
  });
  return cookie;
}

async function tokenFromCookie(request: Request): Promise<string | null> {
  const value: unknown = await csrfCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/** The token for this visitor's forms, and a Set-Cookie header when it is new. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await tokenFromCookie(request);
  if (existing) return { token: existing, setCookie: null };
  const token = randomToken(32);
  return { token, setCookie: await csrfCookie().serialize(token) };
}

export class CsrfError extends Error {}

export async function checkCsrf(request: Request, form: FormData): Promise<void> {
  const expected = await tokenFromCookie(request);
  const given = form.get(CSRF_FIELD);
  if (!expected || typeof given !== "string" || !safeEqual(expected, given)) {
    throw new CsrfError("anti-forgery check failed");
  }
}

export const MAX_FORM_BYTES = 256 * 1024;

/**
 * Reads a POSTed form after the anti-forgery check. Every action reads its form through this,
 * so no action can forget the check. Throws a 4xx response for unreadable or forged forms.
 */
export async function readForm(request: Request): Promise<FormData> {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > MAX_FORM_BYTES) {
    throw data({ message: "errors.formTooLarge" }, { status: 413 });
  }
  const form = await requestForm(request);
  try {
    await checkCsrf(request, form);
  } catch {
    throw data({ message: "errors.csrf" }, { status: 403 });
  }
  // No field of ours holds a NUL character, and PostgreSQL cannot store one in text.
  for (const value of form.values()) {
    if (typeof value === "string" && value.includes("\u0000")) throw data({ message: "errors.formUnreadable" }, { status: 400 });
  }
  return form;
}
