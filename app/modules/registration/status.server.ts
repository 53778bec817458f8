// The one function that changes a registration's status.
import type { TemplateName } from "../../../emails/index";
import type { Registration, RegistrationStatus } from "../../../db/schema";
import type { Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import { waitlistPosition } from "./capacity.server";
import { RegistrationError } from "./errors";
import { canTransition } from "./states";
import { checkInPath } from "./check-in-code";

function mailFor(from: RegistrationStatus | null, to: RegistrationStatus): TemplateName {
  switch (to) {
    case "pending":
      return "registration-received";
    case "confirmed":
      return from === "waitlisted" ? "registration-promoted" : "registration-confirmed";
    case "waitlisted":
      return "registration-waitlisted";
    case "declined":
      return "registration-declined";
    case "cancelled":
      return "registration-cancelled";
  }
}

export interface ChangeOptions {
  actorId: number | null;
  /** why, for the audit log (its action is registration.<reason>) */
  reason: "submitted" | "approved" | "confirmed" | "promoted" | "declined" | "moved" | "cancelled";
  message?: string | null;
  now: Date;
}

/**
 * The one function that changes a registration's status: checks the transition, writes the row,
 * the audit entry and the mail to the participant, inside the caller's transaction.
 */
export async function setRegistrationStatus(
  trx: Trx,
  registration: Registration,
  to: RegistrationStatus,
  options: ChangeOptions,
  from: RegistrationStatus | null = registration.status,
): Promise<Registration> {
  if (from !== null && !canTransition(from, to)) throw new RegistrationError("invalid_transition", 409);
  const updated = await trx
    .updateTable("registrations")
    .set({
      status: to,
      updated_at: options.now.toISOString(),
      organizer_message: to === "declined" ? (options.message ?? null) : registration.organizer_message,
    })
    .where("id", "=", registration.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeAudit(trx, {
    actorId: options.actorId,
    action: `registration.${options.reason}`,
    subjectType: "registration",
    subjectId: registration.id,
    conveningId: registration.convening_id,
    details: { from, to },
    now: options.now,
  });
  const person = await trx.selectFrom("people").select("email").where("id", "=", registration.person_id).executeTakeFirstOrThrow();
  const convening = await trx.selectFrom("convenings").select(["title", "slug"]).where("id", "=", registration.convening_id).executeTakeFirstOrThrow();
  await queueMail(trx, {
    to: person.email,
    personId: registration.person_id,
    conveningId: registration.convening_id,
    template: mailFor(from, to),
    data: {
      name: updated.display_name,
      convening: convening.title,
      link: appLink(`/convenings/${convening.slug}/register`),
      position: to === "waitlisted" ? await waitlistPosition(trx, updated) : undefined,
      message: to === "declined" ? (options.message ?? null) : undefined,
      checkIn: to === "confirmed" ? { code: updated.check_in_code, url: appLink(checkInPath(convening.slug, updated.check_in_code)) } : undefined,
    },
    now: options.now,
  });
  return updated;
}
