import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { myAgenda } from "../modules/agenda/publish.server";
import { requireUser } from "../modules/auth/session.server";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { i18nServer } from "../modules/i18n/i18next.server";
import { getDb } from "../utils/db.server";
import { formatInstant } from "../utils/format";
import { titleMeta } from "../utils/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const [agenda, t] = await Promise.all([myAgenda(db, convening.id, user.id), i18nServer.getFixedT(request)]);
  return {
    title: t("agenda.myTitle"),
    slug: convening.slug,
    zone: convening.time_zone,
    entries: (agenda?.entries ?? []).map((e) => ({ ...e, when: formatInstant(e.starts_at, convening.time_zone, convening.locale) })),
    published: agenda !== null,
  };
}

export default function MyAgenda() {
  const { slug, zone, entries, published } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("agenda.myHeading")}</h1>
      <p>{t("agenda.myIntro")}</p>
      {!published ? (
        <p>{t("agenda.notPublished")}</p>
      ) : entries.length === 0 ? (
        <p>
          {t("agenda.myEmpty")} <Link to={`/convenings/${slug}/sessions`}>{t("convening.sessions")}</Link>
        </p>
      ) : (
        <>
          <p className="muted">{t("agenda.timesIn", { zone })}</p>
          <ol className="agenda-list">
            {entries.map((e) => (
              <li key={e.id} className={`agenda-item${e.clashesWith.length ? " agenda-item--clash" : ""}`}>
                <p className="agenda-item__time">
                  {e.when} · {e.room_name}
                </p>
                <h2 className="h3">
                  <Link to={`/convenings/${slug}/sessions/${e.proposal_id}`}>{e.title}</Link>
                </h2>
                {e.facilitating ? <p>{t("agenda.youFacilitate")}</p> : null}
                {e.clashesWith.length ? (
                  <p className="notice notice--warn">{t("agenda.clashesWith", { titles: e.clashesWith.join(", ") })}</p>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
