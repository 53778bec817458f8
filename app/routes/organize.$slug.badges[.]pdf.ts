// The name badges PDF for the choice in the address (the badges page sends organizers here);
// each download is written to the audit log. A choice that does not parse, or gives no badge, is a 400 or 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConveningOrganizer } from "../features/access/access.server";
import { exportBadges } from "../features/badges/badges.server";
import { badgeSchema } from "../modules/registration/badge-schema";
import { getDb } from "../platform/db.server";
import { pdfResponse } from "../platform/pdf.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const parsed = badgeSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("These badge choices are not valid.", { status: 400 });
  const made = await exportBadges(getDb(), { conveningId: convening.id, conveningTitle: convening.title, organizerId: user.id, choice: parsed.data });
  if (!made) throw new Response("No registration matches these choices.", { status: 404 });
  return pdfResponse(made.pdf, `${convening.slug}-badges-${parsed.data.paper.toLowerCase()}.pdf`);
}
