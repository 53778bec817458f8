// One session's calendar. The public address is /convenings/:slug/sessions/:id.ics; the server
// rewrites it here, because a route segment cannot be a parameter followed by ".ics".
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePublicConvening } from "../features/access/access.server";
import { idParam, requireParams } from "../lib/params";
import { agendaCalendar, calendarResponse } from "../modules/calendar/feeds.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const convening = await requirePublicConvening(params);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const file = await agendaCalendar(getDb(), convening, { proposalIds: [id] }, convening.title);
  if (!file.body.includes("BEGIN:VEVENT")) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, file, `session-${id}.ics`);
}
