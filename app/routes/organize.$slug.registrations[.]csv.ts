// The organizer's CSV of the filtered registrations, streamed. Sensitive columns only on request,
// and every export is written to the audit log.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { i18nServer } from "../platform/i18n/i18next.server";
import { exportRegistrations } from "../modules/registration/csv.server";
import { csvValuesSchema, filtersSchema } from "../modules/registration/schema";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const search = new URL(request.url).searchParams;
  const filters = filtersSchema.parse(Object.fromEntries(search));
  const sensitive = search.get("sensitive") === "1";
  if (sensitive && !readsSensitiveOf(user.roles, convening.id)) throw new Response("Only organizers who may read sensitive answers can export them.", { status: 403 });
  const values = csvValuesSchema.parse(search.get("values"));
  const body = await exportRegistrations(db, { conveningId: convening.id, actorId: user.id, filters, sensitive, values, t: await i18nServer.getFixedT(request) });
  const name = `${convening.slug}-registrations${sensitive ? "-sensitive" : ""}.csv`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
