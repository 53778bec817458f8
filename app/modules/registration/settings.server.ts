// The organizers' registration settings: the window, in-person capacity, approval and how long
// sensitive answers are kept.
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { RegistrationError } from "./errors";
import { lockConvening } from "./capacity.server";
import { fillFromWaitlist } from "./waitlist.server";

/** Organizers change the window, capacity and approval; a larger capacity promotes from the waitlist at once. */
export async function updateRegistrationSettings(
  db: Executor,
  input: {
    conveningId: number;
    organizerId: number;
    opensAt: string | null;
    closesAt: string | null;
    capacity: number | null | undefined;
    approvalRequired: boolean;
    /** the day after which sensitive answers are erased; null: the default (90 days after the end) */
    retentionOn?: string | null;
    now?: Date;
  },
): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    await lockConvening(trx, input.conveningId);
    if (input.retentionOn) {
      // Sensitive answers are kept at least until the convening is over.
      const { ends_on } = await trx.selectFrom("convenings").select("ends_on").where("id", "=", input.conveningId).executeTakeFirstOrThrow();
      if (input.retentionOn <= ends_on) throw new RegistrationError("retention_before_end", 400);
    }
    await trx
      .updateTable("convenings")
      .set({
        registration_opens_at: input.opensAt,
        registration_closes_at: input.closesAt,
        capacity_in_person: input.capacity ?? null,
        approval_required: input.approvalRequired ? 1 : 0,
        ...(input.retentionOn !== undefined ? { retention_on: input.retentionOn } : {}),
      })
      .where("id", "=", input.conveningId)
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "convening.registration_settings", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, now });
    const convening = await lockConvening(trx, input.conveningId);
    await fillFromWaitlist(trx, convening, input.organizerId, now);
  });
}
