// A newcomer signs up, follows the link from the mail, completes the profile, signs out, and
// signs in again with the code from a second mail — in Chromium, against the real server,
// with mail delivered to a real SMTP server.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForTitle } from "../setup/browser";
import { BROWSER_DATABASE_KINDS } from "../setup/databases";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

function linkAndCode(text: string): { link: string; code: string } {
  const link = /Sign in to Convene: (\S+)/.exec(text)?.[1];
  const code = /^(\d{6})$/m.exec(text)?.[1];
  if (!link || !code) throw new Error(`no link or code in mail:\n${text}`);
  return { link, code };
}

describe.each(BROWSER_DATABASE_KINDS)("signing up and in, on %s", (kind) => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ kind, env: { SMTP_URL: smtp.url, MAIL_FROM: "Convene <convene@example.org>" } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
  });
  afterAll(async () => {
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  it("lets a newcomer create an account, complete the profile, sign out and sign in again with the code", async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(app.url);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/login`);
    await waitForTitle(page, "Sign in · Convene");
    await expectAccessible(page);

    // A wrong address is refused next to the field, and nothing is sent.
    await page.getByLabel("Email address").fill("not-an-address");
    await page.getByRole("button", { name: "Send me a sign-in link" }).click();
    await expect.poll(() => page.getByText("Enter an email address like name@example.org.").textContent(), SETTLED).toBe("Enter an email address like name@example.org.");
    await expect.poll(() => page.getByLabel("Email address").getAttribute("aria-invalid"), SETTLED).toBe("true");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill("Newcomer@Example.org");
    await page.getByRole("button", { name: "Send me a sign-in link" }).click();
    await page.waitForURL(`${app.url}/login/code`);
    await expectAccessible(page);

    const [first] = await smtp.waitFor(1);
    expect(first!.subject).toBe("Your Convene sign-in link");
    expect((first!.to as { text: string }).text).toBe("newcomer@example.org");
    const { link } = linkAndCode(first!.text ?? "");
    expect(link.startsWith(`${app.url}/login/verify?token=`)).toBe(true);

    await page.goto(link);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/account" && url.searchParams.get("welcome") === "1");
    await visible(page.getByRole("heading", { level: 1, name: "Welcome to Convene" }));
    await expectAccessible(page);

    // The profile: the name shown to others is required.
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => page.locator("#field-publicName-error").textContent(), SETTLED).toBe("This field is required.");
    await page.getByLabel("Name shown to others").fill("River");
    await page.getByLabel("Full name (private)").fill("Rivka Testperson");
    await page.getByLabel("Pronouns").fill("they/them");
    await page.getByLabel("Organization").fill("Red Umbrella Collective");
    await page.getByLabel("Which best describes you?").selectOption("sex_worker_or_community_member");
    await page.getByLabel("Country").fill("Portugal");
    await page.getByLabel("Languages you speak").fill("Português, English");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.waitForURL(`${app.url}/`);
    await visible(page.getByRole("button", { name: "Sign out" }));

    const person = await db
      .selectFrom("people")
      .leftJoin("organizations", "organizations.id", "people.organization_id")
      .select(["people.email", "people.public_name", "people.full_name", "people.pronouns", "people.constituency", "people.country", "people.languages", "organizations.name as organization"])
      .executeTakeFirstOrThrow();
    expect(person).toEqual({
      email: "newcomer@example.org",
      public_name: "River",
      full_name: "Rivka Testperson",
      pronouns: "they/them",
      constituency: "sex_worker_or_community_member",
      country: "Portugal",
      languages: '["Português","English"]',
      organization: "Red Umbrella Collective",
    });

    // Signing out ends the session on the server: the old cookie is worthless afterwards.
    const cookiesBefore = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await visible(page.getByRole("link", { name: "Sign in" }));
    expect(await db.selectFrom("sessions").select("person_id").execute()).toEqual([]);
    const replay = await browser.newContext();
    await replay.addCookies(cookiesBefore);
    const replayPage = await replay.newPage();
    await replayPage.goto(`${app.url}/account`);
    expect(new URL(replayPage.url()).pathname).toBe("/login");
    await replay.close();

    // Again, this time typing the code as one would on another device.
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email address").fill("newcomer@example.org");
    await page.getByRole("button", { name: "Send me a sign-in link" }).click();
    await page.waitForURL(`${app.url}/login/code`);
    const mails = await smtp.waitFor(2);
    const { code, link: secondLink } = linkAndCode(mails[1]!.text ?? "");
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
    await visible(page.getByRole("link", { name: "Your account" }));
    expect(await db.selectFrom("people").select("id").execute()).toHaveLength(1);

    // The link of the mail whose code was used no longer works.
    await page.goto(secondLink);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent(), SETTLED).toContain("has expired or was already used");
    await expectAccessible(page);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("works without JavaScript", async () => {
    // Scripts are off, so neither axe nor page.evaluate can run here; the same pages are
    // checked for accessibility in the test above.
    const { page, context, errors, failedLoads } = await openPage(browser, { javaScript: false });
    const before = smtp.messages.length;
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email address").fill("nojs@example.org");
    await page.getByRole("button", { name: "Send me a sign-in link" }).click();
    await page.waitForURL(`${app.url}/login/code`);
    const mails = await smtp.waitFor(before + 1);
    const { code } = linkAndCode(mails[before]!.text ?? "");
    await page.getByLabel("6-digit code").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByText("That code is not right. Check the email and try again."));
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await page.getByLabel("Name shown to others").fill("Sky");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.waitForURL(`${app.url}/`);
    await visible(page.getByRole("button", { name: "Sign out" }));
    await page.getByRole("button", { name: "Sign out" }).click();
    await visible(page.getByRole("link", { name: "Sign in" }));
    expect(errors).toEqual([]);
    expect(failedLoads).toEqual(["400 /login/code"]);
    await context.close();
  });

  it("reads well on a phone: nothing wider than the screen", async () => {
    const { page, context, errors } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    for (const path of ["/", "/login", "/no-such-page"]) {
      await page.goto(`${app.url}${path}`);
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { ...SETTLED, message: path }).toBeLessThanOrEqual(360);
      await expectAccessible(page);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
