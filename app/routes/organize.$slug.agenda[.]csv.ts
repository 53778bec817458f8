// The published agenda as CSV for organizers: one row per session or fixed item.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { publishedAgenda } from "../modules/agenda/published.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { neutralizeFormula } from "../modules/registration/csv.server";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const [agenda, tracks, t] = await Promise.all([publishedAgenda(db, convening.id), listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  if (!agenda) throw new Response("The agenda has not been published yet.", { status: 404 });
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  const rows = agenda.entries.map((e) =>
    [
      formatInstant(e.starts_at, convening.time_zone, convening.locale),
      String(e.minutes),
      e.room_name,
      e.title,
      e.format ?? "",
      e.trackIds.map((id) => trackName.get(id) ?? "").join("; "),
      e.facilitators.join("; "),
    ].map(neutralizeFormula),
  );
  const header = [t("agendaCsv.start"), t("agendaCsv.minutes"), t("agendaCsv.room"), t("agendaCsv.title"), t("agendaCsv.format"), t("agendaCsv.tracks"), t("agendaCsv.facilitators")];
  return new Response(`\uFEFF${stringify([header, ...rows], { record_delimiter: "\r\n" })}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${convening.slug}-agenda-v${agenda.version.number}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
