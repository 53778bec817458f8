import type { LoaderFunctionArgs } from "@remix-run/node";
import { scheduleInput } from "../modules/calendar/feeds.server";
import { scheduleXml } from "../modules/calendar/schedule-format";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const input = await scheduleInput(db, convening);
  if (!input) throw new Response("The agenda has not been published yet.", { status: 404 });
  return new Response(scheduleXml(input), {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
