// A registration decides whether its person may facilitate: once every facilitator of an accepted
// session holds a confirmed registration the session is confirmed, and it falls back when one
// stops. Doing it in the registration's own transaction means a facilitator who has just
// registered counts at once (for publishing, say); the background job only catches up on misses.
import { confirmReadyProposals } from "../../modules/proposals/decisions.server";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";

/** Runs a change to a registration of the convening, then confirms (or unconfirms) its sessions, in one transaction. */
export async function withSessionsConfirmed<T>(db: Executor, conveningId: number, change: (trx: Trx) => Promise<T>, now: Date = new Date()): Promise<T> {
  return inTransaction(db, async (trx) => {
    const result = await change(trx);
    await confirmReadyProposals(trx, conveningId, now);
    return result;
  });
}
