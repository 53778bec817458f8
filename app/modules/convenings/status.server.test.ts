import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { person } from "../../../tests/factories";
import { addSiteOrganizer } from "../auth/roles.server";
import { isWindowOpen } from "../registration/states";
import { getPublicConvening, listPublicConvenings } from "./convenings.server";
import { startConvening } from "./start.server";
import { changeConveningStatus, isReadOnly, possibleChanges } from "./status.server";

const DURING = new Date("2027-06-02T10:00:00Z");
const AFTER = new Date("2027-06-04T10:00:00Z");

describe.each(DATABASE_KINDS)("a convening's life on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => t.drop());

  async function status(id: number) {
    return (await t.db.selectFrom("convenings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
  }

  it("starts a new and a copied convening as drafts with no registration window, unlisted and without a public page", async () => {
    const { personId: organizer } = await addSiteOrganizer(t.db, (await person(t.db, { name: "Organizer" })).email);
    const first = await startConvening(
      t.db,
      {
        slug: `life-a-${kind}`,
        title: "Year one",
        startsOn: "2027-06-01",
        endsOn: "2027-06-03",
        timeZone: "Europe/Lisbon",
      },
      organizer
    );
    const copy = await startConvening(
      t.db,
      {
        slug: `life-b-${kind}`,
        title: "Year two",
        startsOn: "2028-06-01",
        endsOn: "2028-06-03",
        timeZone: "Europe/Lisbon",
        copyFrom: first,
      },
      organizer
    );
    for (const id of [first, copy]) {
      const row = await t.db.selectFrom("convenings").select(["status", "registration_opens_at", "registration_closes_at"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toEqual({
        status: "draft",
        registration_opens_at: null,
        registration_closes_at: null,
      });
    }
    expect(await getPublicConvening(t.db, `life-a-${kind}`)).toBeUndefined();
    expect((await listPublicConvenings(t.db)).map((c) => c.slug)).toEqual([]);
  });

  it("publishes, refuses to close before the end, closes after it, reopens, and audits each change", async () => {
    const organizer = (await person(t.db, { name: "Organizer two" })).id;
    const id = await startConvening(
      t.db,
      {
        slug: `life-c-${kind}`,
        title: "Year three",
        startsOn: "2027-06-01",
        endsOn: "2027-06-03",
        timeZone: "Europe/Lisbon",
      },
      organizer
    );
    const row = () => t.db.selectFrom("convenings").select(["status", "ends_on", "time_zone"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(possibleChanges(await row(), DURING)).toEqual(["publish"]);
    await expect(
      changeConveningStatus(t.db, {
        conveningId: id,
        change: "close",
        organizerId: organizer,
        now: AFTER,
      })
    ).rejects.toMatchObject({ code: "status_changed", status: 409 });

    expect(
      await changeConveningStatus(t.db, {
        conveningId: id,
        change: "publish",
        organizerId: organizer,
        now: DURING,
      })
    ).toBe("published");
    expect((await getPublicConvening(t.db, `life-c-${kind}`))?.title).toBe("Year three");
    // Published, but registration stays closed until its window is set.
    expect(
      isWindowOpen(
        {
          status: "published",
          registration_opens_at: null,
          registration_closes_at: null,
        },
        DURING
      )
    ).toBe(false);
    expect(
      isWindowOpen(
        {
          status: "published",
          registration_opens_at: "2027-01-01T00:00:00.000Z",
          registration_closes_at: null,
        },
        DURING
      )
    ).toBe(true);
    expect(
      isWindowOpen(
        {
          status: "draft",
          registration_opens_at: "2027-01-01T00:00:00.000Z",
          registration_closes_at: null,
        },
        DURING
      )
    ).toBe(false);
    expect(
      isWindowOpen(
        {
          status: "archived",
          registration_opens_at: "2027-01-01T00:00:00.000Z",
          registration_closes_at: null,
        },
        DURING
      )
    ).toBe(false);

    expect(possibleChanges(await row(), DURING)).toEqual([]);
    await expect(
      changeConveningStatus(t.db, {
        conveningId: id,
        change: "close",
        organizerId: organizer,
        now: DURING,
      })
    ).rejects.toMatchObject({ code: "not_over", status: 409 });
    await expect(
      changeConveningStatus(t.db, {
        conveningId: id,
        change: "publish",
        organizerId: organizer,
        now: DURING,
      })
    ).rejects.toMatchObject({ code: "status_changed", status: 409 });
    expect(possibleChanges(await row(), AFTER)).toEqual(["close"]);
    expect(
      await changeConveningStatus(t.db, {
        conveningId: id,
        change: "close",
        organizerId: organizer,
        now: AFTER,
      })
    ).toBe("archived");
    expect(isReadOnly({ status: await status(id) })).toBe(true);
    // A closed convening keeps its public page.
    expect((await getPublicConvening(t.db, `life-c-${kind}`))?.status).toBe("archived");
    expect(possibleChanges(await row(), AFTER)).toEqual(["reopen"]);
    expect(
      await changeConveningStatus(t.db, {
        conveningId: id,
        change: "reopen",
        organizerId: organizer,
        now: AFTER,
      })
    ).toBe("published");
    await expect(
      changeConveningStatus(t.db, {
        conveningId: 999_999,
        change: "publish",
        organizerId: organizer,
      })
    ).rejects.toMatchObject({ code: "not_found", status: 404 });

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "details"])
      .where("subject_id", "=", id)
      .where("action", "like", "convening.%")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.actor_id, a.details])).toEqual([
      ["convening.created", organizer, "{}"],
      ["convening.published", organizer, JSON.stringify({ from: "draft", to: "published" })],
      ["convening.closed", organizer, JSON.stringify({ from: "published", to: "archived" })],
      ["convening.reopened", organizer, JSON.stringify({ from: "archived", to: "published" })],
    ]);
  });
});
