import { isOrganizerOf } from "../auth/permissions";
import { requireUser, type CurrentUser } from "../auth/session.server";
import { getDb } from "../../utils/db.server";
import { getConvening } from "./convenings.server";

/** The convening of an /organize/:slug page, for one of its organizers; 404 or 403 otherwise. */
export async function requireConveningOrganizer(request: Request, slug: string | undefined) {
  const user: CurrentUser = await requireUser(request);
  const convening = await getConvening(getDb(), slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  if (!isOrganizerOf(user.roles, convening.id)) throw new Response("Forbidden", { status: 403 });
  return { user, convening };
}
