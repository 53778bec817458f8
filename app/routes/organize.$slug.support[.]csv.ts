// The finance team's CSV of travel-support requests: one row per kind asked. Audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSupportReader } from "../features/access/support.server";
import { supportCsv } from "../features/support/support.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireSupportReader(request, params.slug);
  const body = await supportCsv(getDb(), { conveningId: convening.id, organizerId: user.id, fullNames: readsSensitiveOf(user.roles, convening.id), t: await i18nServer.getFixedT(request) });
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${convening.slug}-travel-support.csv"`, "Cache-Control": "no-store" },
  });
}
