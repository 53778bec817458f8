// The format rules organizers set for the scheduler: a session marked "alone in its slot" gets
// nothing beside it (plenaries run alone by their format, without a mark).
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { AgendaError } from "./errors";

export async function setAloneInSlot(db: Executor, input: { conveningId: number; organizerId: number; proposalId: number; alone: boolean }): Promise<{ changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("proposals").select(["id", "alone_in_slot"]).where("id", "=", input.proposalId).where("convening_id", "=", input.conveningId).where("status", "!=", "draft").executeTakeFirst();
    if (!row) throw new AgendaError("not_found", 404);
    const value = input.alone ? 1 : 0;
    if (row.alone_in_slot === value) return { changed: false };
    await trx.updateTable("proposals").set({ alone_in_slot: value }).where("id", "=", row.id).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: input.alone ? "agenda.alone_set" : "agenda.alone_cleared", subjectType: "proposal", subjectId: row.id, conveningId: input.conveningId });
    return { changed: true };
  });
}
