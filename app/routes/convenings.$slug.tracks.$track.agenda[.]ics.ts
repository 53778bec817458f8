import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePublicConvening } from "../features/access/access.server";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { trackBySlug } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const track = await trackBySlug(db, convening.id, params.track ?? "");
  if (!track) throw new Response("Not found", { status: 404 });
  const file = await agendaCalendar(db, convening, { trackId: track.id }, `${convening.title}: ${track.name}`);
  return calendarResponse(request, file, `${convening.slug}-${track.slug}.ics`);
}
