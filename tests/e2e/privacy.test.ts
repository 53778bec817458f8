// A person's own data and choices, in the browser: facilitating under a label, downloading one's
// data, deleting one's account (with confirmation), unsubscribing from a mail's link; and the
// organizers' retention date.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { fileTransport } from "../../app/platform/mail/transport.server";
import { serverJobsDone, useDemoApp } from "../setup/demo";
import { expectAccessible, openPage, SETTLED, visible } from "../setup/browser";
import { signInAs } from "../setup/flows";

const LABEL = "a facilitator from the migrant workers' caucus";

// Each test changes the demo convening (deletes an account, unsubscribes, sets the retention
// date), so each has a demo server of its own.
describe("privacy in the browser: a facilitator's label, data and account", () => {
  const demo = useDemoApp();


  it("lets a facilitator appear under a label, download their data, and delete their account for good", { timeout: 90_000 }, async () => {
    const db = demo.db;
    const convening = await db.selectFrom("convenings").select("id").where("slug", "=", demo.slug).executeTakeFirstOrThrow();
    // A registered facilitator of a session on the published agenda.
    const row = await db
      .selectFrom("facilitators")
      .innerJoin("placements", "placements.proposal_id", "facilitators.proposal_id")
      .innerJoin("registrations", (join) => join.onRef("registrations.person_id", "=", "facilitators.person_id").on("registrations.convening_id", "=", convening.id))
      .innerJoin("people", "people.id", "facilitators.person_id")
      .select(["people.id", "people.email", "people.public_name", "facilitators.proposal_id"])
      .where("facilitators.status", "=", "accepted")
      .where("registrations.status", "=", "confirmed")
      .where("people.email", "!=", "organizer@example.org")
      .orderBy("people.id")
      .executeTakeFirstOrThrow();
    const name = row.public_name!;
    const sessionUrl = `${demo.app.url}/convenings/${demo.slug}/sessions/${row.proposal_id}`;
    const { page, context, errors } = await openPage(demo.browser);
    await signInAs(context, db, demo.app.url, row.id);

    await page.goto(sessionUrl);
    await visible(page.getByText(name, { exact: false }).first());

    // Facilitating anonymously at this convening.
    await page.goto(`${demo.app.url}/convenings/${demo.slug}/proposals`);
    await visible(page.getByRole("heading", { name: "How you appear as a facilitator" }));
    await expectAccessible(page);
    await page.getByLabel("Label shown instead of your name").fill(LABEL);
    await page.getByRole("button", { name: "Save how I appear" }).click();
    await visible(page.getByRole("status").filter({ hasText: "Saved: how you appear as a facilitator at this convening." }));
    await expect.poll(() => page.getByLabel("Label shown instead of your name").inputValue(), SETTLED).toBe(LABEL);
    const anonymousVisitor = async (url: string) => (await (await fetch(url)).text()).replace(/\r\n /g, "");
    const labelled = await anonymousVisitor(sessionUrl);
    expect(labelled).toContain(LABEL.replace("'", "&#x27;"));
    expect(labelled).not.toContain(name);
    expect(await anonymousVisitor(`${demo.app.url}/convenings/${demo.slug}/agenda.ics`)).toContain(`Facilitators: ${LABEL}`);

    // Downloading everything held about oneself.
    await page.goto(`${demo.app.url}/account/data`);
    await expectAccessible(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data (JSON)" }).click()]);
    expect(download.suggestedFilename()).toBe("my-convene-data.json");
    const mine = JSON.parse(await readFile((await download.path())!, "utf8")) as { profile: { email: string; publicName: string }; registrations: unknown[] };
    expect(mine.profile.email).toBe(row.email);
    expect(mine.registrations).toHaveLength(1);

    // Deleting: refused without the confirmation, with the reason beside the box.
    await page.getByRole("button", { name: "Delete my account" }).click();
    const confirm = page.getByLabel("I understand that my account and personal data will be erased and that this cannot be undone");
    await visible(page.getByText("Tick the box to confirm that you want to delete your account."));
    await expect.poll(() => confirm.getAttribute("aria-invalid"), SETTLED).toBe("true");
    await expectAccessible(page);
    expect((await db.selectFrom("people").select("deleted_at").where("id", "=", row.id).executeTakeFirstOrThrow()).deleted_at).toBeNull();
    await confirm.check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await visible(page.getByRole("heading", { level: 1, name: "Your account has been deleted" }));
    await expectAccessible(page);

    // Signed out, erased, and the session still on the agenda with "a facilitator".
    const account = await page.goto(`${demo.app.url}/account`);
    expect(new URL(account!.url()).pathname).toBe("/login");
    const erased = await db.selectFrom("people").select(["email", "public_name", "full_name", "deleted_at"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect([erased.email, erased.public_name, erased.full_name, erased.deleted_at !== null]).toEqual([`deleted-${row.id}@erased.invalid`, null, null, true]);
    const after = await anonymousVisitor(sessionUrl);
    expect(after).toContain("a facilitator");
    expect(after).not.toContain(LABEL.replace("'", "&#x27;"));
    expect(after).not.toContain(name);
    const feed = await anonymousVisitor(`${demo.app.url}/convenings/${demo.slug}/agenda.ics`);
    expect(feed).not.toContain(LABEL);
    expect(feed).not.toContain(row.email);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("privacy in the browser: unsubscribing", () => {
  const demo = useDemoApp();

  it("stops reminders from the link in the mail at once, in the browser and by one-click POST", { timeout: 60_000 }, async () => {
    const db = demo.db;
    // The reminder mails the server queued for overdue demo items, as sent.
    const folder = path.join(demo.app.dataDir, "mail");
    await serverJobsDone(db);
    await deliverDueMail(db, fileTransport(folder), { from: "Convene <convene@example.org>", batch: 10_000 });
    const sent = await Promise.all((await readdir(folder)).filter((f) => f.endsWith(".eml")).map(async (f) => simpleParser(await readFile(path.join(folder, f)))));
    const reminder = sent.find((m) => /^Overdue: /.test(m.subject ?? ""))!;
    expect(reminder).toBeDefined();
    const link = /<([^>]+)>/.exec(reminder.headerLines.find((h) => h.key === "list-unsubscribe")!.line)![1]!;
    expect(reminder.headerLines.find((h) => h.key === "list-unsubscribe-post")!.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(reminder.text).toContain(`Stop these mails: ${link}`);
    const personId = Number(/\/unsubscribe\/(\d+)-reminders-/.exec(link)![1]);
    const remindersOff = async () => (await db.selectFrom("people").select("reminders_off").where("id", "=", personId).executeTakeFirstOrThrow()).reminders_off;
    expect(await remindersOff()).toBe(0);

    // Without signing in.
    const { page, context, errors } = await openPage(demo.browser);
    await page.goto(link);
    await visible(page.getByRole("heading", { level: 1, name: "Mail preferences" }));
    await visible(page.getByText("You currently receive reminders before your action items are due."));
    await expectAccessible(page);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await visible(page.getByText("Done: you will no longer receive reminders before your action items are due."));
    expect(await remindersOff()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Subscribe again" }).click();
    await visible(page.getByText("Done: you will receive reminders before your action items are due again."));
    expect(await remindersOff()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();

    // A mail client's one-click unsubscribe (RFC 8058).
    const oneClick = await fetch(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect(await remindersOff()).toBe(1);
    // A forged link changes nothing.
    const forged = link.replace(/-([0-9a-f]{32})$/, (_m, sig: string) => `-${sig.startsWith("0") ? "1" : "0"}${sig.slice(1)}`);
    expect((await fetch(forged, { method: "POST", body: "" })).status).toBe(404);
    expect((await fetch(forged)).status).toBe(404);
  });
});

describe("privacy in the browser: the retention date", () => {
  const demo = useDemoApp();

  it("lets organizers set the retention date, refusing one before the convening ends", { timeout: 60_000 }, async () => {
    const db = demo.db;
    const organizer = (await db.selectFrom("people").select("id").where("email", "=", "organizer@example.org").executeTakeFirstOrThrow()).id;
    const convening = await db.selectFrom("convenings").select(["id", "ends_on"]).where("slug", "=", demo.slug).executeTakeFirstOrThrow();
    const { page, context, errors } = await openPage(demo.browser);
    await signInAs(context, db, demo.app.url, organizer);
    await page.goto(`${demo.app.url}/organize/${demo.slug}/registrations`);
    await visible(page.getByText(/will be erased after/));
    await page.getByText("Registration settings").click();
    await page.getByLabel("Erase sensitive answers after").fill(convening.ends_on);
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText("Choose a date after the convening ends."));
    await expect.poll(() => page.getByLabel("Erase sensitive answers after").getAttribute("aria-invalid"), SETTLED).toBe("true");
    await expectAccessible(page);
    expect((await db.selectFrom("convenings").select("retention_on").where("id", "=", convening.id).executeTakeFirstOrThrow()).retention_on).toBeNull();
    const later = new Date(Date.parse(`${convening.ends_on}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Erase sensitive answers after").fill(later);
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText("Settings saved."));
    expect((await db.selectFrom("convenings").select("retention_on").where("id", "=", convening.id).executeTakeFirstOrThrow()).retention_on).toBe(later);
    expect(errors).toEqual([]);
    await context.close();
  });
});
