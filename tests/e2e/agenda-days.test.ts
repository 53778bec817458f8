// A conference-sized public agenda is shown one day at a time, with links between the days.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishAgenda } from "../../app/modules/agenda/publish.server";
import { addFixedItem, addRoom, addSlot } from "../../app/modules/agenda/setup.server";
import { createConvening } from "../../app/modules/convenings/convenings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible } from "../setup/browser";
import { makePerson } from "../setup/flows";

describe("a large public agenda", () => {
  let app: RunningApp;
  let db: DB;

  beforeAll(async () => {
    app = await startApp();
    db = openDatabase(app.databaseUrl);
    const conveningId = await createConvening(db, { slug: "big", title: "Big Conference", startsOn: "2027-07-20", endsOn: "2027-07-21", timeZone: "Europe/Lisbon", status: "published" });
    const organizerId = await makePerson(db, "organizer@example.org", "Organizing team");
    // 2 days × 8 slots × 10 rooms = 160 items: over the 150 shown on one page.
    const rooms = [];
    for (let r = 1; r <= 10; r++) rooms.push(await addRoom(db, { conveningId, organizerId, name: `Room ${r}`, capacity: 50, features: [] }));
    for (const date of ["2027-07-20", "2027-07-21"]) {
      for (let h = 9; h < 17; h++) {
        const slotId = await addSlot(db, { conveningId, organizerId, date, time: `${String(h).padStart(2, "0")}:00`, minutes: 60 });
        for (const [i, roomId] of rooms.entries()) await addFixedItem(db, { conveningId, organizerId, slotId, roomId, title: `Item ${date} ${h}h R${i + 1}`, kind: "other" });
      }
    }
    await publishAgenda(db, { conveningId, organizerId, note: "" });
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  it("shows the first day, links to each day, and the other day on its own page", async () => {
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser);
      await page.goto(`${app.url}/convenings/big/agenda`);
      const days = page.getByRole("navigation", { name: "Days of the agenda" });
      await expect.poll(() => days.getByRole("link").allTextContents(), SETTLED).toEqual(["Tuesday 20 July", "Wednesday 21 July"]);
      await expect.poll(() => days.getByRole("link", { name: "Tuesday 20 July" }).getAttribute("aria-current"), SETTLED).toBe("page");
      await expect.poll(() => page.getByRole("heading", { level: 2 }).allTextContents(), SETTLED).toEqual(["Tuesday 20 July"]);
      await expect.poll(() => page.locator(".agenda-item").count(), SETTLED).toBe(80);
      await expectAccessible(page);
      await days.getByRole("link", { name: "Wednesday 21 July" }).click();
      await visible(page.getByRole("heading", { level: 2, name: "Wednesday 21 July" }));
      expect(new URL(page.url()).search).toBe("?day=2027-07-21");
      await expect.poll(() => page.locator(".agenda-item").count(), SETTLED).toBe(80);
      await visible(page.getByRole("heading", { level: 3, name: "Item 2027-07-21 16h R10" }));
      // An unknown day falls back to the first.
      await page.goto(`${app.url}/convenings/big/agenda?day=2030-01-01`);
      await expect.poll(() => page.getByRole("heading", { level: 2 }).allTextContents(), SETTLED).toEqual(["Tuesday 20 July"]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
