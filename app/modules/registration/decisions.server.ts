// An organizer's decisions on a registration: approve, decline, confirm from or move to the
// waitlist, and mark attendance.
import type { Registration } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { RegistrationError } from "./errors";
import { canMarkAttendance } from "./policy";
import { hasPlace, lockConvening } from "./capacity.server";
import { setRegistrationStatus } from "./status.server";
import { fillFromWaitlist, joinWaitlist } from "./waitlist.server";
import { isDeskOpen } from "./states";

/** An organizer's decision on one registration. */
export async function decideRegistration(
  db: Executor,
  input: {
    conveningId: number;
    registrationId: number;
    organizerId: number;
    decision: "approve" | "decline" | "waitlist" | "confirm" | "attended" | "not-attended";
    message?: string | null;
    /** "desk": marked at the check-in desk (by an organizer or a desk volunteer), only while the desk is open */
    via?: "desk";
    now?: Date;
  },
): Promise<Registration> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    const registration = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("convening_id", "=", convening.id)
      .where("id", "=", input.registrationId)
      .executeTakeFirst();
    if (!registration) throw new RegistrationError("not_found", 404);
    const actor = { actorId: input.organizerId, now };

    switch (input.decision) {
      case "approve": {
        if (!["pending", "declined"].includes(registration.status)) throw new RegistrationError("invalid_transition", 409);
        const to = (await hasPlace(trx, convening, registration.attendance)) ? "confirmed" : "waitlisted";
        return setRegistrationStatus(trx, registration, to, { ...actor, reason: "approved" });
      }
      case "confirm": {
        if (registration.status !== "waitlisted") throw new RegistrationError("invalid_transition", 409);
        if (!(await hasPlace(trx, convening, registration.attendance))) throw new RegistrationError("full", 409);
        return setRegistrationStatus(trx, registration, "confirmed", { ...actor, reason: "confirmed" });
      }
      case "waitlist": {
        if (registration.status === "pending" || registration.status === "declined") {
          // Still to be decided: it joins the end of the queue, which only exists while the house is full
          // (a free place goes to whoever waits, so waiting for one that is free means nothing).
          if (await hasPlace(trx, convening, registration.attendance)) throw new RegistrationError("place_free", 409);
          return joinWaitlist(trx, registration, { ...actor, reason: "moved" });
        }
        if (registration.status !== "confirmed") throw new RegistrationError("invalid_transition", 409);
        // The freed place goes to the next person waiting; with nobody waiting it would come straight back.
        const waiting = await trx.selectFrom("registrations").select("id").where("convening_id", "=", convening.id).where("status", "=", "waitlisted").limit(1).executeTakeFirst();
        if (!waiting || registration.attendance === "remote") throw new RegistrationError("nobody_waiting", 409);
        const row = await joinWaitlist(trx, registration, { ...actor, reason: "moved" });
        await fillFromWaitlist(trx, convening, input.organizerId, now);
        return row;
      }
      case "decline": {
        const row = await setRegistrationStatus(trx, registration, "declined", { ...actor, reason: "declined", message: input.message ?? null });
        if (registration.status === "confirmed") await fillFromWaitlist(trx, convening, input.organizerId, now);
        return row;
      }
      case "attended":
      case "not-attended": {
        // Only a confirmed person comes; the desk says so in its own words.
        if (input.via === "desk" && input.decision === "attended" && registration.status !== "confirmed") throw new RegistrationError("not_confirmed", 409);
        if (input.via !== "desk" && registration.status !== "confirmed") throw new RegistrationError("invalid_transition", 409);
        if (input.via === "desk") {
          // The desk opens the day before and closes after the last day.
          const dates = await trx.selectFrom("convenings").select(["starts_on", "ends_on", "time_zone"]).where("id", "=", convening.id).executeTakeFirstOrThrow();
          if (!isDeskOpen(dates, now)) throw new RegistrationError("desk_closed", 409);
        } else if (input.decision === "attended") {
          const days = await trx.selectFrom("convenings").select(["starts_on", "time_zone"]).where("id", "=", convening.id).executeTakeFirstOrThrow();
          if (!canMarkAttendance(days, now)) throw new RegistrationError("not_yet", 409);
        }
        const row = await trx
          .updateTable("registrations")
          .set({ attended_at: input.decision === "attended" ? now.toISOString() : null, updated_at: now.toISOString() })
          .where("id", "=", registration.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(trx, { actorId: input.organizerId, action: `registration.${input.decision}`, subjectType: "registration", subjectId: registration.id, conveningId: convening.id, details: input.via ? { via: input.via } : undefined, now });
        return row;
      }
    }
  });
}
