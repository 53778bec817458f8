import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { conveningActions } from "../modules/actions/queries.server";
import { actionFiltersSchema } from "../modules/actions/filters";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { neutralizeFormula } from "../modules/registration/csv.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const filters = actionFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [items, t] = await Promise.all([conveningActions(getDb(), convening.id, filters), i18nServer.getFixedT(request)]);
  const header = [t("outcomes.what"), t("organizeActions.owners"), t("outcomes.dueOn"), t("organizeRegistrations.filter.status"), t("organizeActions.session"), t("outcomes.visibility"), t("organizeActions.closingNote")];
  const rows = items.map((i) => [i.title, i.owners.join("; "), i.due_on, i.status, i.session ?? "", i.visibility, i.closing_note ?? ""].map(neutralizeFormula));
  return new Response(`\uFEFF${stringify([header, ...rows], { record_delimiter: "\r\n" })}`, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${convening.slug}-actions.csv"`, "Cache-Control": "no-store" },
  });
}
