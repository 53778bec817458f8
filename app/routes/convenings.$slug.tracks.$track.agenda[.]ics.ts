import type { LoaderFunctionArgs } from "@remix-run/node";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  // A track address holding a NUL character names nothing (and PostgreSQL refuses to compare one).
  const slug = params.track ?? "";
  if (!convening || slug.includes("\u0000")) throw new Response("Not found", { status: 404 });
  const track = await db.selectFrom("tracks").select(["id", "slug", "name"]).where("convening_id", "=", convening.id).where("slug", "=", slug).executeTakeFirst();
  if (!track) throw new Response("Not found", { status: 404 });
  const file = await agendaCalendar(db, convening, { trackId: track.id }, `${convening.title}: ${track.name}`);
  return calendarResponse(request, file, `${convening.slug}-${track.slug}.ics`);
}
