import type { LoaderFunctionArgs } from "@remix-run/node";
import { scheduleInput } from "../modules/calendar/feeds.server";
import { scheduleJson } from "../modules/calendar/schedule-format";
import { getDb } from "../platform/db.server";
import { requirePublicConvening } from "../features/access/access.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const input = await scheduleInput(db, convening);
  if (!input) throw new Response("The agenda has not been published yet.", { status: 404 });
  return new Response(JSON.stringify(scheduleJson(input), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
