// Organizers' decisions on proposals: taken in batch and held (unmailed) until released, and an
// accepted session confirmed once its facilitators are registered.
import type { ProposalStatus } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { ProposalError } from "./errors";
import { setProposalState } from "./state.server";
import { ACCEPTED_STATUSES, canTransition, HELD_STATUSES, PENDING_OF, RELEASED_OF, type Decision } from "./states";

/** Organizers decide in batch; decisions stay pending (and unmailed) until released. */
export async function decideProposals(
  db: Executor,
  input: { conveningId: number; organizerId: number; ids: number[]; decision: Decision | "undecided"; message?: string | null; now?: Date },
): Promise<{ changed: number; skipped: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const proposals = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", input.conveningId).where("id", "in", input.ids).execute();
    if (proposals.length !== new Set(input.ids).size) throw new ProposalError("not_found", 404);
    const to: ProposalStatus = input.decision === "undecided" ? "submitted" : PENDING_OF[input.decision];
    let changed = 0;
    for (const proposal of proposals) {
      if (proposal.status === to) continue;
      if (!canTransition(proposal.status, to)) throw new ProposalError("invalid_transition", 409);
      await setProposalState(trx, proposal, to, { actorId: input.organizerId, now, message: input.decision === "undecided" ? null : (input.message ?? null) });
      changed += 1;
    }
    return { changed, skipped: proposals.length - changed };
  });
}

/** How many decisions wait to be released. */
export async function countPendingDecisions(db: Executor, conveningId: number): Promise<number> {
  const row = await db
    .selectFrom("proposals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", conveningId)
    .where("status", "in", [...HELD_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Releases every pending decision of the convening: states become final and the mails are queued. */
export async function releaseDecisions(db: Executor, input: { conveningId: number; organizerId: number; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const pending = await trx
      .selectFrom("proposals")
      .selectAll()
      .where("convening_id", "=", input.conveningId)
      .where("status", "in", [...HELD_STATUSES])
      .orderBy("id")
      .execute();
    for (const proposal of pending) {
      await setProposalState(trx, proposal, RELEASED_OF[proposal.status]!, { actorId: input.organizerId, now });
    }
    await confirmReadyProposals(trx, input.conveningId, now);
    return pending.length;
  });
}

/**
 * An accepted session is confirmed once every facilitator who said yes holds a confirmed
 * registration; it falls back to accepted if one of them stops being registered.
 */
export async function confirmReadyProposals(db: Executor, conveningId: number, now: Date): Promise<number> {
  return inTransaction(db, async (trx) => {
    const sessions = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", conveningId).where("status", "in", [...ACCEPTED_STATUSES]).execute();
    if (sessions.length === 0) return 0;
    const unregistered = await trx
      .selectFrom("facilitators")
      .select("facilitators.proposal_id")
      .where("facilitators.proposal_id", "in", sessions.map((s) => s.id))
      .where("facilitators.status", "=", "accepted")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("registrations")
              .select("registrations.id")
              .whereRef("registrations.person_id", "=", "facilitators.person_id")
              .where("registrations.convening_id", "=", conveningId)
              .where("registrations.status", "=", "confirmed"),
          ),
        ),
      )
      .execute();
    const missing = new Set(unregistered.map((r) => r.proposal_id));
    let changed = 0;
    for (const session of sessions) {
      const ready = !missing.has(session.id);
      if (ready && session.status === "accepted") {
        await setProposalState(trx, session, "confirmed", { actorId: null, now });
        changed += 1;
      } else if (!ready && session.status === "confirmed") {
        await setProposalState(trx, session, "accepted", { actorId: null, now });
        changed += 1;
      }
    }
    return changed;
  });
}
