// Next year's convening starts from this year's setup: tracks, rooms, the slot pattern (same
// local times on the same day of the meeting), fixed items, call formats and lengths, review
// criteria, capacity and approval. Dates and windows are the new convening's own.
import { DateTime } from "luxon";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";

export async function copySetup(db: Executor, input: { fromId: number; toId: number; organizerId: number; now?: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const from = await trx.selectFrom("convenings").selectAll().where("id", "=", input.fromId).executeTakeFirstOrThrow();
    const to = await trx.selectFrom("convenings").selectAll().where("id", "=", input.toId).executeTakeFirstOrThrow();
    await trx
      .updateTable("convenings")
      .set({ cfp_formats: from.cfp_formats, cfp_lengths: from.cfp_lengths, review_anonymous: from.review_anonymous, capacity_in_person: from.capacity_in_person, approval_required: from.approval_required })
      .where("id", "=", to.id)
      .execute();

    await trx.deleteFrom("tracks").where("convening_id", "=", to.id).execute();
    const tracks = await trx.selectFrom("tracks").select(["slug", "name", "description", "color", "position"]).where("convening_id", "=", from.id).orderBy("position").execute();
    if (tracks.length) await trx.insertInto("tracks").values(tracks.map((tr) => ({ ...tr, convening_id: to.id }))).execute();

    const criteria = await trx.selectFrom("review_criteria").select(["name", "description", "weight", "position"]).where("convening_id", "=", from.id).execute();
    if (criteria.length) await trx.insertInto("review_criteria").values(criteria.map((c) => ({ ...c, convening_id: to.id }))).execute();

    // The organizers' own registration questions, without the retired ones; options keep their ids.
    await trx.deleteFrom("registration_questions").where("convening_id", "=", to.id).execute();
    const questions = await trx
      .selectFrom("registration_questions")
      .select(["kind", "label", "help", "required", "sensitive", "options", "position"])
      .where("convening_id", "=", from.id)
      .where("retired_at", "is", null)
      .orderBy("position")
      .execute();
    const at = (input.now ?? new Date()).toISOString();
    if (questions.length) await trx.insertInto("registration_questions").values(questions.map((q) => ({ ...q, convening_id: to.id, created_at: at, updated_at: at }))).execute();

    const roomIds = new Map<number, number>();
    for (const room of await trx.selectFrom("rooms").selectAll().where("convening_id", "=", from.id).orderBy("position").execute()) {
      const { id } = await trx.insertInto("rooms").values({ convening_id: to.id, name: room.name, capacity: room.capacity, features: room.features, position: room.position }).returning("id").executeTakeFirstOrThrow();
      roomIds.set(room.id, id);
    }

    // A slot keeps its day of the meeting and its local time; days beyond the new dates are left out.
    const slotIds = new Map<number, number>();
    const fromStart = DateTime.fromISO(from.starts_on, { zone: from.time_zone });
    const toStart = DateTime.fromISO(to.starts_on, { zone: to.time_zone });
    const lastDay = DateTime.fromISO(to.ends_on, { zone: to.time_zone });
    for (const slot of await trx.selectFrom("slots").selectAll().where("convening_id", "=", from.id).orderBy("starts_at").execute()) {
      const local = DateTime.fromISO(slot.starts_at, { zone: "utc" }).setZone(from.time_zone);
      const day = Math.round(local.startOf("day").diff(fromStart.startOf("day"), "days").days);
      const target = toStart.plus({ days: day }).set({ hour: local.hour, minute: local.minute });
      if (target.startOf("day") > lastDay.startOf("day")) continue;
      const { id } = await trx.insertInto("slots").values({ convening_id: to.id, starts_at: target.toUTC().toISO()!, minutes: slot.minutes }).returning("id").executeTakeFirstOrThrow();
      slotIds.set(slot.id, id);
    }
    for (const item of await trx.selectFrom("fixed_items").selectAll().where("convening_id", "=", from.id).execute()) {
      const slot = slotIds.get(item.slot_id);
      if (slot === undefined) continue;
      await trx.insertInto("fixed_items").values({ convening_id: to.id, slot_id: slot, room_id: item.room_id === null ? null : (roomIds.get(item.room_id) ?? null), title: item.title, kind: item.kind }).execute();
    }
    await writeAudit(trx, { actorId: input.organizerId, action: "convening.setup_copied", subjectType: "convening", subjectId: to.id, conveningId: to.id, details: { from: from.id }, now: input.now });
  });
}
