// The organizer's CSV of the filtered registrations. Sensitive columns only on request, and
// every export is written to the audit log.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConveningOrganizer } from "../modules/convenings/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../modules/i18n/i18next.server";
import { writeAudit } from "../modules/privacy/audit.server";
import { registrationsCsv } from "../modules/registration/csv.server";
import { registrationsForExport } from "../modules/registration/queries.server";
import { filtersSchema } from "../modules/registration/schema";
import { getDb } from "../utils/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const search = new URL(request.url).searchParams;
  const filters = filtersSchema.parse(Object.fromEntries(search));
  const sensitive = search.get("sensitive") === "1";
  const [rows, tracks, t] = await Promise.all([
    registrationsForExport(db, convening.id, filters, sensitive),
    listTracks(db, convening.id),
    i18nServer.getFixedT(request),
  ]);
  await writeAudit(db, {
    actorId: user.id,
    action: sensitive ? "registration.exported_sensitive" : "registration.exported",
    subjectType: "convening",
    subjectId: convening.id,
    conveningId: convening.id,
    details: { rows: rows.length, filters },
  });
  const body = registrationsCsv(rows, new Map(tracks.map((tr) => [tr.id, tr.name])), sensitive, t);
  const name = `${convening.slug}-registrations${sensitive ? "-sensitive" : ""}.csv`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
