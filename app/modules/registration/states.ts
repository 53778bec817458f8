// Registration states and the transitions allowed between them, defined once.
import type { RegistrationStatus } from "../../../db/schema";

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
