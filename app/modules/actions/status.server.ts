// The one function that changes an action item's status.
import type { Selectable } from "kysely";
import type { ActionItemsTable } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { ActionError } from "./errors";
import { ownsAction } from "./owners.server";
import { canChangeStatus, type Actor } from "./policy";
import { canTransition, isClosed, needsNote, type ActionStatus } from "./states";

export type ActionItemRow = Selectable<ActionItemsTable>;

/**
 * Moves an item to a new status, in one transaction (the caller's, when it holds one): checks
 * that `by` may (an owner or an organizer), the move itself, and that reopening comes with a
 * note; keeps the move and its note in the item's history, sets the closing note when it closes
 * (clears it when it reopens) and writes the audit entry. It queues no mail: owners hear of their
 * items through reminders and the monthly digest.
 */
export async function setActionStatus(db: Executor, item: ActionItemRow, to: ActionStatus, options: { by: Actor; note: string; now: Date }): Promise<void> {
  const note = options.note.trim();
  await inTransaction(db, async (trx) => {
    if (!canChangeStatus(options.by, { ownedByViewer: await ownsAction(trx, item.id, options.by.id) })) throw new ActionError("not_owner", 403);
    if (!canTransition(item.status, to)) throw new ActionError("invalid_transition", 409);
    if (needsNote(item.status, to) && note === "") throw new ActionError("needs_note", 400);
    const at = options.now.toISOString();
    await trx.insertInto("action_updates").values({ action_id: item.id, author_id: options.by.id, text: note, status_from: item.status, status_to: to, at }).execute();
    await trx
      .updateTable("action_items")
      .set({ status: to, updated_at: at, closing_note: isClosed(to) ? note || null : null })
      .where("id", "=", item.id)
      .execute();
    await writeAudit(trx, { actorId: options.by.id, action: "action.status_changed", subjectType: "action", subjectId: item.id, conveningId: item.convening_id, details: { from: item.status, to }, now: options.now });
  });
}
