// Roles and the small yes/no rules built on them. Pure, so both loaders and components can use
// them; the server-side checks in session.server.ts are what actually protect a page.
import type { RoleName } from "../../../db/schema";

export interface RoleGrant {
  role: RoleName;
  /** null: the grant holds for every convening */
  conveningId: number | null;
  trackId: number | null;
  /** organizers: may read sensitive answers (access needs, legal names, support, passports) */
  readsSensitive?: boolean;
}

/** An organizer of every convening: runs the site-wide pages (outbox, audit log). */
export function isSiteOrganizer(roles: readonly RoleGrant[]): boolean {
  return roles.some((r) => r.role === "organizer" && r.conveningId === null);
}

export function isOrganizerOf(roles: readonly RoleGrant[], conveningId: number): boolean {
  return roles.some((r) => r.role === "organizer" && (r.conveningId === null || r.conveningId === conveningId));
}

/** An organizer of this convening who may read its sensitive answers. */
export function readsSensitiveOf(roles: readonly RoleGrant[], conveningId: number): boolean {
  return roles.some((r) => r.role === "organizer" && r.readsSensitive === true && (r.conveningId === null || r.conveningId === conveningId));
}

export function isAnyOrganizer(roles: readonly RoleGrant[]): boolean {
  return roles.some((r) => r.role === "organizer");
}

export function reviewerTrackIds(roles: readonly RoleGrant[], conveningId: number): number[] {
  return roles
    .filter((r) => r.role === "reviewer" && r.conveningId === conveningId && r.trackId !== null)
    .map((r) => r.trackId as number);
}
