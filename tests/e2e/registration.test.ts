// Registration for a convening, end to end: a participant registers in Chromium and gets the mail,
// the form refuses what it must, the waitlist fills and empties in arrival order (also under 50
// simultaneous submissions), the directory shows only what people agreed to, and organizers decide,
// filter and export — each page checked with axe, each refusal checked over plain HTTP.
// Who may open the organizer pages is in registration-permissions.test.ts.
import type { AddressObject, ParsedMail } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import en from "../../app/locales/en/common.json";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { createSession } from "../../app/modules/auth/session.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForTitle } from "../setup/browser";
import { DATABASE_KINDS, type DatabaseKind } from "../setup/databases";
import { makePerson, signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { convening as conveningFactory, person, unique } from "../factories";

const HOUR = 60 * 60 * 1000;

interface TestConvening {
  id: number;
  slug: string;
  title: string;
  /** track ids by slug */
  tracks: Record<string, number>;
}

/** A signed-in HTTP client: the session cookie, the anti-forgery cookie and the form token. */
interface Client {
  cookie: string;
  token: string;
}

type Fields = Array<[string, string]>;

/** A minimal CSV reader (quotes, doubled quotes, CRLF) for checking the export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 1;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** One running app on a fresh database, with its SMTP sink, and the helpers the tests share. */
function harness(kind: DatabaseKind) {
  const h = {} as { smtp: SmtpSink; app: RunningApp; db: DB; siteOrganizer: number };

  async function start() {
    h.smtp = await startSmtpSink();
    h.app = await startApp({ kind, env: { SMTP_URL: h.smtp.url } });
    h.db = openDatabase(h.app.databaseUrl);
    h.siteOrganizer = (await addSiteOrganizer(h.db, "site-organizer@example.org")).personId;
    await makePerson(h.db, "site-organizer@example.org", "Site team");
  }

  async function stop() {
    await h.db?.destroy();
    await h.app?.stop();
    await h.smtp?.stop();
    expect(h.app.stderr()).toBe("");
  }

  /**
   * A published three-day convening whose registration opened a day ago and closes in a month.
   * Three days, so its date range is formatted on the server and again in the browser: pages
   * that hydrate without errors show the two agree.
   */
  async function newConvening(slug: string, title: string, capacity: number | null): Promise<TestConvening> {
    const id = await createConvening(h.db, {
      slug,
      title,
      startsOn: "2027-06-08",
      endsOn: "2027-06-10",
      timeZone: "Europe/Lisbon",
      venue: "Lisbon",
      status: "published",
    });
    const now = Date.now();
    await updateRegistrationSettings(h.db, {
      conveningId: id,
      organizerId: h.siteOrganizer,
      opensAt: new Date(now - 24 * HOUR).toISOString(),
      closesAt: new Date(now + 30 * 24 * HOUR).toISOString(),
      capacity,
      approvalRequired: false,
    });
    const tracks = await listTracks(h.db, id);
    return { id, slug, title, tracks: Object.fromEntries(tracks.map((t) => [t.slug, t.id])) };
  }

  async function organizerOf(conveningId: number, email: string, name: string): Promise<number> {
    const id = await makePerson(h.db, email, name);
    await h.db.insertInto("roles").values({ person_id: id, convening_id: conveningId, role: "organizer", track_id: null, reads_sensitive: 1, created_at: new Date().toISOString() }).execute();
    return id;
  }

  async function sessionCookie(personId: number): Promise<string> {
    return (await createSession(h.db, personId)).split(";")[0]!;
  }

  /** Opens a page with the person's session, as a browser would, to get the anti-forgery cookie and token. */
  async function client(personId: number, path: string): Promise<Client> {
    const session = await sessionCookie(personId);
    const response = await fetch(`${h.app.url}${path}`, { headers: { Cookie: session } });
    expect(response.status, path).toBe(200);
    const html = await response.text();
    const csrf = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="));
    const token = /<input type="hidden" name="csrf" value="([^"]+)"\/>/.exec(html)?.[1];
    if (!csrf || !token) throw new Error(`no anti-forgery cookie or token on ${path}`);
    return { cookie: `${session}; ${csrf.split(";")[0]}`, token };
  }

  function post(path: string, from: Client, fields: Fields): Promise<Response> {
    return fetch(`${h.app.url}${path}`, {
      method: "POST",
      headers: { Cookie: from.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...fields, ["csrf", from.token]]).toString(),
      redirect: "manual",
    });
  }

  function registrationFields(displayName: string, attendance: "in_person" | "remote", tracks: number[], extra: Fields = []): Fields {
    return [["intent", "register"], ["displayName", displayName], ["attendance", attendance], ...tracks.map((id): [string, string] => ["tracks", String(id)]), ...extra];
  }

  /** Registers the person over HTTP, expecting the redirect to the status page. */
  async function registerOverHttp(personId: number, convening: TestConvening, displayName: string, attendance: "in_person" | "remote", tracks: number[], extra: Fields = []) {
    const path = `/convenings/${convening.slug}/register`;
    const from = await client(personId, path);
    const response = await post(path, from, registrationFields(displayName, attendance, tracks, extra));
    expect(response.status, `registering ${displayName}`).toBe(302);
    expect(response.headers.get("location")).toBe(`${path}?done=submitted`);
    return { from, registration: await registrationOf(convening.id, personId) };
  }

  async function registrationOf(conveningId: number, personId: number) {
    return h.db.selectFrom("registrations").selectAll().where("convening_id", "=", conveningId).where("person_id", "=", personId).executeTakeFirst();
  }

  async function tracksOf(registrationId: number): Promise<number[]> {
    const rows = await h.db.selectFrom("registration_tracks").select("track_id").where("registration_id", "=", registrationId).orderBy("track_id").execute();
    return rows.map((r) => r.track_id);
  }

  async function countRegistrations(conveningId: number): Promise<number> {
    const row = await h.db.selectFrom("registrations").select((eb) => eb.fn.countAll<number>().as("n")).where("convening_id", "=", conveningId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function outboxFor(conveningId: number) {
    return h.db.selectFrom("mail_outbox").select(["person_id", "template", "subject", "text_body"]).where("convening_id", "=", conveningId).orderBy("id").execute();
  }

  function recipient(mail: ParsedMail): string {
    return (mail.to as AddressObject | undefined)?.text ?? "";
  }

  /** Waits for the mail with this subject to this address; fails naming what did arrive. */
  async function mailTo(address: string, subject: string, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = h.smtp.messages.filter((m) => recipient(m) === address && m.subject === subject);
      if (found.length > 1) throw new Error(`${found.length} mails "${subject}" to ${address}`);
      if (found.length === 1) return found[0]!;
      if (Date.now() > deadline) {
        const seen = h.smtp.messages.filter((m) => recipient(m) === address).map((m) => m.subject);
        throw new Error(`no mail "${subject}" to ${address}; that address got: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function submitForm(page: Page, slug: string, button: string) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(`/convenings/${slug}/register`)),
      page.getByRole("button", { name: button, exact: true }).click(),
    ]);
    return response;
  }

  return { h, start, stop, newConvening, organizerOf, sessionCookie, client, post, registrationFields, registerOverHttp, registrationOf, tracksOf, countRegistrations, outboxFor, mailTo, submitForm };
}

describe("registration", () => {
  const { h, start, stop, newConvening, organizerOf, sessionCookie, client, post, registrationFields, registerOverHttp, registrationOf, tracksOf, countRegistrations, outboxFor, mailTo, submitForm } = harness("sqlite");
  let app: RunningApp;
  let db: DB;
  let browser: Browser;

  beforeAll(async () => {
    await start();
    ({ app, db } = h);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stop();
  });

  it("lets a participant register in the browser with needs and consents, shows the status and mails the confirmation", async () => {
    const convening = await newConvening("spring", "Spring Strategy Meeting", 3);
    const ama = await makePerson(db, "ama@example.org", "Ama", { fullName: "Ama Mensah" });
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, ama);

    await page.goto(`${app.url}/convenings/spring`);
    await visible(page.getByRole("heading", { level: 1, name: "Spring Strategy Meeting" }));
    await expectAccessible(page);
    await page.getByRole("link", { name: "Register now" }).click();
    await page.waitForURL(`${app.url}/convenings/spring/register`);
    await waitForTitle(page, "Registration · Spring Strategy Meeting · Convene");
    await visible(page.getByRole("heading", { level: 1, name: "Register for Spring Strategy Meeting" }));
    await expectAccessible(page);

    // The name shown starts as the profile's public name; the participant picks another for this meeting.
    const displayName = page.getByLabel("Name shown to other participants");
    await expect.poll(() => displayName.inputValue(), SETTLED).toBe("Ama");
    await displayName.fill("Ama K.");
    await page.getByRole("radio", { name: "In person" }).check();
    await page.getByRole("checkbox", { name: "Sex work" }).check();
    await page.getByRole("checkbox", { name: "HIV/AIDS" }).check();
    await page.getByRole("checkbox", { name: "Step-free access" }).check();
    await page.getByLabel("Dietary needs").fill("No nuts");
    await page.getByRole("group", { name: /^Do you need support with travel or lodging\?/ }).getByRole("radio", { name: "Yes" }).check();
    await page.getByRole("checkbox", { name: "Travel", exact: true }).check();
    await page.getByLabel("Travel: amount").fill("450");
    await page.getByLabel("Travel: currency").selectOption("EUR");
    await page.getByLabel("Why you need support").fill("Travel from Accra");
    await page.getByRole("checkbox", { name: "List me in the participant directory" }).check();
    await page.getByRole("checkbox", { name: "Share my email address with other participants" }).check();
    const response = await submitForm(page, "spring", "Register");
    expect(response.status()).toBe(202); // single fetch answers a redirect with 202 and the target in the body

    await page.waitForURL(`${app.url}/convenings/spring/register?done=submitted`);
    await visible(page.getByRole("heading", { level: 1, name: "Your registration for Spring Strategy Meeting" }));
    await expect.poll(() => page.getByRole("status").textContent(), SETTLED).toBe("Thank you. Your registration is in; we have sent you an email with its status.");
    await expect.poll(() => page.locator(".notice strong").textContent(), SETTLED).toBe("Confirmed");
    await visible(page.getByText("You have a place. We look forward to seeing you."));
    await expectAccessible(page);

    const mail = await mailTo("ama@example.org", "Your place at Spring Strategy Meeting is confirmed");
    const code = (await registrationOf(convening.id, ama))!.check_in_code;
    expect(mail.text).toBe(
      "Hello Ama K.,\n\nYour registration for Spring Strategy Meeting is confirmed. We look forward to seeing you.\n\n" +
        `Your check-in code is ${code}. Show the QR code in this mail at the door, or say the code.\n\n${code}\n\nThe desk opens your entry at: ${app.url}/organize/spring/desk?code=${code}\n\n` +
        `See your registration: ${app.url}/convenings/spring/register\n\n--\n\nYou receive this because of your participation in a Convene convening.\n`,
    );

    const row = await registrationOf(convening.id, ama);
    expect(row).toMatchObject({
      status: "confirmed",
      attendance: "in_person",
      display_name: "Ama K.",
      pronouns: null,
      organization: null,
      constituency: null,
      country: null,
      languages: "[]",
      interpretation: "[]",
      access_needs: '["step_free"]',
      access_other: null,
      dietary: "No nuts",
      support_requested: 1,
      // the reason lives with the support request now
      support_reason: null,
      emergency_contact: null,
      consent_directory: 1,
      consent_contact: 1,
      consent_photos: 0,
      organizer_message: null,
      attended_at: null,
    });
    expect(await tracksOf(row!.id)).toEqual([convening.tracks["sex-work"], convening.tracks["hiv-aids"]].sort((a, b) => a! - b!));
    expect(await countRegistrations(convening.id)).toBe(1);

    // Back on the convening page, the status replaces the button.
    await page.getByRole("link", { name: "Spring Strategy Meeting" }).click();
    await page.waitForURL(`${app.url}/convenings/spring`);
    await visible(page.getByText("Your registration:"));
    await expect.poll(() => page.locator("#registration-heading + p strong").textContent(), SETTLED).toBe("Confirmed");
    await expect.poll(() => page.getByRole("link", { name: "Register now" }).count(), SETTLED).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses an incomplete form next to its fields with 400 and stores nothing until it is right", async () => {
    const convening = await newConvening("forms", "Forms Meeting", 5);
    const bea = await makePerson(db, "bea@example.org", "Bea");
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, bea);
    await page.goto(`${app.url}/convenings/forms/register`);
    await visible(page.getByRole("heading", { level: 1, name: "Register for Forms Meeting" }));

    // No attendance, no track.
    let response = await submitForm(page, "forms", "Register");
    expect(response.status()).toBe(400);
    await expect.poll(() => page.locator("#field-attendance-error").textContent(), SETTLED).toBe("Choose how you will take part.");
    await expect.poll(() => page.locator("#field-tracks-error").textContent(), SETTLED).toBe("Choose at least one track.");
    await expect.poll(() => page.locator("#field-attendance").getAttribute("aria-describedby"), SETTLED).toBe("field-attendance-error");
    await expect.poll(() => page.locator("#field-tracks").getAttribute("aria-describedby"), SETTLED).toBe("field-tracks-hint field-tracks-error");
    await expect.poll(() => page.getByRole("radio", { name: "In person" }).getAttribute("aria-invalid"), SETTLED).toBe("true");
    await expect.poll(() => page.getByRole("alert").allTextContents(), SETTLED).toEqual(["Please correct the fields marked below."]);
    await expect.poll(() => page.locator(".field-error").count(), SETTLED).toBe(2);
    await expectAccessible(page);
    expect(await countRegistrations(convening.id)).toBe(0);

    // Support asked for without a reason.
    await page.getByRole("radio", { name: "Remotely (online)" }).check();
    await page.getByRole("checkbox", { name: "Trafficking" }).check();
    await page.getByRole("group", { name: /^Do you need support with travel or lodging\?/ }).getByRole("radio", { name: "Yes" }).check();
    await page.getByRole("checkbox", { name: "Travel", exact: true }).check();
    await page.getByLabel("Travel: amount").fill("200");
    await page.getByLabel("Travel: currency").selectOption("EUR");
    response = await submitForm(page, "forms", "Register");
    expect(response.status()).toBe(400);
    await expect.poll(() => page.locator("#field-supportReason-error").textContent(), SETTLED).toBe("Say briefly why you need support, or answer No.");
    await expect.poll(() => page.getByLabel("Why you need support").getAttribute("aria-invalid"), SETTLED).toBe("true");
    await expect.poll(() => page.locator(".field-error").allTextContents(), SETTLED).toEqual(["Say briefly why you need support, or answer No."]);
    await expectAccessible(page);
    expect(await countRegistrations(convening.id)).toBe(0);

    // Answering No is enough.
    await page.getByRole("group", { name: /^Do you need support with travel or lodging\?/ }).getByRole("radio", { name: "No" }).check();
    response = await submitForm(page, "forms", "Register");
    expect(response.status()).toBe(202);
    await page.waitForURL(`${app.url}/convenings/forms/register?done=submitted`);
    await expect.poll(() => page.locator(".notice strong").textContent(), SETTLED).toBe("Confirmed");
    const row = await registrationOf(convening.id, bea);
    expect(row).toMatchObject({ status: "confirmed", attendance: "remote", display_name: "Bea", support_requested: 0, support_reason: null, consent_directory: 0, consent_contact: 0, consent_photos: 0 });
    expect(await tracksOf(row!.id)).toEqual([convening.tracks.trafficking]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("puts the next in-person registrant on the waitlist, and gives them the place when the confirmed person cancels", async () => {
    const convening = await newConvening("tiny", "Tiny Meeting", 1);
    const tess = await makePerson(db, "tess@example.org", "Tess");
    const uma = await makePerson(db, "uma@example.org", "Uma");
    const { registration: first } = await registerOverHttp(tess, convening, "Tess", "in_person", [convening.tracks["lgbtq-rights"]!]);
    expect(first!.status).toBe("confirmed");
    await mailTo("tess@example.org", "Your place at Tiny Meeting is confirmed");

    // Uma registers in the browser and lands on the waitlist.
    const umaPage = await openPage(browser);
    await signInAs(umaPage.context, db, app.url, uma);
    await umaPage.page.goto(`${app.url}/convenings/tiny/register`);
    await umaPage.page.getByRole("radio", { name: "In person" }).check();
    await umaPage.page.getByRole("checkbox", { name: "LGBTQ rights" }).check();
    await submitForm(umaPage.page, "tiny", "Register");
    await umaPage.page.waitForURL(`${app.url}/convenings/tiny/register?done=submitted`);
    await expect.poll(() => umaPage.page.locator(".notice strong").textContent(), SETTLED).toBe("On the waitlist");
    await visible(umaPage.page.getByText("All in-person places are taken. You are number 1 on the waitlist; when a place frees up it goes to the next person, and we email you at once."));
    await expectAccessible(umaPage.page);
    const waitlisted = await mailTo("uma@example.org", "You are on the waitlist for Tiny Meeting");
    expect(waitlisted.text).toContain("All in-person places at Tiny Meeting are taken, so you are on the waitlist, at number 1.");
    expect(await registrationOf(convening.id, uma)).toMatchObject({ status: "waitlisted", attendance: "in_person" });

    // Tess cancels through the pages.
    const tessPage = await openPage(browser);
    await signInAs(tessPage.context, db, app.url, tess);
    await tessPage.page.goto(`${app.url}/convenings/tiny/register`);
    await expect.poll(() => tessPage.page.locator(".notice strong").textContent(), SETTLED).toBe("Confirmed");
    await tessPage.page.getByRole("link", { name: "Cancel your registration" }).click();
    await tessPage.page.waitForURL(`${app.url}/convenings/tiny/register?cancel=1`);
    await visible(tessPage.page.getByRole("heading", { level: 1, name: "Cancel your registration?" }));
    await expectAccessible(tessPage.page);
    await submitForm(tessPage.page, "tiny", "Yes, cancel my registration");
    await tessPage.page.waitForURL(`${app.url}/convenings/tiny/register?done=cancelled`);
    await expect.poll(() => tessPage.page.getByRole("status").textContent(), SETTLED).toBe("Your registration is cancelled. We have sent you an email to confirm.");
    // The form is offered again, to register anew.
    await visible(tessPage.page.getByRole("heading", { level: 1, name: "Register for Tiny Meeting" }));
    await expectAccessible(tessPage.page);

    expect(await registrationOf(convening.id, tess)).toMatchObject({ status: "cancelled" });
    expect(await registrationOf(convening.id, uma)).toMatchObject({ status: "confirmed" });
    await mailTo("tess@example.org", "Your registration for Tiny Meeting is cancelled");
    const promoted = await mailTo("uma@example.org", "A place at Tiny Meeting is yours");
    expect(promoted.text).toContain("A place has freed up at Tiny Meeting, and it is yours: your registration is now confirmed.");
    expect((await outboxFor(convening.id)).map((m) => [m.person_id, m.template])).toEqual([
      [tess, "registration-confirmed"],
      [uma, "registration-waitlisted"],
      [tess, "registration-cancelled"],
      [uma, "registration-promoted"],
    ]);

    await umaPage.page.reload();
    await expect.poll(() => umaPage.page.locator(".notice strong").textContent(), SETTLED).toBe("Confirmed");
    expect([...umaPage.errors, ...tessPage.errors]).toEqual([]);
    await umaPage.context.close();
    await tessPage.context.close();
  });

  describe("refusals over HTTP", () => {
    let convening: TestConvening;
    let kim: number;
    let kimClient: Client;
    let path: string;

    // Each test has a convening of its own, where Kim is registered.
    beforeEach(async () => {
      convening = await newConvening(`checks-${unique()}`, "Checks Meeting", 10);
      path = `/convenings/${convening.slug}/register`;
      kim = (await person(db, { name: "Kim", fullName: null })).id;
      kimClient = (await registerOverHttp(kim, convening, "Kim", "in_person", [convening.tracks["sex-work"]!], [["consentDirectory", "on"]])).from;
    });

    async function snapshot() {
      const row = await registrationOf(convening.id, kim);
      return {
        row,
        tracks: await tracksOf(row!.id),
        registrations: await countRegistrations(convening.id),
        mails: (await outboxFor(convening.id)).length,
        audit: (await db.selectFrom("audit_log").select("id").where("convening_id", "=", convening.id).execute()).length,
      };
    }

    it("answers a second registration by the same person with 409 and changes nothing", async () => {
      const before = await snapshot();
      expect(before.row!.status).toBe("confirmed");
      const response = await post(path, kimClient, registrationFields("Someone else", "remote", [convening.tracks.trafficking!]));
      expect(response.status).toBe(409);
      expect(await response.text()).toContain(
        '<p class="notice notice--error" role="alert">You are already registered for this convening. You can change your registration instead.</p>',
      );
      expect(await snapshot()).toEqual(before);
    });

    it("answers tracks that are not this convening's with 400 next to the tracks, storing nothing", async () => {
      const lee = await makePerson(db, "lee@example.org", "Lee");
      const from = await client(lee, path);
      const before = await snapshot();
      const otherConvening = { id: (await conveningFactory(db, { title: "Another Meeting", organizerId: h.siteOrganizer })).trackIds[0]! };
      for (const track of [String(otherConvening.id), "999999", "abc"]) {
        const response = await post(path, from, [["intent", "register"], ["displayName", "Lee"], ["attendance", "in_person"], ["tracks", String(convening.tracks["sex-work"])], ["tracks", track]]);
        expect(response.status, track).toBe(400);
        expect(await response.text()).toContain('<p class="field-error" id="field-tracks-error">Choose tracks from the list.</p>');
      }
      expect(await registrationOf(convening.id, lee)).toBeUndefined();
      expect(await snapshot()).toEqual(before);
    });

    it("accepts a name shown of 80 characters and refuses 81 with 400", async () => {
      const max = await makePerson(db, "max@example.org", "Max");
      const from = await client(max, path);
      const tooLong = await post(path, from, registrationFields("x".repeat(81), "remote", [convening.tracks["hiv-aids"]!]));
      expect(tooLong.status).toBe(400);
      expect(await tooLong.text()).toContain('<p class="field-error" id="field-displayName-error">This is too long.</p>');
      expect(await registrationOf(convening.id, max)).toBeUndefined();
      const longest = await post(path, from, registrationFields("y".repeat(80), "remote", [convening.tracks["hiv-aids"]!]));
      expect(longest.status).toBe(302);
      expect(await registrationOf(convening.id, max)).toMatchObject({ display_name: "y".repeat(80), status: "confirmed" });
    });

    it("refuses an organizer's decision from a participant with 403 and leaves the registration as it was", async () => {
      const before = await snapshot();
      const response = await post(`/organize/${convening.slug}/registrations/${before.row!.id}`, kimClient, [["decision", "decline"], ["message", "Not you"]]);
      expect(response.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it("answers a registration sent after the window closed with 409 and stores nothing", async () => {
      const late = await newConvening("late", "Late Meeting", 10);
      const ned = await makePerson(db, "ned@example.org", "Ned");
      const latePath = "/convenings/late/register";
      const from = await client(ned, latePath); // the form was opened while registration was open
      await updateRegistrationSettings(db, {
        conveningId: late.id,
        organizerId: h.siteOrganizer,
        opensAt: new Date(Date.now() - 48 * HOUR).toISOString(),
        closesAt: new Date(Date.now() - HOUR).toISOString(),
        capacity: 10,
        approvalRequired: false,
      });
      const response = await post(latePath, from, registrationFields("Ned", "in_person", [late.tracks["sex-work"]!]));
      expect(response.status).toBe(409);
      const html = await response.text();
      expect(html).toContain('<p class="notice notice--error" role="alert">Registration is not open now, so nothing was changed.</p>');
      expect(html).toContain("Registration is closed.");
      expect(await countRegistrations(late.id)).toBe(0);
      expect(await outboxFor(late.id)).toEqual([]);
    });
  });

  it("lists in the directory only those who agreed, shows email only where agreed, and keeps it from people not taking part", async () => {
    const convening = await newConvening("circle", "Circle Meeting", null);
    const track = convening.tracks["reproductive-rights-health"]!;
    const rosa = await makePerson(db, "rosa@example.org", "Rosa");
    const sol = await makePerson(db, "sol@example.org", "Sol");
    const tam = await makePerson(db, "tam@example.org", "Tam");
    const vic = await makePerson(db, "vic@example.org", "Vic");
    const wren = await makePerson(db, "wren@example.org", "Wren");
    await registerOverHttp(rosa, convening, "Rosa R.", "in_person", [track], [["consentDirectory", "on"], ["consentContact", "on"], ["organization", "Red Umbrella"]]);
    await registerOverHttp(sol, convening, "Sol", "remote", [track], [["consentDirectory", "on"]]);
    await registerOverHttp(tam, convening, "Tam", "in_person", [track], [["consentContact", "on"]]);
    const { from: vicClient } = await registerOverHttp(vic, convening, "Vic", "in_person", [track], [["consentDirectory", "on"], ["consentContact", "on"]]);
    const cancel = await post("/convenings/circle/register", vicClient, [["intent", "cancel"]]);
    expect(cancel.status).toBe(302);
    expect(await registrationOf(convening.id, vic)).toMatchObject({ status: "cancelled" });

    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, sol);
    await page.goto(`${app.url}/convenings/circle/register`);
    await page.getByRole("link", { name: "See who else is taking part" }).click();
    await page.waitForURL(`${app.url}/convenings/circle/participants`);
    await visible(page.getByRole("heading", { level: 1, name: "Who is taking part" }));
    await expectAccessible(page);
    await expect.poll(() => page.getByRole("heading", { level: 2 }).allTextContents(), SETTLED).toEqual(["Rosa R.", "Sol"]);
    await expect.poll(() => page.getByText("2 people listed.").count(), SETTLED).toBe(1);
    await expect.poll(() => page.locator("main a[href^='mailto:']").allTextContents(), SETTLED).toEqual(["rosa@example.org"]);
    await expect.poll(() => page.locator(".card").first().textContent(), SETTLED).toBe("Rosa R.Red UmbrellaReproductive rights and healthrosa@example.org");
    expect(errors).toEqual([]);
    await context.close();

    // Not even the page's data carries what was not agreed to.
    const html = await (await fetch(`${app.url}/convenings/circle/participants`, { headers: { Cookie: await sessionCookie(sol) } })).text();
    for (const hidden of ["sol@example.org", "tam@example.org", "vic@example.org", "Tam", "Vic"]) expect(html, hidden).not.toContain(hidden);

    // Someone signed in but not taking part, and someone who cancelled, may not look: a sentence says why.
    for (const [outsider, why] of [
      [wren, "Only confirmed participants see who is taking part. You are not registered for this convening."],
      [vic, "You cancelled your registration, so you cannot see the other participants."],
    ] as const) {
      const response = await fetch(`${app.url}/convenings/circle/participants`, { headers: { Cookie: await sessionCookie(outsider) }, redirect: "manual" });
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain(why);
      expect(body).not.toContain("rosa@example.org");
      expect(body).not.toContain("Rosa R.");
    }
  });

  it("lets an organizer read the counts, filter, see and decide one registration, and export CSV with and without sensitive fields", async () => {
    const convening = await newConvening("review", "Review Meeting", 1);
    const organizer = await organizerOf(convening.id, "review-organizer@example.org", "Review team");
    const kai = await makePerson(db, "kai@example.org", "Kai");
    const lou = await makePerson(db, "lou@example.org", "Lou");
    const mo = await makePerson(db, "mo@example.org", "Mo");
    const noor = await makePerson(db, "noor@example.org", "Noor", { fullName: "Noor Haddad" });
    const t = convening.tracks;
    await registerOverHttp(kai, convening, "Kai", "in_person", [t["sex-work"]!], [["country", "Kenya"]]);
    await registerOverHttp(lou, convening, "Lou", "in_person", [t["hiv-aids"]!]);
    await registerOverHttp(mo, convening, "Mo", "remote", [t.trafficking!, t["hiv-aids"]!]);
    const { registration: noorRow } = await registerOverHttp(noor, convening, "Noor", "in_person", [t["migrant-labor-rights"]!], [
      ["accessNeeds", "sign_language"],
      ["accessNeeds", "quiet_room"],
      ["accessOther", "Seating near the door"],
      ["dietary", "Vegetarian"],
      ["supportRequested", "yes"],
      ["supportKinds", "travel"],
      ["support_travel_amount", "450"],
      ["support_travel_currency", "EUR"],
      ["supportReason", "Travel from Beirut"],
      ["emergencyContact", "Rami +961 1 234 567"],
    ]);
    expect(noorRow!.status).toBe("waitlisted");

    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, organizer);
    await page.goto(`${app.url}/organize`);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Registrations" }).click();
    await page.waitForURL(`${app.url}/organize/review/registrations`);
    await visible(page.getByRole("heading", { level: 1, name: "Registrations: Review Meeting" }));
    await expectAccessible(page);
    await expect.poll(() => page.locator("ul.stats li").allTextContents(), SETTLED).toEqual([
      "4 registered",
      "2 Confirmed",
      "1 / 1 in-person places taken",
      "2 On the waitlist",
      "0 Waiting for approval",
      "1 asked for support",
    ]);
    await expect.poll(() => page.getByText("4 registrations match.").count(), SETTLED).toBe(1);

    // Filter by status with the GET form.
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "On the waitlist" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "waitlisted");
    await visible(page.getByText("2 registrations match."));
    await expectAccessible(page);
    const rows = page.locator(".table-wrap tbody tr");
    await expect.poll(() => rows.locator("td:nth-child(2)").allTextContents(), SETTLED).toEqual(["Lou", "Noor"]);
    await expect.poll(() => rows.locator("td:nth-child(3)").allTextContents(), SETTLED).toEqual(["On the waitlist", "On the waitlist"]);
    // The export form carries the filters to the CSV.
    const exportForm = page.locator("form.export-form");
    expect(await exportForm.getAttribute("action")).toBe("/organize/review/registrations.csv");
    const hidden = exportForm.locator('input[type="hidden"]');
    await expect
      .poll(async () => Promise.all((await hidden.all()).map(async (input) => [await input.getAttribute("name"), await input.getAttribute("value")])), SETTLED)
      .toEqual([["q", ""], ["status", "waitlisted"], ["track", ""], ["constituency", ""], ["attendance", ""], ["support", ""]]);

    // One registration, sensitive answers included; the view is audited.
    await page.getByRole("link", { name: "Noor" }).click();
    await page.waitForURL(`${app.url}/organize/review/registrations/${noorRow!.id}`);
    await visible(page.getByRole("heading", { level: 1, name: "Noor" }));
    await expectAccessible(page);
    const sensitive = page.locator('section[aria-labelledby="sensitive-heading"]');
    const pairs = async () => {
      const [terms, values] = await Promise.all([sensitive.locator("dt").allTextContents(), sensitive.locator("dd").allTextContents()]);
      return terms.map((term, i) => [term, values[i]]);
    };
    await expect.poll(pairs, SETTLED).toEqual([
      ["Full name (private)", "Noor Haddad"],
      ["Email address", "noor@example.org"],
      ["Access needs", "Sign language interpretation, A quiet room"],
      ["Other access needs", "Seating near the door"],
      ["Dietary needs", "Vegetarian"],
      ["Do you need support with travel or lodging?", "Waiting for a decisionAsked: Travel €450Reason: Travel from Beirut"],
      ["Emergency contact", "Rami +961 1 234 567"],
    ]);
    const views = () =>
      db.selectFrom("audit_log").select(["actor_id", "subject_type", "subject_id"]).where("convening_id", "=", convening.id).where("action", "=", "registration.sensitive_viewed").execute();
    expect(await views()).toEqual([{ actor_id: organizer, subject_type: "registration", subject_id: noorRow!.id }]);

    // An organizer who does not read sensitive answers gets none of them, and no view is audited.
    const deskLead = await makePerson(h.db, "desk-lead@example.org", "Desk lead");
    await h.db.insertInto("roles").values({ person_id: deskLead, convening_id: convening.id, role: "organizer", track_id: null, reads_sensitive: 0, created_at: new Date().toISOString() }).execute();
    const deskCookie = await sessionCookie(deskLead);
    const withheld = await (await fetch(`${app.url}/organize/review/registrations/${noorRow!.id}`, { headers: { Cookie: deskCookie } })).text();
    expect(withheld).toContain("You do not read sensitive answers for this convening");
    expect(["Noor Haddad", "noor@example.org", "Seating near the door", "Vegetarian", "Travel from Beirut", "Rami"].filter((secret) => withheld.includes(secret))).toEqual([]);
    expect(await views()).toHaveLength(1);
    expect((await fetch(`${app.url}/organize/review/registrations.csv?sensitive=1`, { headers: { Cookie: deskCookie } })).status).toBe(403);
    const deskTable = await (await fetch(`${app.url}/organize/review/registrations`, { headers: { Cookie: deskCookie } })).text();
    expect([deskTable.includes("sensitive=1"), deskTable.includes("registrations.csv")]).toEqual([false, true]);

    // Declining with a message.
    const message = "We could not find you a place this year; please apply again next year.";
    await page.getByLabel("Message to the participant").fill(message);
    await page.getByRole("button", { name: "Decline" }).click();
    await visible(page.getByText("Declined. The participant has been emailed."));
    // The notice shows as soon as the action answers; the status follows once the page's data is reloaded.
    await visible(page.locator("main > p > strong").filter({ hasText: /^Declined$/ }));
    await visible(page.getByRole("button", { name: "Approve" }));
    await expectAccessible(page);
    expect(await registrationOf(convening.id, noor)).toMatchObject({ status: "declined", organizer_message: message });
    const declined = await mailTo("noor@example.org", "Your registration for Review Meeting");
    expect(declined.text).toContain(`We are sorry: the organizers could not offer you a place at Review Meeting this time.\n\nTheir message: ${message}\n\n`);
    const decisions = await db.selectFrom("audit_log").select(["actor_id", "subject_id", "details"]).where("action", "=", "registration.declined").where("convening_id", "=", convening.id).execute();
    expect(decisions).toEqual([{ actor_id: organizer, subject_id: noorRow!.id, details: '{"from":"waitlisted","to":"declined"}' }]);
    // The page was shown again after the decision: a second audited view.
    expect(await views()).toHaveLength(2);
    // The participant sees the decision and the message.
    const noorHtml = await (await fetch(`${app.url}/convenings/review/register`, { headers: { Cookie: await sessionCookie(noor) } })).text();
    expect(noorHtml).toContain(`<p>Message from the organizers: ${message}</p>`);

    // CSV without sensitive fields: no address in it.
    const plain = await page.request.get(`${app.url}/organize/review/registrations.csv`);
    expect(plain.status()).toBe(200);
    expect(plain.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(plain.headers()["content-disposition"]).toBe('attachment; filename="review-registrations.csv"');
    const plainBytes = await plain.body();
    expect([...plainBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plainText = plainBytes.subarray(3).toString("utf8");
    expect(plainText).not.toContain("@");
    expect(plainText).not.toContain("Noor Haddad");
    expect(plainText).not.toContain("Travel from Beirut");
    const plainRows = parseCsv(plainText);
    const baseHeader = [
      en.csv.id,
      en.csv.name,
      en.csv.status,
      en.csv.attendance,
      en.csv.pronouns,
      en.csv.organization,
      en.csv.constituency,
      en.csv.country,
      en.csv.tracks,
      en.csv.languages,
      en.csv.interpretation,
      en.csv.supportRequested,
      en.csv.consentDirectory,
      en.csv.consentContact,
      en.csv.consentPhotos,
      en.csv.attended,
      en.csv.registeredAt,
    ];
    expect(plainRows[0]).toEqual(baseHeader);
    expect(plainRows.slice(1).map((r) => [r[1], r[2], r[3], r[7], r[8], r[11]])).toEqual([
      ["Kai", "confirmed", "in_person", "Kenya", "Sex work", "no"],
      ["Lou", "waitlisted", "in_person", "", "HIV/AIDS", "no"],
      ["Mo", "confirmed", "remote", "", "Trafficking; HIV/AIDS", "no"],
      ["Noor", "declined", "in_person", "", "Migrant and labor rights", "yes"],
    ]);
    expect(plainRows.every((r) => r.length === baseHeader.length)).toBe(true);

    // With sensitive fields, on request, and audited as such.
    const full = await page.request.get(`${app.url}/organize/review/registrations.csv?sensitive=1`);
    expect(full.status()).toBe(200);
    expect(full.headers()["content-disposition"]).toBe('attachment; filename="review-registrations-sensitive.csv"');
    const fullBytes = await full.body();
    expect([...fullBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const fullRows = parseCsv(fullBytes.subarray(3).toString("utf8"));
    expect(fullRows[0]).toEqual([...baseHeader, en.csv.fullName, en.csv.email, en.csv.accessNeeds, en.csv.accessOther, en.csv.dietary, en.csv.supportReason, en.csv.emergencyContact]);
    expect(fullRows.slice(1).map((r) => r.slice(17, 19))).toEqual([
      ["", "kai@example.org"],
      ["", "lou@example.org"],
      ["", "mo@example.org"],
      ["Noor Haddad", "noor@example.org"],
    ]);
    expect(fullRows[4]!.slice(19)).toEqual(["sign_language; quiet_room", "Seating near the door", "Vegetarian", "Travel from Beirut", "Rami +961 1 234 567"]);
    const exports = await db
      .selectFrom("audit_log")
      .select(["actor_id", "action", "subject_type", "subject_id"])
      .where("convening_id", "=", convening.id)
      .where("action", "like", "registration.exported%")
      .orderBy("id")
      .execute();
    expect(exports).toEqual([
      { actor_id: organizer, action: "registration.exported", subject_type: "convening", subject_id: convening.id },
      { actor_id: organizer, action: "registration.exported_sensitive", subject_type: "convening", subject_id: convening.id },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// Places are counted and taken under a lock; PostgreSQL (when TEST_POSTGRES_URL is set) runs the
// 50 transactions truly side by side, so this is where a missing lock would show.
describe.each(DATABASE_KINDS)("50 simultaneous registrations over HTTP, on %s", (kind) => {
  const { h, start, stop, newConvening, client, post, registrationFields, outboxFor } = harness(kind);
  let db: DB;

  beforeAll(async () => {
    await start();
    db = h.db;
  });
  afterAll(stop);

  it("gives exactly the capacity and queues the rest in arrival order", async () => {
    const convening = await newConvening("rush", "Rush Meeting", 20);
    const track = convening.tracks["migrant-labor-rights"]!;
    const path = "/convenings/rush/register";
    const people: number[] = [];
    for (let i = 1; i <= 50; i += 1) people.push(await makePerson(db, `rush${i}@example.org`, `Rush ${i}`));
    const clients = await Promise.all(people.map((id) => client(id, path)));

    const responses = await Promise.all(clients.map((from, i) => post(path, from, registrationFields(`Rush ${i + 1}`, "in_person", [track]))));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(302));
    expect(new Set(responses.map((r) => r.headers.get("location")))).toEqual(new Set([`${path}?done=submitted`]));

    const rows = await db.selectFrom("registrations").select(["id", "person_id", "status", "queued_at"]).where("convening_id", "=", convening.id).orderBy("id").execute();
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set(people));
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(20);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(30);
    // The first 20 to arrive (ids follow the order places were taken) have the places.
    expect(rows.map((r) => r.status)).toEqual([...Array(20).fill("confirmed"), ...Array(30).fill("waitlisted")]);
    const byQueue = await db
      .selectFrom("registrations")
      .select("id")
      .where("convening_id", "=", convening.id)
      .where("status", "=", "waitlisted")
      .orderBy("queued_at")
      .orderBy("id")
      .execute();
    expect(byQueue.map((r) => r.id)).toEqual(rows.slice(20).map((r) => r.id));
    const queued = rows.map((r) => r.queued_at);
    expect(queued).toEqual([...queued].sort());

    // Each waitlisted person was told their own place in the queue: 1 to 30.
    const mails = await outboxFor(convening.id);
    expect(mails.filter((m) => m.template === "registration-confirmed").map((m) => m.person_id).sort()).toEqual(rows.slice(0, 20).map((r) => r.person_id).sort());
    const positions = rows.slice(20).map((r) => {
      const mail = mails.filter((m) => m.person_id === r.person_id && m.template === "registration-waitlisted");
      expect(mail).toHaveLength(1);
      return /at number (\d+)\./.exec(mail[0]!.text_body)?.[1];
    });
    expect(positions).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(mails).toHaveLength(50);
  });

});
