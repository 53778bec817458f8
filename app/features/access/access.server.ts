import { data } from "@remix-run/node";
import type { ConveningStatus } from "../../../db/schema";
import { isOrganizerOf } from "../../modules/auth/permissions";
import { isReadOnly } from "../../modules/convenings/status.server";
import { requireUser, type CurrentUser } from "../../modules/auth/session.server";
import { getDb } from "../../platform/db.server";
import { z } from "zod";
import { requireParams, segment } from "../../lib/params";
import { getConvening, getPublicConvening } from "../../modules/convenings/convenings.server";
import { reviewerFor } from "../../modules/proposals/review.server";
import { deskRole } from "../desk/desk.server";

/** A change asked of a closed convening, which is read-only (its follow-up excepted): 409. */
function refuseChangeIfClosed(request: Request, convening: { status: ConveningStatus }, followUp: boolean) {
  if (!followUp && request.method !== "GET" && request.method !== "HEAD" && isReadOnly(convening)) throw data({ message: "errors.conveningClosed" }, { status: 409 });
}

/**
 * The convening of an /organize/:slug page, for one of its organizers; 404 or 403 otherwise. A
 * closed convening refuses every change (409) except on its follow-up pages (`followUp`: action
 * items, messages, the overview that reopens it).
 */
export async function requireConveningOrganizer(request: Request, slug: string | undefined, options: { followUp?: boolean } = {}) {
  const user: CurrentUser = await requireUser(request);
  const convening = await getConvening(getDb(), slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  if (!isOrganizerOf(user.roles, convening.id)) throw new Response("Forbidden", { status: 403 });
  refuseChangeIfClosed(request, convening, options.followUp ?? false);
  return { user, convening };
}

/**
 * The convening of an /organize/:slug/proposals page for its organizers and its reviewers;
 * 404 or 403 for anyone else. Reviewers get what they may review and nothing more.
 */
export async function requireConveningStaff(request: Request, slug: string | undefined) {
  const user: CurrentUser = await requireUser(request);
  const db = getDb();
  const convening = await getConvening(db, slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const organizer = isOrganizerOf(user.roles, convening.id);
  const reviewer = await reviewerFor(db, convening.id, user.id);
  if (!organizer && !reviewer) throw new Response("Forbidden", { status: 403 });
  refuseChangeIfClosed(request, convening, false);
  return { user, convening, organizer, reviewer };
}

/** The convening of a /convenings/:slug page or file: one that is not a draft, else 404. */
export async function requirePublicConvening(params: Record<string, string | undefined>) {
  const { slug } = requireParams(params, z.object({ slug: segment }));
  const convening = await getPublicConvening(getDb(), slug);
  if (!convening) throw new Response("Not found", { status: 404 });
  return convening;
}

/**
 * The convening of its check-in desk, for its organizers and its desk volunteers; 404 or 403 for
 * anyone else, whatever the address asks for (a code from a QR code reveals nothing to them).
 */
export async function requireDeskStaff(request: Request, slug: string | undefined) {
  const user: CurrentUser = await requireUser(request);
  const db = getDb();
  const convening = await getConvening(db, slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const role = await deskRole(db, convening.id, user);
  if (!role) throw new Response("Forbidden", { status: 403 });
  return { user, convening, role };
}
