import type { LoaderFunctionArgs } from "@remix-run/node";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { getDb } from "../platform/db.server";
import { requirePublicConvening } from "../features/access/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const file = await agendaCalendar(db, convening, {}, convening.title);
  return calendarResponse(request, file, `${convening.slug}.ics`);
}
