// A tour of the demo as its people would take it: every page loads, is accessible, and logs no error.
import { describe, expect, it } from "vitest";
import { useDemoApp } from "../setup/demo";
import { expectAccessible, openPage, visible } from "../setup/browser";
import { signInAs } from "../setup/flows";

describe("the demo", () => {
  const demo = useDemoApp();

  // Every page checked with axe: about 30 s alone, more while other files run beside it.
  it("lets the organizer walk through every organizer page, including last year's commitments", { timeout: 120_000 }, async () => {
    const organizer = (await demo.db.selectFrom("people").select("id").where("email", "=", "organizer@example.org").executeTakeFirstOrThrow()).id;
    const { page, context, errors } = await openPage(demo.browser);
    await signInAs(context, demo.db, demo.app.url, organizer);
    for (const [path, heading] of [
      ["/organize", "Organizer tools"],
      [`/organize/${demo.slug}/registrations`, "Registrations: Annual Strategy Meeting"],
      [`/organize/${demo.slug}/proposals`, "Proposals: Annual Strategy Meeting"],
      [`/organize/${demo.slug}/agenda`, "Agenda: Annual Strategy Meeting"],
      [`/organize/${demo.slug}/actions`, "Action items: Annual Strategy Meeting"],
      [`/organize/${demo.slug}/actions/report`, "Where are we on last year's commitments?"],
      ["/organize/mail", "Mail outbox"],
      ["/organize/audit?action=convening.created", "Audit log"],
    ] as const) {
      const response = await page.goto(`${demo.app.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await visible(page.getByRole("heading", { level: 1, name: heading }));
      await expectAccessible(page);
    }
    // The audit log speaks in sentences, naming the convening.
    await visible(page.getByRole("cell", { name: /^Created the convening / }).first());
    await page.goto(`${demo.app.url}/organize/${demo.slug}/actions/report`);
    await visible(page.getByRole("heading", { name: "Campaign toolkit on decriminalisation" }));
    await visible(page.getByText(/3 commitments\. 1 done, 0 in progress, 2 open, 0 dropped\./));

    // Next year's convening, set up like this year's.
    await page.goto(`${demo.app.url}/organize/convenings/new`);
    await expectAccessible(page);
    await page.getByLabel("Title").fill("Annual Strategy Meeting, next year");
    await page.getByLabel("Short name for addresses").fill("next-year");
    await page.getByLabel("First day").fill("2030-06-10");
    await page.getByLabel("Last day").fill("2030-06-12");
    await page.getByRole("button", { name: "Create convening" }).click();
    // A new convening is a draft: its overview offers to publish it.
    await page.waitForURL((url) => url.pathname === "/organize/next-year" && url.searchParams.has("created"));
    await visible(page.getByRole("heading", { level: 2, name: "Status: Draft" }));
    await expectAccessible(page);
    await page.getByRole("link", { name: "Agenda" }).click();
    await page.waitForURL((url) => url.pathname === "/organize/next-year/agenda");
    await visible(page.getByRole("heading", { name: "Agenda: Annual Strategy Meeting, next year" }));
    const next = await demo.db.selectFrom("convenings").select("id").where("slug", "=", "next-year").executeTakeFirstOrThrow();
    expect((await demo.db.selectFrom("rooms").select("name").where("convening_id", "=", next.id).orderBy("position").execute()).map((r) => r.name)).toEqual(["Main hall", "Room A", "Room B", "Room C", "Garden room"]);
    expect(await demo.db.selectFrom("slots").select("id").where("convening_id", "=", next.id).execute()).toHaveLength(11);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets a participant walk through the convening, sessions, agenda, their agenda and their action items", { timeout: 120_000 }, async () => {
    const person = (await demo.db.selectFrom("people").select("id").where("email", "=", "participant3@example.org").executeTakeFirstOrThrow()).id;
    const { page, context, errors } = await openPage(demo.browser);
    await signInAs(context, demo.db, demo.app.url, person);
    for (const path of ["/account/data", "/", `/convenings/${demo.slug}`, `/convenings/${demo.slug}/register`, `/convenings/${demo.slug}/participants`, `/convenings/${demo.slug}/sessions`, `/convenings/${demo.slug}/agenda`, `/convenings/${demo.slug}/my-agenda`, `/convenings/${demo.slug}/proposals`, "/actions", "/account"]) {
      const response = await page.goto(`${demo.app.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectAccessible(page);
    }
    // Their own data, and only theirs.
    const download = await page.request.get(`${demo.app.url}/account/data.json`);
    expect(download.headers()["content-disposition"]).toBe('attachment; filename="my-convene-data.json"');
    const mine = (await download.json()) as { profile: { email: string }; registrations: unknown[]; interestMarks: unknown[] };
    expect(mine.profile.email).toBe("participant3@example.org");
    expect(mine.registrations).toHaveLength(1);
    expect(mine.interestMarks.length).toBeGreaterThan(3);
    expect(JSON.stringify(mine).match(/participant\d+@example\.org/g)).toEqual(["participant3@example.org"]);
    // The audit log and the outbox are for site-wide organizers only.
    for (const path of ["/organize/audit", "/organize/mail"]) expect((await page.goto(`${demo.app.url}${path}`))?.status(), path).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });
});
