// One session's calendar. The public address is /convenings/:slug/sessions/:id.ics; the server
// rewrites it here, because a route segment cannot be a parameter followed by ".ics".
import type { LoaderFunctionArgs } from "@remix-run/node";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  const id = Number(params.id);
  if (!convening || !Number.isInteger(id) || id <= 0 || id >= 2 ** 31) throw new Response("Not found", { status: 404 });
  const file = await agendaCalendar(db, convening, { proposalIds: [id] }, convening.title);
  if (!file.body.includes("BEGIN:VEVENT")) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, file, `session-${id}.ics`);
}
