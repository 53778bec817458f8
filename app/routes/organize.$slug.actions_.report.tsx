import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { commitmentsReport } from "../modules/actions/reports.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatDay } from "../lib/format";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const [report, t] = await Promise.all([commitmentsReport(getDb(), convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("report.title"),
    convening: { slug: convening.slug, title: convening.title },
    report: report
      ? {
          ...report,
          groups: report.groups.map((g) => ({ ...g, items: g.items.map((i) => ({ ...i, due: formatDay(i.due_on, report.previous.locale) })) })),
        }
      : null,
  };
}

export default function CommitmentsReport() {
  const { convening, report } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <p className="no-print">
        <Link to={`/organize/${convening.slug}/actions`}>{t("report.back")}</Link>
      </p>
      <h1>{t("report.heading")}</h1>
      {!report ? (
        <p>{t("report.none")}</p>
      ) : (
        <>
          <p className="lead">{t("report.intro", { previous: report.previous.title, total: report.total, done: report.counts.done, progress: report.counts.in_progress, open: report.counts.open, dropped: report.counts.dropped })}</p>
          {report.groups.map((g) => (
            <section key={g.trackId ?? "none"} aria-labelledby={`track-${g.trackId ?? "none"}`}>
              <h2 id={`track-${g.trackId ?? "none"}`}>{g.name ?? t("organizeActions.noSession")}</h2>
              <ul className="agenda-list">
                {g.items.map((i) => (
                  <li key={i.id} className={`agenda-item${i.overdue ? " agenda-item--clash" : ""}`}>
                    <h3>{i.title}</h3>
                    <p className="agenda-item__time">
                      {t(`actions.status.${i.status}`)} · {t("actions.due", { date: i.due })}
                      {i.overdue ? ` · ${t("actions.overdue")}` : ""}
                    </p>
                    <p>{t("outcomes.owners", { owners: i.owners.join(", ") })}</p>
                    {i.closing_note || i.lastUpdate ? <p className="muted">{i.closing_note ?? i.lastUpdate}</p> : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </>
  );
}
