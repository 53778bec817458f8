// The label a facilitator may appear under instead of their name.
import { inTransaction, type Executor } from "../../platform/db.server";
import { namesChanged } from "../people/people.server";

/** A facilitator chooses to appear under a label of their own instead of their name, for this session. */
export async function setAnonymousLabel(db: Executor, input: { proposalId: number; personId: number; label: string | null }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable("facilitators")
      .set({ anonymous_label: input.label })
      .where("proposal_id", "=", input.proposalId)
      .where("person_id", "=", input.personId)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await namesChanged(trx, input.personId);
    return true;
  });
}
