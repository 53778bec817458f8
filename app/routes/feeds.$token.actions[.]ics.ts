// A person's action-item due dates as all-day events, at a secret address that needs no cookie.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { actionItemsCalendar } from "../features/feeds/action-items.server";
import { calendarResponse, personForFeed } from "../modules/calendar/feeds.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const personId = await personForFeed(db, params.token ?? "", "actions");
  if (personId === null) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, await actionItemsCalendar(db, personId), "action-items.ics");
}
