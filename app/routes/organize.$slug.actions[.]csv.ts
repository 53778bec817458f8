import type { LoaderFunctionArgs } from "@remix-run/node";
import { conveningActions } from "../modules/actions/queries.server";
import { actionsCsv } from "../modules/actions/reports.server";
import { actionFiltersSchema } from "../modules/actions/filters";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const filters = actionFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [items, t] = await Promise.all([conveningActions(getDb(), convening.id, filters), i18nServer.getFixedT(request)]);
  return new Response(actionsCsv(items, t), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${convening.slug}-actions.csv"`, "Cache-Control": "no-store" },
  });
}
