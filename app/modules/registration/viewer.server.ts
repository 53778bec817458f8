// The Viewer of a convening's page: the signed-in person's roles and their registration there.
import type { RoleGrant } from "../auth/permissions";
import { isOrganizerOf, reviewerTrackIds } from "../auth/permissions";
import type { Executor } from "../../platform/db.server";
import { ANONYMOUS, type Viewer } from "../people/viewer";
import { ACTIVE_STATUSES } from "./states";
import type { PeopleViewer } from "./policy";

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

/**
 * One person as the viewer of several convenings at once (a list across convenings, such as
 * their own action items): whether they organize each and their registration there. Two queries.
 */
export async function loadViewersAcross(db: Executor, personId: number, conveningIds: readonly number[]): Promise<Map<number, PeopleViewer>> {
  const ids = [...new Set(conveningIds)];
  const viewers = new Map<number, PeopleViewer>();
  if (ids.length === 0) return viewers;
  const [registrations, roles] = await Promise.all([
    db.selectFrom("registrations").select(["convening_id", "status"]).where("person_id", "=", personId).where("convening_id", "in", ids).execute(),
    db.selectFrom("roles").select(["role", "convening_id", "track_id"]).where("person_id", "=", personId).execute(),
  ]);
  const grants: RoleGrant[] = roles.map((r) => ({ role: r.role, conveningId: r.convening_id, trackId: r.track_id }));
  const status = new Map(registrations.map((r) => [r.convening_id, r.status]));
  for (const id of ids) viewers.set(id, { organizer: isOrganizerOf(grants, id), registration: status.get(id) ?? null });
  return viewers;
}
