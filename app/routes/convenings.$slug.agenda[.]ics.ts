import type { LoaderFunctionArgs } from "@remix-run/node";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const file = await agendaCalendar(db, convening, {}, convening.title);
  return calendarResponse(request, file, `${convening.slug}.ics`);
}
