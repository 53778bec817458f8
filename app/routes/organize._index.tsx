import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isAnyOrganizer, isSiteOrganizer } from "../modules/auth/permissions";
import { requireUser } from "../modules/auth/session.server";
import { listOrganizedConvenings } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { outboxCounts } from "../platform/mail/outbox.server";
import { getDb } from "../platform/db.server";
import { formatDayRange } from "../lib/format";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!isAnyOrganizer(user.roles) && !user.roles.some((r) => r.role === "reviewer")) throw new Response("Forbidden", { status: 403 });
  const db = getDb();
  const t = await i18nServer.getFixedT(request);
  const site = isSiteOrganizer(user.roles);
  const convenings = await listOrganizedConvenings(db, user.id);
  return { title: t("organize.title"), site, mail: site ? await outboxCounts(db) : null, convenings };
}

export default function Organize() {
  const { site, mail, convenings } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("organize.heading")}</h1>
      <h2>{t("organize.convenings")}</h2>
      {site ? (
        <p>
          <Link to="/organize/convenings/new">{t("organize.newConvening")}</Link>
        </p>
      ) : null}
      <ul className="cards">
        {convenings.map((c) => (
          <li key={c.id} className="card">
            <h3>{c.title}</h3>
            <p>
              {formatDayRange(c.starts_on, c.ends_on, c.locale)} · <strong>{t(`conveningLife.status.${c.status}`)}</strong>
            </p>
            <ul className="actions-list">
              {c.organizer ? (
                <>
                  <li>
                    <Link to={`/organize/${c.slug}`} aria-label={t("conveningLife.overviewOf", { convening: c.title })}>
                      {t("conveningLife.overview")}
                    </Link>
                  </li>
                  <li>
                    <Link to={`/organize/${c.slug}/registrations`}>{t("organize.registrations")}</Link>
                  </li>
                  <li>
                    <Link to={`/organize/${c.slug}/agenda`}>{t("convening.agenda")}</Link>
                  </li>
                  <li>
                    <Link to={`/organize/${c.slug}/actions`}>{t("organize.actions")}</Link>
                  </li>
                  <li>
                    <Link to={`/organize/${c.slug}/messages`}>{t("groupMail.link")}</Link>
                  </li>
                </>
              ) : null}
              <li>
                <Link to={`/organize/${c.slug}/proposals`}>{c.organizer ? t("organize.proposals") : t("organize.review")}</Link>
              </li>
            </ul>
          </li>
        ))}
      </ul>
      {site && mail ? (
        <section aria-labelledby="mail-heading" className="card">
          <h2 id="mail-heading">{t("organize.mail.heading")}</h2>
          <p>{t("organize.mailSummary", { queued: mail.queued, sent: mail.sent, failed: mail.failed })}</p>
          <p>
            <Link to="/organize/mail">{t("organize.mail.open")}</Link> · <Link to="/organize/audit">{t("organize.audit")}</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
