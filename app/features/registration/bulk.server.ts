// An organizer's decision on many registrations at once (the table's bulk actions). Each row goes
// through the single-row path, decideRegistration, in its own transaction: audited, mailed through
// the outbox, its sessions confirmed, and counted against capacity under the convening's lock, so
// two organizers deciding at once never give more places than there are.
import { decideRegistration } from "../../modules/registration/decisions.server";
import { RegistrationError } from "../../modules/registration/errors";
import type { BulkDecision } from "../../modules/registration/schema";
import type { Executor } from "../../platform/db.server";
import { isOutcome, type BulkOutcome, type BulkResult } from "./bulk-result";
import { withSessionsConfirmed } from "./sessions.server";

/**
 * Decides each registration in turn, oldest first (by id: the order they arrived), so that when
 * approving more people than there are places, the earliest get them and the rest join the
 * waitlist, exactly as approving them one by one would.
 */
export async function decideRegistrations(
  db: Executor,
  input: { conveningId: number; organizerId: number; ids: number[]; decision: BulkDecision; message?: string | null; now?: Date },
): Promise<BulkResult> {
  const outcomes: BulkResult["outcomes"] = {};
  for (const registrationId of [...new Set(input.ids)].sort((a, b) => a - b)) {
    let outcome: BulkOutcome;
    try {
      const row = await withSessionsConfirmed(
        db,
        input.conveningId,
        (trx) =>
          decideRegistration(trx, {
            conveningId: input.conveningId,
            registrationId,
            organizerId: input.organizerId,
            decision: input.decision,
            message: input.decision === "decline" ? (input.message ?? null) : null,
            now: input.now,
          }),
        input.now,
      );
      const after = input.decision === "attended" ? "attended" : row.status;
      // A decision leaves a registration confirmed, waitlisted or declined; anything else would be a bug.
      if (!isOutcome(after)) throw new Error(`a bulk ${input.decision} left registration ${registrationId} ${after}`);
      outcome = after;
    } catch (error) {
      if (!(error instanceof RegistrationError) || !isOutcome(error.code)) throw error;
      outcome = error.code;
    }
    (outcomes[outcome] ??= []).push(registrationId);
  }
  return { decision: input.decision, outcomes };
}
