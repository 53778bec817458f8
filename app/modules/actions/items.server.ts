// Action items: what a session or the organizers committed to, owned by people or member
// organizations. Creating and editing them, posting updates on them, and a session's notes.
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { ActionError } from "./errors";
import { checkOwners, ownerPeople, ownsAction, splitOwners, tellNewOwners, writeOwners, type Owner } from "./owners.server";
import { canChangeStatus, canEditAction, type Actor } from "./policy";
import { setActionStatus } from "./status.server";
import type { ActionStatus, ActionVisibility } from "./states";

const today = (now: Date) => now.toISOString().slice(0, 10);

/**
 * A new item, open, from a session (proposalId) or the organizers' list; its owners are told.
 * Anyone but an organizer chooses owners only among those they were offered (ownerChoices).
 */
export async function createAction(
  db: Executor,
  input: { conveningId: number; proposalId: number | null; title: string; dueOn: string; owners: Owner[]; visibility: ActionVisibility; by: Actor; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date();
  if (input.dueOn < today(now)) throw new ActionError("due_in_past", 400);
  if (input.owners.length === 0) throw new ActionError("no_owner", 400);
  const owners = splitOwners(input.owners);
  return inTransaction(db, async (trx) => {
    await checkOwners(trx, input.conveningId, owners, input.by);
    if (input.proposalId !== null) {
      const proposal = await trx.selectFrom("proposals").select("id").where("id", "=", input.proposalId).where("convening_id", "=", input.conveningId).executeTakeFirst();
      if (!proposal) throw new ActionError("not_found", 404);
    }
    const { id } = await trx
      .insertInto("action_items")
      .values({ convening_id: input.conveningId, proposal_id: input.proposalId, title: input.title, due_on: input.dueOn, visibility: input.visibility, status: "open", created_by: input.by.id, created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeOwners(trx, id, owners);
    await writeAudit(trx, { actorId: input.by.id, action: "action.created", subjectType: "action", subjectId: id, conveningId: input.conveningId, now });
    await tellNewOwners(trx, { actionId: id, conveningId: input.conveningId, title: input.title, dueOn: input.dueOn, now });
    return id;
  });
}

/**
 * Organizers edit an item: what, when, who and who sees it. Owners who are new to it are told,
 * as on creation; a new due date starts the reminders again (they are keyed by due date).
 */
export async function editAction(
  db: Executor,
  input: { conveningId: number; actionId: number; by: Actor; title: string; dueOn: string; owners: Owner[]; visibility: ActionVisibility; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  if (!canEditAction(input.by)) throw new ActionError("not_found", 404);
  if (input.owners.length === 0) throw new ActionError("no_owner", 400);
  const owners = splitOwners(input.owners);
  await inTransaction(db, async (trx) => {
    const item = await trx.selectFrom("action_items").selectAll().where("id", "=", input.actionId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!item) throw new ActionError("not_found", 404);
    if (input.dueOn !== item.due_on && input.dueOn < today(now)) throw new ActionError("due_in_past", 400);
    await checkOwners(trx, input.conveningId, owners, input.by);
    const before = new Set((await ownerPeople(trx, item.id)).map((p) => p.id));
    await trx.updateTable("action_items").set({ title: input.title, due_on: input.dueOn, visibility: input.visibility, updated_at: now.toISOString() }).where("id", "=", item.id).execute();
    await writeOwners(trx, item.id, owners);
    await writeAudit(trx, { actorId: input.by.id, action: "action.edited", subjectType: "action", subjectId: item.id, conveningId: input.conveningId, now });
    await tellNewOwners(trx, { actionId: item.id, conveningId: input.conveningId, title: input.title, dueOn: input.dueOn, now, except: before });
  });
}

/**
 * An owner (or an organizer) posts an update, kept as history: a note, a new status, or both (a
 * new status goes through setActionStatus). A note alone must say something.
 */
export async function postUpdate(db: Executor, input: { actionId: number; by: Actor; text: string; status?: ActionStatus; conveningId?: number; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    let query = trx.selectFrom("action_items").selectAll().where("id", "=", input.actionId);
    // An organizer's page posts on the items of its own convening only.
    if (input.conveningId !== undefined) query = query.where("convening_id", "=", input.conveningId);
    const item = await query.executeTakeFirst();
    if (!item) throw new ActionError("not_found", 404);
    if (input.status && input.status !== item.status) return setActionStatus(trx, item, input.status, { by: input.by, note: input.text, now });
    if (!canChangeStatus(input.by, { ownedByViewer: await ownsAction(trx, item.id, input.by.id) })) throw new ActionError("not_owner", 403);
    const text = input.text.trim();
    if (text === "") throw new ActionError("needs_note", 400);
    await trx.insertInto("action_updates").values({ action_id: item.id, author_id: input.by.id, text, status_from: null, status_to: null, at: now.toISOString() }).execute();
    await writeAudit(trx, { actorId: input.by.id, action: "action.updated", subjectType: "action", subjectId: item.id, conveningId: item.convening_id, details: {}, now });
  });
}

/**
 * Organizers add one owner to an item, keeping the others; the new owner (or the people of a new
 * owning organization) is told, as on creation. An owner it already has is refused.
 */
export async function addActionOwner(db: Executor, input: { conveningId: number; actionId: number; by: Actor; owner: Owner; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  if (!canEditAction(input.by)) throw new ActionError("not_found", 404);
  const owner = splitOwners([input.owner]);
  await inTransaction(db, async (trx) => {
    const item = await trx.selectFrom("action_items").selectAll().where("id", "=", input.actionId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!item) throw new ActionError("not_found", 404);
    await checkOwners(trx, input.conveningId, owner, input.by);
    const current = await trx.selectFrom("action_owners").select(["person_id", "organization_id"]).where("action_id", "=", item.id).execute();
    const has = current.some((o) => (o.person_id !== null && owner.personIds.includes(o.person_id)) || (o.organization_id !== null && owner.organizationIds.includes(o.organization_id)));
    if (has) throw new ActionError("already_owner", 409);
    const before = new Set((await ownerPeople(trx, item.id)).map((p) => p.id));
    await trx
      .insertInto("action_owners")
      .values({ action_id: item.id, person_id: owner.personIds[0] ?? null, organization_id: owner.organizationIds[0] ?? null })
      .execute();
    await trx.updateTable("action_items").set({ updated_at: now.toISOString() }).where("id", "=", item.id).execute();
    await writeAudit(trx, { actorId: input.by.id, action: "action.owner_added", subjectType: "action", subjectId: item.id, conveningId: input.conveningId, details: "personId" in input.owner ? { personId: input.owner.personId } : { organizationId: input.owner.organizationId }, now });
    await tellNewOwners(trx, { actionId: item.id, conveningId: input.conveningId, title: item.title, dueOn: item.due_on, now, except: before });
  });
}

/** A note on a session's outcomes, by one of its facilitators or an organizer (the page checks which). */
export async function addSessionNote(db: Executor, input: { proposalId: number; authorId: number; text: string; now?: Date }): Promise<void> {
  await db.insertInto("session_notes").values({ proposal_id: input.proposalId, author_id: input.authorId, text: input.text, created_at: (input.now ?? new Date()).toISOString() }).execute();
}
