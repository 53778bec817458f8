// Shortcuts for tests that are about something other than signing in.
import { spawnSync } from "node:child_process";
import type { BrowserContext } from "playwright-core";
import { createSession } from "../../app/modules/auth/session.server";
import { findOrCreatePerson, updateProfile } from "../../app/modules/people/people.server";
import type { DB } from "../../app/platform/db.server";

/** Creates (or finds) a person with a completed profile. */
export async function makePerson(db: DB, email: string, publicName: string, extra: { fullName?: string; organization?: string } = {}) {
  const { id } = await findOrCreatePerson(db, email);
  await updateProfile(db, id, { publicName, fullName: extra.fullName, organization: extra.organization, languages: [] });
  return id;
}

/** Signs the browser context in as the person, through a real server-side session. */
export async function signInAs(context: BrowserContext, db: DB, appUrl: string, personId: number): Promise<string> {
  const setCookie = await createSession(db, personId);
  const [pair] = setCookie.split(";");
  const [name, value] = pair!.split("=");
  await context.addCookies([{ name: name!, value: value!, url: appUrl, httpOnly: true, sameSite: "Lax" }]);
  return `${name}=${value}`;
}

/** Runs the command line (`npm run convene -- …`) against a database. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync("node_modules/.bin/tsx", ["cli/convene.ts", ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: "development", SESSION_SECRET: process.env.SESSION_SECRET, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
