// Who may open the organizer pages of registration: every route, for everyone from a visitor to a
// site-wide organizer, over plain HTTP against the running server, and one refusal in Chromium.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { createSession } from "../../app/modules/auth/session.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible } from "../setup/browser";
import { makePerson, signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const HOUR = 60 * 60 * 1000;

type Who = "anonymous" | "participant" | "other convening's organizer" | "this convening's organizer" | "site organizer";

describe("organizer pages of registration", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let conveningId: number;
  let otherConveningId: number;
  let registrationId: number;
  const people = {} as Record<Exclude<Who, "anonymous">, number>;
  const cookies = {} as Record<Who, string>;

  async function publishedConvening(slug: string, title: string, organizerId: number): Promise<number> {
    // One day long: see the note on date ranges in registration.test.ts.
    const id = await createConvening(db, { slug, title, startsOn: "2027-09-14", endsOn: "2027-09-14", timeZone: "America/Bogota", status: "published" });
    await updateRegistrationSettings(db, {
      conveningId: id,
      organizerId,
      opensAt: new Date(Date.now() - 24 * HOUR).toISOString(),
      closesAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
      capacity: 2,
      approvalRequired: false,
    });
    return id;
  }

  async function conveningOrganizer(email: string, name: string, convening: number): Promise<number> {
    const id = await makePerson(db, email, name);
    await db.insertInto("roles").values({ person_id: id, convening_id: convening, role: "organizer", track_id: null, reads_sensitive: 1, created_at: new Date().toISOString() }).execute();
    return id;
  }

  /** The person's session cookie plus the anti-forgery cookie and token of a page they opened. */
  async function formClient(session: string, path: string): Promise<{ cookie: string; token: string }> {
    const response = await fetch(`${app.url}${path}`, { headers: { Cookie: session } });
    expect(response.status, path).toBe(200);
    const html = await response.text();
    const csrf = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="));
    const token = /<input type="hidden" name="csrf" value="([^"]+)"\/>/.exec(html)?.[1];
    if (!csrf || !token) throw new Error(`no anti-forgery cookie or token on ${path}`);
    return { cookie: `${session}; ${csrf.split(";")[0]}`, token };
  }

  function post(path: string, from: { cookie: string; token: string }, fields: Array<[string, string]>): Promise<Response> {
    return fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { Cookie: from.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...fields, ["csrf", from.token]]).toString(),
      redirect: "manual",
    });
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);

    people["site organizer"] = (await addSiteOrganizer(db, "site@example.org")).personId;
    await makePerson(db, "site@example.org", "Site team");
    conveningId = await publishedConvening("permits", "Permits Meeting", people["site organizer"]);
    otherConveningId = await publishedConvening("elsewhere", "Elsewhere Meeting", people["site organizer"]);
    people["this convening's organizer"] = await conveningOrganizer("this-organizer@example.org", "Permits team", conveningId);
    people["other convening's organizer"] = await conveningOrganizer("other-organizer@example.org", "Elsewhere team", otherConveningId);
    people.participant = await makePerson(db, "pia@example.org", "Pia", { fullName: "Pia Quintero" });
    cookies.anonymous = "";
    for (const who of Object.keys(people) as Array<Exclude<Who, "anonymous">>) {
      cookies[who] = (await createSession(db, people[who])).split(";")[0]!;
    }

    // Pia registers, so there is a registration page to protect.
    const [track] = await listTracks(db, conveningId);
    const from = await formClient(cookies.participant, "/convenings/permits/register");
    const response = await post("/convenings/permits/register", from, [
      ["intent", "register"],
      ["displayName", "Pia"],
      ["attendance", "in_person"],
      ["tracks", String(track!.id)],
      ["emergencyContact", "Luz +57 300 000 0000"],
    ]);
    expect(response.status).toBe(302);
    registrationId = (await db.selectFrom("registrations").select("id").where("person_id", "=", people.participant).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  it("answers every organizer route with a sign-in redirect, 403 or 200 according to the role", async () => {
    const detail = `/organize/permits/registrations/${registrationId}`;
    const routes = ["/organize", "/organize/mail", "/organize/permits/registrations", detail, "/organize/permits/registrations.csv"];
    const expected: Record<Who, number[]> = {
      anonymous: [302, 302, 302, 302, 302],
      participant: [403, 403, 403, 403, 403],
      // An organizer of some convening has the organizer home page, and nothing of this convening.
      "other convening's organizer": [200, 403, 403, 403, 403],
      // The outbox is for site-wide organizers only.
      "this convening's organizer": [200, 403, 200, 200, 200],
      "site organizer": [200, 200, 200, 200, 200],
    };
    const seen: Record<string, number[]> = {};
    for (const who of Object.keys(expected) as Who[]) {
      seen[who] = [];
      for (const path of routes) {
        const response = await fetch(`${app.url}${path}`, { headers: cookies[who] ? { Cookie: cookies[who] } : {}, redirect: "manual" });
        seen[who].push(response.status);
        const body = await response.text();
        if (response.status === 302) {
          expect(response.headers.get("location"), `${who} ${path}`).toBe(`/login?redirectTo=${path.replaceAll("/", "%2F")}`);
        }
        if (response.status !== 200) {
          // A refusal gives nothing away.
          for (const secret of ["pia@example.org", "Pia Quintero", "Luz +57"]) expect(body, `${who} ${path}`).not.toContain(secret);
        }
        if (response.status === 200 && path === detail) expect(body, `${who} ${path}`).toContain("Luz +57 300 000 0000");
        if (response.status === 200 && path.endsWith(".csv")) expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      }
    }
    expect(seen).toEqual(expected);

    // Only the organizers who were let in left a trace of seeing the sensitive answers.
    const views = await db.selectFrom("audit_log").select("actor_id").where("action", "=", "registration.sensitive_viewed").orderBy("id").execute();
    expect(views.map((v) => v.actor_id)).toEqual([people["this convening's organizer"], people["site organizer"]]);
    const exports = await db.selectFrom("audit_log").select("actor_id").where("action", "=", "registration.exported").orderBy("id").execute();
    expect(exports.map((v) => v.actor_id)).toEqual([people["this convening's organizer"], people["site organizer"]]);
  });

  it("refuses decisions and settings from an organizer of another convening with 403, changing nothing", async () => {
    const before = {
      registration: await db.selectFrom("registrations").selectAll().where("id", "=", registrationId).executeTakeFirstOrThrow(),
      convening: await db.selectFrom("convenings").selectAll().where("id", "=", conveningId).executeTakeFirstOrThrow(),
      audit: (await db.selectFrom("audit_log").select("id").execute()).length,
    };
    const from = await formClient(cookies["other convening's organizer"], "/organize/elsewhere/registrations");
    const decline = await post(`/organize/permits/registrations/${registrationId}`, from, [["decision", "decline"], ["message", "No"]]);
    expect(decline.status).toBe(403);
    const settings = await post("/organize/permits/registrations", from, [["capacity", "0"], ["opensAt", ""], ["closesAt", ""]]);
    expect(settings.status).toBe(403);
    expect({
      registration: await db.selectFrom("registrations").selectAll().where("id", "=", registrationId).executeTakeFirstOrThrow(),
      convening: await db.selectFrom("convenings").selectAll().where("id", "=", conveningId).executeTakeFirstOrThrow(),
      audit: (await db.selectFrom("audit_log").select("id").execute()).length,
    }).toEqual(before);
  });

  it("shows a participant who opens the registrations table the accessible 'Not allowed' page", async () => {
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, people.participant);
    const response = await page.goto(`${app.url}/organize/permits/registrations`);
    expect(response?.status()).toBe(403);
    await visible(page.getByRole("heading", { level: 1, name: "Not allowed" }));
    await visible(page.getByText("You do not have permission to open this page."));
    await expectAccessible(page);
    await expect.poll(() => page.getByRole("link", { name: "Organize" }).count(), SETTLED).toBe(0);
    expect(await page.content()).not.toContain("Pia Quintero");
    expect(errors).toEqual([]);
    await context.close();
  });
});
