import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listPublicConvenings } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatDayRange } from "../lib/format";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18nServer.getFixedT(request);
  const convenings = await listPublicConvenings(getDb());
  return { title: t("home.title"), convenings };
}

export default function Home() {
  const { convenings } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("home.heading")}</h1>
      <p className="lead">{t("home.intro")}</p>
      <h2>{t("home.convenings")}</h2>
      {convenings.length === 0 ? (
        <p>{t("home.none")}</p>
      ) : (
        <ul className="cards">
          {convenings.map((c) => (
            <li key={c.id} className="card">
              <h3>
                <Link to={`/convenings/${c.slug}`}>{c.title}</Link>
              </h3>
              <p>{formatDayRange(c.starts_on, c.ends_on, c.locale)}</p>
              {c.venue ? <p className="muted">{c.venue}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
