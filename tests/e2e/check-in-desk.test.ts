// The check-in desk, in Chromium against the real server, with JavaScript and without: an
// organizer names a desk volunteer and confirms a participant, whose confirmation mail (through a
// real SMTP server) carries the check-in code, the desk's link and a QR code of that link. The
// volunteer finds the participant by name, marks them arrived, undoes it and marks them again;
// opens the mail's link to the participant's entry; and is refused the organizers' registrations.
// A participant who opens the desk link is refused and learns nothing. The participant's own page
// shows the QR code with an accessible name. Each page visited passes axe (with JavaScript), at
// 1280 and at 390 px, and screenshots of both widths go to /tmp/shots-desk/.
import { mkdirSync } from "node:fs";
import type { AddressObject } from "mailparser";
import type { Browser, Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { BROWSER_DATABASE_KINDS, scriptModes } from "../setup/databases";
import { expectAccessible, launchBrowser, openPage, waitForHydration, type WatchedPage } from "../setup/browser";
import { serverJobsDone } from "../setup/demo";
import { signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";
import { convening, person, registration, unique } from "../factories";

const SHOTS = "/tmp/shots-desk";
const DAY = 24 * 60 * 60 * 1000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

/** The dark cells of the mail's QR table, quiet zone removed, as rows of 0 and 1. */
function tableMatrix(html: string): string[] {
  const table = /<table role="img"[^>]*>(.*?)<\/table>/s.exec(html)![1]!;
  const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/background:#(000000|ffffff)/g)].map((c) => (c[1] === "000000" ? "1" : "0")).join(""));
  return rows.slice(4, -4).map((r) => r.slice(4, -4));
}

function qrMatrix(text: string): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, col) => String(modules.get(row, col))).join(""));
}

describe.each(BROWSER_DATABASE_KINDS)("the check-in desk on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let db: DB;
  let smtp: SmtpSink;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
    await serverJobsDone(db);
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
    expect(app.stderr()).toBe("");
  });

  async function deliver() {
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@localhost>" });
    } finally {
      transport.close();
    }
  }

  for (const { javaScript } of scriptModes(kind)) {
    const mode = `${kind}-${javaScript ? "js" : "nojs"}`;
    it(`names a volunteer who finds, marks arrived, undoes and marks again ${javaScript ? "with" : "without"} JavaScript`, async () => {
      const n = unique();
      const slug = `desk-${n}`;
      const organizer = await person(db, { name: `Organizing team ${n}` });
      // Held around today, in UTC, so the desk is open now.
      const c = await convening(db, { slug, title: `Door Meeting ${n}`, organizerId: organizer.id, startsOn: day(-1), endsOn: day(1), timeZone: "UTC", registration: { approvalRequired: true } });
      const guest = await person(db, { name: `Guest ${n}`, fullName: `Secretlegal ${n}` });
      const pending = await registration(db, {
        conveningId: c.id,
        personId: guest.id,
        status: "pending",
        answers: { displayName: `Marisol Door ${n}`, pronouns: "she/her", interpretation: ["Español"], accessNeeds: ["step_free", "quiet_room"], dietary: `Privatediet ${n}`, accessOther: `Privateneed ${n}` },
      });
      const stranger = await person(db, { name: `Stranger ${n}` });
      await registration(db, { conveningId: c.id, personId: stranger.id, status: "confirmed" });
      const volunteerEmail = `door.volunteer.${n}@example.org`;

      const open = async (page: Page, path: string) => {
        const response = await page.goto(`${app.url}${path}`);
        if (javaScript && response!.status() < 400) await waitForHydration(page);
        return response!;
      };
      const accessible = async (page: Page) => {
        if (javaScript) await expectAccessible(page);
      };
      const bothWidths = async (page: Page, name: string) => {
        await accessible(page);
        await page.screenshot({ path: `${SHOTS}/${name}-${mode}-1280.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await accessible(page);
        await page.screenshot({ path: `${SHOTS}/${name}-${mode}-390.png`, fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      };

      // The organizer names the volunteer (a new account) and confirms the guest.
      const org = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(org);
      await signInAs(org.context, db, app.url, organizer.id);
      await open(org.page, `/organize/${slug}/desk/volunteers`);
      await org.page.getByLabel("Email address").fill(volunteerEmail.toUpperCase());
      await org.page.getByRole("button", { name: "Add volunteer" }).click();
      await org.page.getByText(`${volunteerEmail} can now use the check-in desk.`).waitFor();
      await org.page.getByRole("button", { name: `Remove ${volunteerEmail}` }).waitFor();
      expect(await org.page.getByLabel("Email address").inputValue()).toBe("");
      await bothWidths(org.page, "volunteers");
      const volunteer = await db.selectFrom("people").select("id").where("email", "=", volunteerEmail).executeTakeFirstOrThrow();
      // The new account completes its profile on first sign-in, as every account does.
      expect((await person(db, { name: `Door Volunteer ${n}`, email: volunteerEmail })).id).toBe(volunteer.id);
      expect(await db.selectFrom("audit_log").select(["action", "actor_id", "subject_id"]).where("convening_id", "=", c.id).where("action", "like", "desk.%").execute()).toEqual([
        { action: "desk.volunteer_added", actor_id: organizer.id, subject_id: volunteer.id },
      ]);
      await open(org.page, `/organize/${slug}/registrations/${pending.id}`);
      await org.page.getByRole("button", { name: "Approve", exact: true }).click();
      await org.page.getByText("Approved. The participant has been emailed.").waitFor();

      // The confirmation mail: the code written out, the desk's link, and a QR code of that link.
      const code = (await db.selectFrom("registrations").select("check_in_code").where("id", "=", pending.id).executeTakeFirstOrThrow()).check_in_code;
      const deskUrl = `${app.url}/organize/${slug}/desk?code=${code}`;
      // The server's own sender may be the one that delivers it.
      const confirmation = () => smtp.messages.find((m) => (m.to as AddressObject).text === guest.email && /confirmed/i.test(m.subject ?? ""));
      await expect.poll(async () => (await deliver(), confirmation() !== undefined), { timeout: 10_000, interval: 200 }).toBe(true);
      const mail = confirmation();
      expect(mail!.text).toContain(`Your check-in code is ${code}.`);
      expect(mail!.text).toContain(`The desk opens your entry at: ${deskUrl}`);
      expect(mail!.html).toContain(`aria-label="QR code for check-in code ${code}"`);
      expect(tableMatrix(mail!.html as string)).toEqual(qrMatrix(deskUrl));

      // The volunteer: the desk, and nothing else of /organize.
      const vol = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(vol);
      await signInAs(vol.context, db, app.url, volunteer.id);
      expect((await open(vol.page, `/organize/${slug}/registrations`)).status()).toBe(403);
      expect((await open(vol.page, `/organize/${slug}/desk/volunteers`)).status()).toBe(403);
      await open(vol.page, `/organize/${slug}/desk`);
      await vol.page.getByText("0 of 2 expected in person have arrived").waitFor();
      await vol.page.getByLabel("Chosen name or check-in code").fill(`marisol door`);
      await vol.page.getByRole("button", { name: "Find" }).click();
      const entry = vol.page.getByRole("listitem").filter({ has: vol.page.getByRole("heading", { name: `Marisol Door ${n} (she/her)` }) });
      await entry.waitFor();
      for (const shown of ["Confirmed", "In person", "not arrived yet", `Code ${code}`, "Step-free access", "Interpretation: Español"]) await entry.getByText(shown, { exact: false }).first().waitFor();
      const body = await vol.page.content();
      for (const secret of [`Secretlegal ${n}`, `Privatediet ${n}`, `Privateneed ${n}`, guest.email, "quiet"]) expect(body).not.toContain(secret);
      await bothWidths(vol.page, "desk-search");

      const attended = async () => (await db.selectFrom("registrations").select("attended_at").where("id", "=", pending.id).executeTakeFirstOrThrow()).attended_at;
      if (javaScript) await vol.page.evaluate(() => ((window as unknown as { deskMarker: number }).deskMarker = 1));
      await entry.getByRole("button", { name: "Mark arrived" }).click();
      await entry.getByText(`Marisol Door ${n} is marked as arrived.`).waitFor();
      await entry.getByRole("button", { name: "Undo" }).waitFor();
      await vol.page.getByText("1 of 2 expected in person have arrived").waitFor();
      expect(await attended()).not.toBeNull();
      await bothWidths(vol.page, "desk-arrived");
      await entry.getByRole("button", { name: "Undo" }).click();
      await entry.getByText(`Marisol Door ${n} is no longer marked as arrived.`).waitFor();
      await vol.page.getByText("0 of 2 expected in person have arrived").waitFor();
      expect(await attended()).toBeNull();
      await entry.getByRole("button", { name: "Mark arrived" }).click();
      await entry.getByText(`Marisol Door ${n} is marked as arrived.`).waitFor();
      expect(await attended()).not.toBeNull();
      // With JavaScript the taps happened without a page load.
      if (javaScript) expect(await vol.page.evaluate(() => (window as unknown as { deskMarker?: number }).deskMarker)).toBe(1);
      const audit = await db.selectFrom("audit_log").select(["action", "actor_id", "details"]).where("subject_type", "=", "registration").where("subject_id", "=", pending.id).where("action", "like", "registration.%attended").orderBy("id").execute();
      expect(audit).toEqual([
        { action: "registration.attended", actor_id: volunteer.id, details: '{"via":"desk"}' },
        { action: "registration.not-attended", actor_id: volunteer.id, details: '{"via":"desk"}' },
        { action: "registration.attended", actor_id: volunteer.id, details: '{"via":"desk"}' },
      ]);

      // The mail's link opens the guest's entry for the volunteer.
      await vol.page.goto(deskUrl);
      if (javaScript) await waitForHydration(vol.page);
      await vol.page.getByRole("heading", { name: "Check-in entry" }).waitFor();
      await vol.page.getByRole("heading", { name: `Marisol Door ${n} (she/her)` }).waitFor();
      await accessible(vol.page);

      // Anyone else learns nothing from the link.
      const other = await openPage(browser, { javaScript, viewport: { width: 390, height: 844 } });
      opened.push(other);
      await signInAs(other.context, db, app.url, stranger.id);
      const refused = await other.page.goto(deskUrl);
      expect(refused!.status()).toBe(403);
      expect(await other.page.content()).not.toContain("Marisol");

      // The guest's own page shows the QR code, named for screen readers, and the code.
      const own = await openPage(browser, { javaScript, viewport: { width: 1280, height: 900 } });
      opened.push(own);
      await signInAs(own.context, db, app.url, guest.id);
      await open(own.page, `/convenings/${slug}/register`);
      await own.page.getByRole("img", { name: `QR code for check-in code ${code}` }).waitFor();
      await own.page.getByText(`Check-in code: ${code}`).waitFor();
      await bothWidths(own.page, "register-qr");

      // Removed, the volunteer loses the desk.
      await open(org.page, `/organize/${slug}/desk/volunteers`);
      await org.page.getByRole("button", { name: `Remove ${volunteerEmail}` }).click();
      await org.page.getByText("The volunteer no longer has the desk.").waitFor();
      await org.page.getByText("No desk volunteers yet.").waitFor();
      expect((await vol.page.goto(`${app.url}/organize/${slug}/desk`))!.status()).toBe(403);

      expect(vol.failedLoads.filter((l) => !l.startsWith("403 "))).toEqual([]);
    });
  }
});
