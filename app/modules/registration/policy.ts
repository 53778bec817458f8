// Who may see what of a convening's registrations: pure rules of a Viewer.
//
// Vetting: only confirmed participants and organizers see other participants (the directory,
// names, shared addresses, owners and authors of action items, co-facilitators of sessions not yet
// public), and only confirmed participants are seen. A registration waiting for approval, on the
// waitlist, declined or cancelled neither sees nor is seen; whether the convening asks for
// approval does not change this (without approval, nobody waits for it).
import type { RegistrationStatus } from "../../../db/schema";
import type { Viewer } from "../people/viewer";
import { dayIn } from "../../lib/dates";

/** The statuses of vetted registrations: these people see the others and may be listed to them. */
export const VETTED_STATUSES: readonly RegistrationStatus[] = ["confirmed"];

/** What the people rules read of a Viewer; a whole Viewer of the convening fits. */
export type PeopleViewer = Pick<Viewer, "organizer" | "registration">;

function vetted(status: RegistrationStatus | null): boolean {
  return status !== null && VETTED_STATUSES.includes(status);
}

/** May this viewer see the convening's other participants (their names, addresses, the directory)? */
export function canSeePeople(viewer: PeopleViewer): boolean {
  return viewer.organizer || vetted(viewer.registration);
}

/** May this registration be shown to the other participants (directory, owners, authors)? Only vetted people who agreed. */
export function isListable(registration: { status: RegistrationStatus; consent_directory: number }): boolean {
  return vetted(registration.status) && registration.consent_directory === 1;
}

/** Why a viewer does not see the other participants, for the sentence that tells them; null when they do. */
export type PeopleHeld = "not_registered" | "awaiting_confirmation" | "waitlisted" | "declined" | "cancelled";

export function peopleHeld(viewer: PeopleViewer): PeopleHeld | null {
  if (canSeePeople(viewer)) return null;
  switch (viewer.registration) {
    case null:
      return "not_registered";
    case "pending":
      return "awaiting_confirmation";
    case "waitlisted":
      return "waitlisted";
    case "declined":
      return "declined";
    case "cancelled":
      return "cancelled";
    case "confirmed":
      // A confirmed registration always sees people; this branch keeps the switch whole.
      return null;
  }
}

/**
 * The organization a registration may be shown with to others (badges, and the directory, which
 * lists only those who agreed): only where the person agreed to be listed, else none.
 */
export function shownOrganization(registration: { organization: string | null; consent_directory: number }): string | null {
  return registration.consent_directory === 1 ? registration.organization : null;
}

/** Attendance is marked from the convening's first day on, where it is held; before that nobody has come yet. */
export function canMarkAttendance(convening: { starts_on: string; time_zone: string }, now: Date): boolean {
  return dayIn(now, convening.time_zone) >= convening.starts_on;
}
