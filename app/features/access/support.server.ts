// The guard of the travel-support pages: organizers of the convening who read sensitive answers; 403 for other organizers.
import { readsSensitiveOf } from "../../modules/auth/permissions";
import { requireConveningOrganizer } from "./access.server";

export async function requireSupportReader(request: Request, slug: string | undefined) {
  const { user, convening } = await requireConveningOrganizer(request, slug);
  if (!readsSensitiveOf(user.roles, convening.id)) throw new Response("Only organizers who may read sensitive answers see travel support.", { status: 403 });
  return { user, convening };
}
