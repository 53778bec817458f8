// Registration states and the transitions allowed between them, defined once.
import type { RegistrationStatus } from "../../../db/schema";
import { dayIn } from "../../lib/dates";

export const TRANSITIONS: Record<RegistrationStatus, readonly RegistrationStatus[]> = {
  pending: ["confirmed", "waitlisted", "declined", "cancelled"],
  confirmed: ["waitlisted", "declined", "cancelled"],
  waitlisted: ["confirmed", "declined", "cancelled"],
  declined: ["confirmed", "waitlisted", "cancelled"],
  // A person who cancelled may register again.
  cancelled: ["pending", "confirmed", "waitlisted"],
};

/** Registrations that count as taking part (hold or wait for a place, mark sessions). Who sees and is seen is policy.ts: confirmed only. */
export const ACTIVE_STATUSES: readonly RegistrationStatus[] = ["pending", "confirmed", "waitlisted"];

export function canTransition(from: RegistrationStatus, to: RegistrationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Is registration open? Only for a published convening, inside a window whose opening is set (a new convening has none). */
export function isWindowOpen(
  convening: { registration_opens_at: string | null; registration_closes_at: string | null; status: string },
  now: Date,
): boolean {
  const at = now.toISOString();
  return (
    convening.status === "published" &&
    convening.registration_opens_at !== null &&
    convening.registration_opens_at <= at &&
    (convening.registration_closes_at === null || convening.registration_closes_at > at)
  );
}

/** The calendar day before a YYYY-MM-DD day. */
function dayBefore(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether the check-in desk takes arrivals now: from the day before the convening starts (the
 * desk opens early) to its last day, in the convening's own time zone.
 */
export function isDeskOpen(convening: { starts_on: string; ends_on: string; time_zone: string }, now: Date): boolean {
  const today = dayIn(now, convening.time_zone);
  return today >= dayBefore(convening.starts_on) && today <= convening.ends_on;
}
