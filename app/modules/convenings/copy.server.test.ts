import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { addFixedItem, addRoom, addSlot } from "../agenda/setup.server";
import { addCriterion, updateCfpSettings } from "../proposals/settings.server";
import { findOrCreatePerson } from "../people/people.server";
import { createConvening } from "./convenings.server";
import { copySetup } from "./copy.server";

describe.each(DATABASE_KINDS)("copying a convening's setup on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("copies tracks, rooms, the slot pattern at the same local times, fixed items, the call's offer, criteria and capacity", async () => {
    const org = (await findOrCreatePerson(t.db, `org-${kind}@example.org`)).id;
    const from = await createConvening(t.db, { slug: `y1-${kind}`, title: "Year one", startsOn: "2027-03-26", endsOn: "2027-03-27", timeZone: "Europe/Lisbon", status: "published" });
    await t.db.updateTable("tracks").set({ name: "Sex work and labour" }).where("convening_id", "=", from).where("slug", "=", "sex-work").execute();
    await t.db.updateTable("convenings").set({ capacity_in_person: 80, approval_required: 1 }).where("id", "=", from).execute();
    await updateCfpSettings(t.db, { conveningId: from, organizerId: org, opensAt: null, closesAt: null, formats: ["workshop", "caucus"], lengths: [45, 90], reviewAnonymous: true, interestOpen: false });
    await addCriterion(t.db, { conveningId: from, organizerId: org, name: "Lived experience", description: null, weight: 3 });
    const hall = await addRoom(t.db, { conveningId: from, organizerId: org, name: "Hall", capacity: 100, features: ["step_free"] });
    await addSlot(t.db, { conveningId: from, organizerId: org, date: "2027-03-26", time: "09:30", minutes: 90 });
    const lunch = await addSlot(t.db, { conveningId: from, organizerId: org, date: "2027-03-27", time: "13:00", minutes: 60 });
    await addFixedItem(t.db, { conveningId: from, organizerId: org, slotId: lunch, roomId: hall, title: "Lunch", kind: "meal" });

    // Next year starts on a date after the clock change: 09:30 local must stay 09:30 local.
    const to = await createConvening(t.db, { slug: `y2-${kind}`, title: "Year two", startsOn: "2028-04-06", endsOn: "2028-04-07", timeZone: "Europe/Lisbon", status: "published" });
    await copySetup(t.db, { fromId: from, toId: to, organizerId: org });

    const tracks = await t.db.selectFrom("tracks").select("name").where("convening_id", "=", to).orderBy("position").execute();
    expect(tracks.map((tr) => tr.name)).toEqual(["Sex work and labour", "Trafficking", "HIV/AIDS", "LGBTQ rights", "Migrant and labor rights", "Reproductive rights and health"]);
    const convening = await t.db.selectFrom("convenings").select(["cfp_formats", "cfp_lengths", "review_anonymous", "capacity_in_person", "approval_required", "cfp_opens_at"]).where("id", "=", to).executeTakeFirstOrThrow();
    expect(convening).toEqual({ cfp_formats: '["workshop","caucus"]', cfp_lengths: "[45,90]", review_anonymous: 1, capacity_in_person: 80, approval_required: 1, cfp_opens_at: null });
    expect(await t.db.selectFrom("review_criteria").select(["name", "weight"]).where("convening_id", "=", to).execute()).toEqual([{ name: "Lived experience", weight: 3 }]);
    expect(await t.db.selectFrom("rooms").select(["name", "capacity", "features"]).where("convening_id", "=", to).execute()).toEqual([{ name: "Hall", capacity: 100, features: '["step_free"]' }]);
    // 26 March 2027 09:30 is WET (08:30 local = 09:30Z); 6 April 2028 09:30 is WEST (08:30Z).
    const slots = await t.db.selectFrom("slots").select(["starts_at", "minutes"]).where("convening_id", "=", to).orderBy("starts_at").execute();
    expect(slots).toEqual([
      { starts_at: "2028-04-06T08:30:00.000Z", minutes: 90 },
      { starts_at: "2028-04-07T12:00:00.000Z", minutes: 60 },
    ]);
    const fixed = await t.db.selectFrom("fixed_items").innerJoin("rooms", "rooms.id", "fixed_items.room_id").select(["fixed_items.title", "rooms.name"]).where("fixed_items.convening_id", "=", to).execute();
    expect(fixed).toEqual([{ title: "Lunch", name: "Hall" }]);
  });
});
