// The frame of the agenda: rooms with their capacity and features, time slots, fixed items,
// and the slots facilitators cannot make.
import { DateTime } from "luxon";
import type { RoomFeature } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { AgendaError } from "./errors";
import { discardSuggestions } from "./placements.server";

export async function listRooms(db: Executor, conveningId: number) {
  const rows = await db.selectFrom("rooms").select(["id", "name", "capacity", "features", "position"]).where("convening_id", "=", conveningId).orderBy("position").orderBy("id").execute();
  return rows.map((r) => ({ ...r, features: JSON.parse(r.features) as RoomFeature[] }));
}

export async function listSlots(db: Executor, conveningId: number) {
  return db.selectFrom("slots").select(["id", "starts_at", "minutes"]).where("convening_id", "=", conveningId).orderBy("starts_at").execute();
}

export async function listFixedItems(db: Executor, conveningId: number) {
  return db.selectFrom("fixed_items").select(["id", "slot_id", "room_id", "title", "kind"]).where("convening_id", "=", conveningId).orderBy("slot_id").orderBy("id").execute();
}

export async function addRoom(db: Executor, input: { conveningId: number; organizerId: number; name: string; capacity: number; features: RoomFeature[] }): Promise<number> {
  return inTransaction(db, async (trx) => {
    const last = await trx.selectFrom("rooms").select((eb) => eb.fn.max<number>("position").as("p")).where("convening_id", "=", input.conveningId).executeTakeFirst();
    const { id } = await trx
      .insertInto("rooms")
      .values({ convening_id: input.conveningId, name: input.name, capacity: input.capacity, features: JSON.stringify([...new Set(input.features)]), position: Number(last?.p ?? -1) + 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.room_added", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { roomId: id } });
    return id;
  });
}

/**
 * Adds a slot given as a local date and time in the convening's zone. Slots may not overlap:
 * two sessions at the same time are two rooms of one slot.
 */
export async function addSlot(db: Executor, input: { conveningId: number; organizerId: number; date: string; time: string; minutes: number }): Promise<number> {
  return inTransaction(db, async (trx) => {
    const convening = await trx.selectFrom("convenings").select(["time_zone", "starts_on", "ends_on"]).where("id", "=", input.conveningId).executeTakeFirst();
    if (!convening) throw new AgendaError("not_found", 404);
    if (input.date < convening.starts_on || input.date > convening.ends_on) throw new AgendaError("outside_dates", 400);
    const start = DateTime.fromISO(`${input.date}T${input.time}`, { zone: convening.time_zone });
    if (!start.isValid) throw new AgendaError("outside_dates", 400);
    const from = start.toUTC().toISO()!;
    const to = start.plus({ minutes: input.minutes }).toUTC().toISO()!;
    const slots = await listSlots(trx, input.conveningId);
    const clash = slots.find((s) => s.starts_at < to && new Date(Date.parse(s.starts_at) + s.minutes * 60_000).toISOString() > from);
    if (clash) throw new AgendaError("slot_overlaps", 409);
    const { id } = await trx.insertInto("slots").values({ convening_id: input.conveningId, starts_at: from, minutes: input.minutes }).returning("id").executeTakeFirstOrThrow();
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.slot_added", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { slotId: id } });
    return id;
  });
}

export async function addFixedItem(
  db: Executor,
  input: { conveningId: number; organizerId: number; slotId: number; roomId: number | null; title: string; kind: "plenary" | "break" | "meal" | "other" },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const slot = await trx.selectFrom("slots").select("id").where("id", "=", input.slotId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!slot) throw new AgendaError("unknown_slot", 400);
    if (input.roomId !== null) {
      const room = await trx.selectFrom("rooms").select("id").where("id", "=", input.roomId).where("convening_id", "=", input.conveningId).executeTakeFirst();
      if (!room) throw new AgendaError("unknown_room", 400);
    }
    const { id } = await trx
      .insertInto("fixed_items")
      .values({ convening_id: input.conveningId, slot_id: input.slotId, room_id: input.roomId, title: input.title, kind: input.kind })
      .returning("id")
      .executeTakeFirstOrThrow();
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.fixed_item_added", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { fixedItemId: id } });
    return id;
  });
}

/** Removes a room, slot or fixed item of the convening (placements in it become unplaced). */
export async function removeSetupItem(db: Executor, input: { conveningId: number; organizerId: number; kind: "room" | "slot" | "fixed"; id: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const table = input.kind === "room" ? "rooms" : input.kind === "slot" ? "slots" : "fixed_items";
    const result = await trx.deleteFrom(table).where("id", "=", input.id).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw new AgendaError("not_found", 404);
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: `agenda.${input.kind}_removed`, subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { id: input.id } });
  });
}

/** A facilitator says which slots they cannot make (replacing what they said before). */
export async function setUnavailability(db: Executor, input: { conveningId: number; personId: number; slotIds: number[] }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const slots = input.slotIds.length
      ? await trx.selectFrom("slots").select("id").where("convening_id", "=", input.conveningId).where("id", "in", input.slotIds).execute()
      : [];
    if (slots.length !== new Set(input.slotIds).size) throw new AgendaError("unknown_slot", 400);
    const all = (await listSlots(trx, input.conveningId)).map((s) => s.id);
    if (all.length) await trx.deleteFrom("unavailability").where("person_id", "=", input.personId).where("slot_id", "in", all).execute();
    if (slots.length) await trx.insertInto("unavailability").values(slots.map((s) => ({ person_id: input.personId, slot_id: s.id }))).execute();
  });
}

export async function unavailableSlots(db: Executor, conveningId: number, personId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("unavailability")
    .innerJoin("slots", "slots.id", "unavailability.slot_id")
    .select("unavailability.slot_id")
    .where("slots.convening_id", "=", conveningId)
    .where("unavailability.person_id", "=", personId)
    .execute();
  return rows.map((r) => r.slot_id);
}
