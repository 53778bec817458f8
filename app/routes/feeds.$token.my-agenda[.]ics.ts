// A person's agenda as a calendar feed, at a secret address that needs no cookie.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarResponse, personalAgendaCalendar, personForFeed } from "../modules/calendar/feeds.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const personId = await personForFeed(db, params.token ?? "", "agenda");
  if (personId === null) throw new Response("Not found", { status: 404 });
  const file = await personalAgendaCalendar(db, personId);
  return calendarResponse(request, file, "my-agenda.ics");
}
