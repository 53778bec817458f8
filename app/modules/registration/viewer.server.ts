// The Viewer of a convening's page: the signed-in person's roles and their registration there.
import type { RoleGrant } from "../auth/permissions";
import { isOrganizerOf, reviewerTrackIds } from "../auth/permissions";
import type { Executor } from "../../platform/db.server";
import { ANONYMOUS, type Viewer } from "../people/viewer";
import { ACTIVE_STATUSES } from "./states";

export async function loadViewer(db: Executor, user: { id: number; roles: readonly RoleGrant[] } | null, conveningId: number): Promise<Viewer> {
  if (!user) return ANONYMOUS;
  const registration = await db
    .selectFrom("registrations")
    .select("status")
    .where("convening_id", "=", conveningId)
    .where("person_id", "=", user.id)
    .executeTakeFirst();
  const status = registration?.status ?? null;
  return {
    id: user.id,
    organizer: isOrganizerOf(user.roles, conveningId),
    reviewerTrackIds: reviewerTrackIds(user.roles, conveningId),
    registration: status,
    participant: status !== null && ACTIVE_STATUSES.includes(status),
  };
}

/** The Viewer of a page only signed-in people reach: its id is known. */
export async function loadSignedInViewer(db: Executor, user: { id: number; roles: readonly RoleGrant[] }, conveningId: number): Promise<Viewer & { id: number }> {
  const viewer = await loadViewer(db, user, conveningId);
  return { ...viewer, id: user.id };
}
