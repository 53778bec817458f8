// A person's action-item due dates as all-day events, at a secret address that needs no cookie.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { myActions } from "../modules/actions/queries.server";
import { CANCELLED_STATUSES } from "../modules/actions/states";
import { calendarResponse, personForFeed } from "../modules/calendar/feeds.server";
import { buildCalendar } from "../lib/ics";
import { getDb } from "../platform/db.server";
import { appLink, getEnv } from "../platform/env.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const personId = await personForFeed(db, params.token ?? "", "actions");
  if (personId === null) throw new Response("Not found", { status: 404 });
  const items = await myActions(db, personId);
  const body = buildCalendar({
    name: "Action items",
    timeZone: "UTC",
    events: items.map((i) => ({
      uid: `action-${i.id}@${getEnv().appUrl.hostname}`,
      sequence: 0,
      start: i.due_on,
      minutes: 0,
      allDay: true,
      summary: i.title,
      description: `${i.convening}${i.session ? ` · ${i.session}` : ""}\n\n${appLink("/actions")}`,
      location: "",
      categories: [],
      url: appLink("/actions"),
      status: CANCELLED_STATUSES.includes(i.status) ? "cancelled" : "confirmed",
      stamp: new Date().toISOString().slice(0, 10) + "T00:00:00.000Z",
    })),
  });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return calendarResponse(request, { body, etag, lastModified: new Date().toUTCString() }, "action-items.ics");
}
