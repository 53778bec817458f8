// A person's action-item due dates as a calendar of all-day events (their secret feed): the action
// items domain gives the items, the calendar builds the file; the two domains do not know each other.
import { createHash } from "node:crypto";
import { buildCalendar } from "../../lib/ics";
import type { Executor } from "../../platform/db.server";
import { appLink, getEnv } from "../../platform/env.server";
import { myActions } from "../../modules/actions/queries.server";
import { CANCELLED_STATUSES } from "../../modules/actions/states";
import type { CalendarFile } from "../../modules/calendar/feeds.server";

export async function actionItemsCalendar(db: Executor, personId: number, now = new Date()): Promise<CalendarFile> {
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
      stamp: now.toISOString().slice(0, 10) + "T00:00:00.000Z",
    })),
  });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, etag, lastModified: now.toUTCString() };
}
