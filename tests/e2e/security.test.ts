// Anti-forgery, cookies, headers, permissions and error pages, against the running server.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible } from "../setup/browser";
import { makePerson, runCli, signInAs } from "../setup/flows";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

describe("safety basics", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
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

  async function countRows(table: "mail_outbox" | "login_tokens" | "people") {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it("refuses a POST without the anti-forgery token with 403 and a clear message, changing nothing", async () => {
    const before = [await countRows("mail_outbox"), await countRows("login_tokens")];
    const response = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=victim%40example.org",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("This form has expired or was sent from another site.");
    // A token that does not match the cookie is refused too.
    const page = await fetch(`${app.url}/login`);
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
    const forged = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: "email=victim%40example.org&csrf=forged-token-forged-token-forged-token",
    });
    expect(forged.status).toBe(403);
    expect([await countRows("mail_outbox"), await countRows("login_tokens")]).toEqual(before);
  });

  it("treats a forged or tampered session cookie as signed out", async () => {
    for (const cookie of ["convene_session=forged", "convene_session=ImFiYyI.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
      const response = await fetch(`${app.url}/account`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/login?redirectTo=%2Faccount");
    }
  });

  it("sends security headers, and its pages run under the strict Content-Security-Policy without violations", async () => {
    const response = await fetch(`${app.url}/`);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'; style-src 'self'; /);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-powered-by")).toBeNull();
    const csrfCookie = response.headers.get("set-cookie")!;
    expect(csrfCookie).toMatch(/^convene_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);

    // Scripts run (the page hydrates and navigates client-side) and nothing is blocked.
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => "__remixRouter" in window);
    await page.getByRole("link", { name: "Sign in" }).click();
    await visible(page.getByRole("heading", { name: "Sign in or create an account" }));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses a body over 1 MB with 413 and one that does not say its length with 411, before reading it", async () => {
    const big = await fetch(`${app.url}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `email=${"x".repeat(1024 * 1024 + 1)}` });
    expect([big.status, await big.text()]).toEqual([413, "What you sent is too large."]);
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("email=someone%40example.org"));
        controller.close();
      },
    });
    const chunked = await fetch(`${app.url}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: chunks, duplex: "half" } as RequestInit);
    expect([chunked.status, await chunked.text()]).toEqual([411, "Send the length of what you send (Content-Length)."]);
    const broken = await fetch(`${app.url}/convenings/%E0%A4%A`);
    expect(broken.status).toBe(400);
  });

  it("answers /healthz after checking the database", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "sqlite" });
  });

  it("shows a 404 page for unknown addresses and never a stack trace", async () => {
    const response = await fetch(`${app.url}/convenings/no-such-convening`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("<title>Page not found · Convene</title>");
    expect(html).toContain("There is nothing at this address.");
    expect(html).not.toMatch(/at .*\.(js|ts):\d+/);
    const { page, context } = await openPage(browser);
    await page.goto(`${app.url}/some/where/else`);
    await visible(page.getByRole("heading", { name: "Page not found" }));
    await expectAccessible(page);
    await context.close();
  });

  it("keeps organizer pages from participants, and lets an organizer made on the command line retry failed mail", async () => {
    const participant = await makePerson(db, "participant@example.org", "Jade");
    const { page, context, errors } = await openPage(browser);
    await signInAs(context, db, app.url, participant);
    for (const path of ["/organize", "/organize/mail"]) {
      const response = await page.goto(`${app.url}${path}`);
      expect(response?.status(), path).toBe(403);
      await visible(page.getByRole("heading", { name: "Not allowed" }));
    }
    await expect.poll(() => page.getByRole("link", { name: "Organize" }).count(), SETTLED).toBe(0);
    const post = await page.request.post(`${app.url}/organize/mail`, { form: { intent: "retry", id: "1" }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    await context.close();

    const cli = runCli(["add-organizer", "Boss@Example.org"], { DATABASE_URL: app.databaseUrl, DATA_DIR: app.dataDir });
    expect(cli).toMatchObject({ code: 0, stdout: "boss@example.org is now an organizer.\n" });
    const organizer = (await db.selectFrom("people").select("id").where("email", "=", "boss@example.org").executeTakeFirstOrThrow()).id;
    await makePerson(db, "boss@example.org", "Organizing team");

    const now = new Date().toISOString();
    const failed = await db
      .insertInto("mail_outbox")
      .values({ to_address: "someone@example.org", template: "sign-in", subject: "A message that failed", text_body: "Hello", html_body: "<p>Hello</p>", status: "failed", attempts: 8, next_attempt_at: now, error: "connect ECONNREFUSED 127.0.0.1:1", created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();

    const org = await openPage(browser);
    await signInAs(org.context, db, app.url, organizer);
    await org.page.goto(`${app.url}/`);
    await org.page.getByRole("link", { name: "Organize" }).click();
    await org.page.getByRole("link", { name: "Open the outbox" }).click();
    await visible(org.page.getByRole("heading", { name: "Mail outbox" }));
    await expectAccessible(org.page);
    const row = org.page.getByRole("row").filter({ hasText: "A message that failed" });
    // To, kind, subject, state, time, last error.
    await expect.poll(() => row.getByRole("cell").nth(5).textContent(), SETTLED).toBe("connect ECONNREFUSED 127.0.0.1:1");
    await row.getByRole("button", { name: "Retry now" }).click();
    await visible(org.page.getByText("The message is back in the queue and will be sent shortly."));
    const [delivered] = await smtp.waitFor(1);
    expect(delivered!.subject).toBe("A message that failed");
    // The sender marks the message sent just after the SMTP server has taken it.
    const stored = () => db.selectFrom("mail_outbox").select(["status", "attempts"]).where("id", "=", failed.id).executeTakeFirstOrThrow();
    for (let waited = 0; (await stored()).status !== "sent" && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(await stored()).toEqual({ status: "sent", attempts: 1 });
    const audit = await db.selectFrom("audit_log").select(["actor_id", "subject_id"]).where("action", "=", "mail.retried").execute();
    expect(audit).toEqual([{ actor_id: organizer, subject_id: failed.id }]);
    expect([...errors, ...org.errors]).toEqual([]);
    await org.context.close();
  });
});
