// The waitlist: joining its end, and free in-person places given to it oldest first, whenever a
// change frees one and by the job runner for anything the other paths did not see.
import type { Registration } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { confirmedInPerson, lockConvening, type ConveningRow } from "./capacity.server";
import { setRegistrationStatus, type ChangeOptions } from "./status.server";

/** Puts a registration at the end of the waitlist: its place in the queue starts now. */
export async function joinWaitlist(trx: Trx, registration: Registration, options: ChangeOptions): Promise<Registration> {
  const requeued = await trx
    .updateTable("registrations")
    .set({ queued_at: options.now.toISOString() })
    .where("id", "=", registration.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return setRegistrationStatus(trx, requeued, "waitlisted", options);
}

/** Gives free in-person places to the waitlist, oldest first. Returns the ids promoted. */
export async function fillFromWaitlist(trx: Trx, convening: ConveningRow, actorId: number | null, now: Date): Promise<number[]> {
  let free: number;
  if (convening.capacity_in_person === null) {
    free = Number.MAX_SAFE_INTEGER;
  } else {
    free = convening.capacity_in_person - (await confirmedInPerson(trx, convening.id));
  }
  if (free <= 0) return [];
  const next = await trx
    .selectFrom("registrations")
    .selectAll()
    .where("convening_id", "=", convening.id)
    .where("status", "=", "waitlisted")
    .orderBy("queued_at")
    .orderBy("id")
    .limit(Math.min(free, 10_000))
    .execute();
  for (const registration of next) {
    await setRegistrationStatus(trx, registration, "confirmed", { actorId, reason: "promoted", now });
  }
  return next.map((r) => r.id);
}

/** For the job runner: fills places freed by anything the other paths did not see. */
export async function promoteFromWaitlists(db: Executor, now: Date): Promise<number> {
  const convenings = await db
    .selectFrom("registrations")
    .select("convening_id")
    .distinct()
    .where("status", "=", "waitlisted")
    .execute();
  let promoted = 0;
  for (const { convening_id } of convenings) {
    promoted += await inTransaction(db, async (trx) => {
      const convening = await lockConvening(trx, convening_id);
      return (await fillFromWaitlist(trx, convening, null, now)).length;
    });
  }
  return promoted;
}
