// The working copy of the agenda: manual placements, the instance the scheduler and the
// conflict checks see. Suggestions from the scheduler are jobs: suggestions.server.ts.
import type { Chosen } from "../proposals/states";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { withLists } from "../../lib/json-lists";
import { ACCEPTED_STATUSES } from "../proposals/states";
import { evaluate, fixedItemConflicts, type Evaluation, type HardConflict } from "./conflicts";
import { AgendaError } from "./errors";
import type { Instance, Placement } from "./instance";
import { latestVersion } from "./published.server";

/** Ids in instances: sessions are proposal ids, fixed items that hold one room are "fixed-<id>". */
const fixedId = (id: number) => `fixed-${id}`;

/** The accepted sessions an organizer may place, by title. */
export async function placeableSessions(db: Executor, conveningId: number) {
  const rows = await db.selectFrom("proposals").select(["id", "title", "primary_track_id", "length_minutes", "needs", "status"]).$narrowType<Chosen>().where("convening_id", "=", conveningId).where("status", "in", [...ACCEPTED_STATUSES]).orderBy("title").execute();
  return rows.map((row) => withLists(row, ["needs"]));
}

export async function listPlacements(db: Executor, conveningId: number) {
  return db.selectFrom("placements").select(["proposal_id", "slot_id", "room_id", "pinned"]).where("convening_id", "=", conveningId).execute();
}

/**
 * The scheduler's view of a convening: accepted sessions, rooms, the slots sessions may use
 * (a break or meal for the whole venue takes its slot out), facilitators' unavailable slots,
 * participants by constituency, and their interest marks.
 */
export async function buildInstance(db: Executor, conveningId: number): Promise<Instance> {
  const [slots, rooms, fixed, sessions, placements] = await Promise.all([
    db.selectFrom("slots").select(["id", "starts_at", "minutes"]).where("convening_id", "=", conveningId).orderBy("starts_at").execute(),
    db.selectFrom("rooms").select(["id", "capacity", "features"]).where("convening_id", "=", conveningId).orderBy("position").orderBy("id").execute(),
    db.selectFrom("fixed_items").select(["id", "slot_id", "room_id"]).where("convening_id", "=", conveningId).execute(),
    db.selectFrom("proposals").select(["id", "primary_track_id", "length_minutes", "needs", "format", "alone_in_slot"]).$narrowType<Chosen>().where("convening_id", "=", conveningId).where("status", "in", [...ACCEPTED_STATUSES]).orderBy("id").execute(),
    listPlacements(db, conveningId),
  ]);
  const published = await publishedPlaces(db, conveningId);
  const closed = new Set(fixed.filter((f) => f.room_id === null).map((f) => f.slot_id));
  const openSlots = slots.filter((s) => !closed.has(s.id));
  const ids = sessions.map((s) => s.id);
  const [facilitators, interest, registered, unavailable] = await Promise.all([
    ids.length ? db.selectFrom("facilitators").select(["proposal_id", "person_id"]).where("proposal_id", "in", ids).where("status", "=", "accepted").where("person_id", "is not", null).execute() : [],
    ids.length ? db.selectFrom("interests").select(["person_id", "proposal_id"]).where("proposal_id", "in", ids).orderBy("person_id").orderBy("proposal_id").execute() : [],
    db.selectFrom("registrations").select(["person_id", "constituency"]).where("convening_id", "=", conveningId).where("status", "in", ["pending", "confirmed", "waitlisted"]).execute(),
    db.selectFrom("unavailability").innerJoin("slots", "slots.id", "unavailability.slot_id").select(["unavailability.person_id", "unavailability.slot_id"]).where("slots.convening_id", "=", conveningId).execute(),
  ]);
  const pinned = new Map(placements.filter((p) => p.pinned).map((p) => [p.proposal_id, p]));
  const people = new Map<number, { id: number; group: string | null; unavailable: number[] }>();
  for (const r of registered) people.set(r.person_id, { id: r.person_id, group: r.constituency, unavailable: [] });
  for (const f of facilitators) if (!people.has(f.person_id!)) people.set(f.person_id!, { id: f.person_id!, group: null, unavailable: [] });
  for (const u of unavailable) if (!closed.has(u.slot_id)) people.get(u.person_id)?.unavailable.push(u.slot_id);
  const marks = new Map<number, number[]>();
  for (const i of interest) marks.set(i.person_id, [...(marks.get(i.person_id) ?? []), i.proposal_id]);
  for (const person of marks.keys()) if (!people.has(person)) people.set(person, { id: person, group: null, unavailable: [] });

  return {
    slots: openSlots.map((s) => ({ id: s.id, start: s.starts_at, minutes: s.minutes })),
    rooms: rooms.map((r) => ({ id: r.id, capacity: r.capacity, features: JSON.parse(r.features) as string[] })),
    sessions: [
      ...sessions.map((s) => {
        const pin = pinned.get(s.id);
        return {
          id: s.id,
          track: s.primary_track_id,
          minutes: s.length_minutes,
          facilitators: facilitators.filter((f) => f.proposal_id === s.id).map((f) => f.person_id!),
          needs: JSON.parse(s.needs) as string[],
          pinned: pin && !closed.has(pin.slot_id) ? { slot: pin.slot_id, room: pin.room_id } : null,
          published: published.get(s.id) ?? null,
          alone: s.alone_in_slot === 1,
          plenary: s.format === "plenary",
        };
      }),
      // A fixed item in one room holds that room: a pinned session nobody marks.
      ...fixed
        .filter((f) => f.room_id !== null && !closed.has(f.slot_id))
        .map((f) => ({ id: fixedId(f.id), track: null, minutes: 1, facilitators: [], needs: [], pinned: { slot: f.slot_id, room: f.room_id! } })),
    ],
    people: [...people.values()],
    interest: [...marks.entries()].map(([person, list]) => ({ person, sessions: list })),
  };
}

/**
 * Where each session sits in the latest published version, for the scheduler's keep rule. A slot
 * or room deleted since (or a slot a whole-venue item now takes) is a place that no longer
 * exists: the solver must move that session.
 */
async function publishedPlaces(db: Executor, conveningId: number): Promise<Map<number, { slot: number | string; room: number | string }>> {
  const version = await latestVersion(db, conveningId);
  if (!version) return new Map();
  const rows = await db.selectFrom("agenda_entries").select(["proposal_id", "slot_id", "room_id"]).where("version_id", "=", version.id).where("proposal_id", "is not", null).where("status", "=", "confirmed").execute();
  return new Map(rows.map((r) => [r.proposal_id!, { slot: r.slot_id ?? "gone", room: r.room_id ?? "gone" }]));
}

/** The working copy as the checks see it: placed sessions plus room-holding fixed items. */
export function currentPlacements(instance: Instance, placements: Array<{ proposal_id: number; slot_id: number; room_id: number }>): Placement[] {
  const sessionIds = new Set(instance.sessions.map((s) => String(s.id)));
  return [
    ...placements.filter((p) => sessionIds.has(String(p.proposal_id))).map((p) => ({ session: p.proposal_id, slot: p.slot_id, room: p.room_id })),
    ...instance.sessions.filter((s) => typeof s.id === "string" && s.pinned).map((s) => ({ session: s.id, slot: s.pinned!.slot, room: s.pinned!.room })),
  ];
}

export async function evaluateAgenda(db: Executor, conveningId: number): Promise<{ instance: Instance; evaluation: Evaluation; placements: Awaited<ReturnType<typeof listPlacements>> }> {
  const [instance, placements, fixed] = await Promise.all([
    buildInstance(db, conveningId),
    listPlacements(db, conveningId),
    db.selectFrom("fixed_items").select(["id", "slot_id", "room_id"]).where("convening_id", "=", conveningId).orderBy("id").execute(),
  ]);
  const evaluation = withFixedItems(evaluate(instance, currentPlacements(instance, placements)), fixed, placements);
  return { instance, placements, evaluation };
}

/**
 * Adds the sessions placed where a fixed item is: as their own conflict, named after the fixed
 * item, instead of a room "used twice" by a session and a lunch (or not at all, for a whole-venue
 * item, whose slot the checks never see).
 */
function withFixedItems(evaluation: Evaluation, fixed: Array<{ id: number; slot_id: number; room_id: number | null }>, placements: Array<{ proposal_id: number; slot_id: number; room_id: number }>): Evaluation {
  const held = fixedItemConflicts(
    fixed.map((f) => ({ id: f.id, slot: f.slot_id, room: f.room_id })),
    placements.map((p) => ({ session: p.proposal_id, slot: p.slot_id, room: p.room_id })),
  );
  if (held.length === 0) return evaluation;
  const isFixed = (id: unknown) => typeof id === "string" && id.startsWith("fixed-");
  const hard: HardConflict[] = [];
  for (const h of evaluation.hard) {
    if (h.kind !== "room_double_booked" || !h.sessions.some(isFixed)) {
      hard.push(h);
      continue;
    }
    const sessions = h.sessions.filter((id) => !isFixed(id));
    if (sessions.length > 1) hard.push({ ...h, sessions });
  }
  hard.push(...held);
  return { ...evaluation, hard, score: { ...evaluation.score, hardViolations: hard.length } };
}

/** The fixed item that holds this slot and room (the whole venue, or the room), if any. */
async function fixedItemAt(db: Executor, conveningId: number, slotId: number, roomId: number) {
  return db
    .selectFrom("fixed_items")
    .select(["id", "title"])
    .where("convening_id", "=", conveningId)
    .where("slot_id", "=", slotId)
    .where((eb) => eb.or([eb("room_id", "is", null), eb("room_id", "=", roomId)]))
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Any change to the working agenda makes a suggestion stale: a finished one is discarded, and a
 * running one is marked so its result cannot be accepted (suggestions.server.ts).
 */
export async function discardSuggestions(db: Executor, conveningId: number): Promise<void> {
  await db.updateTable("suggestion_jobs").set({ status: "discarded" }).where("convening_id", "=", conveningId).where("status", "in", ["done", "stopped"]).execute();
  await db.updateTable("suggestion_jobs").set({ stale: 1 }).where("convening_id", "=", conveningId).where("status", "=", "running").execute();
}

/**
 * Places (or moves) an accepted session by hand. A slot and room held by a fixed item is refused;
 * a placement that breaks another hard rule (a room used twice, say) is kept and flagged.
 */
export async function placeSession(
  db: Executor,
  input: { conveningId: number; organizerId: number; proposalId: number; slotId: number; roomId: number; pinned?: boolean },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const proposal = await trx.selectFrom("proposals").select(["id", "status"]).where("id", "=", input.proposalId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!proposal) throw new AgendaError("not_found", 404);
    if (!ACCEPTED_STATUSES.includes(proposal.status)) throw new AgendaError("not_accepted", 409);
    const slot = await trx.selectFrom("slots").select("id").where("id", "=", input.slotId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!slot) throw new AgendaError("unknown_slot", 400);
    const room = await trx.selectFrom("rooms").select("id").where("id", "=", input.roomId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!room) throw new AgendaError("unknown_room", 400);
    // Lunch, a break or a plenary holds its slot: nothing is placed over it.
    const holder = await fixedItemAt(trx, input.conveningId, slot.id, room.id);
    if (holder) throw new AgendaError("fixed_item_there", 409, holder.title);
    const existing = await trx.selectFrom("placements").select(["id", "pinned"]).where("proposal_id", "=", proposal.id).executeTakeFirst();
    const pinned = input.pinned === undefined ? (existing?.pinned ?? 0) : input.pinned ? 1 : 0;
    if (existing) {
      await trx.updateTable("placements").set({ slot_id: slot.id, room_id: room.id, pinned }).where("id", "=", existing.id).execute();
    } else {
      await trx.insertInto("placements").values({ convening_id: input.conveningId, proposal_id: proposal.id, slot_id: slot.id, room_id: room.id, pinned }).execute();
    }
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.placed", subjectType: "proposal", subjectId: proposal.id, conveningId: input.conveningId, details: { slotId: slot.id, roomId: room.id, pinned } });
  });
}

export async function unplaceSession(db: Executor, input: { conveningId: number; organizerId: number; proposalId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const result = await trx.deleteFrom("placements").where("proposal_id", "=", input.proposalId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw new AgendaError("not_found", 404);
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.unplaced", subjectType: "proposal", subjectId: input.proposalId, conveningId: input.conveningId });
  });
}

export async function setPinned(db: Executor, input: { conveningId: number; organizerId: number; proposalId: number; pinned: boolean }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const result = await trx.updateTable("placements").set({ pinned: input.pinned ? 1 : 0 }).where("proposal_id", "=", input.proposalId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AgendaError("not_found", 404);
    await discardSuggestions(trx, input.conveningId);
    await writeAudit(trx, { actorId: input.organizerId, action: input.pinned ? "agenda.pinned" : "agenda.unpinned", subjectType: "proposal", subjectId: input.proposalId, conveningId: input.conveningId });
  });
}
