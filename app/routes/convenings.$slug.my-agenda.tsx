import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { feedToken, resetFeedToken } from "../modules/calendar/feeds.server";
import { appLink } from "../platform/env.server";
import { useTranslation } from "react-i18next";
import { myAgenda } from "../modules/agenda/published.server";
import { requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const [agenda, t, token] = await Promise.all([myAgenda(db, convening.id, user.id), i18nServer.getFixedT(request), feedToken(db, user.id, "agenda")]);
  const feed = appLink(`/feeds/${token}/my-agenda.ics`);
  return {
    // The person's own secret address: shown only to them.
    feed,
    webcal: feed.replace(/^https?:/, "webcal:"),
    title: t("agenda.myTitle"),
    slug: convening.slug,
    zone: convening.time_zone,
    entries: (agenda?.entries ?? []).map((e) => ({ ...e, when: formatInstant(e.starts_at, convening.time_zone, convening.locale) })),
    published: agenda !== null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  if (form.get("intent") !== "reset-feed") throw new Response("Bad request", { status: 400 });
  await resetFeedToken(getDb(), user.id, "agenda");
  throw redirect(`/convenings/${params.slug}/my-agenda?feed=reset`);
}

export default function MyAgenda() {
  const { slug, zone, entries, published, feed, webcal } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("agenda.myHeading")}</h1>
      <p>{t("agenda.myIntro")}</p>
      <section aria-labelledby="feed-heading" className="card">
        <h2 id="feed-heading" className="h3">
          {t("calendar.feedHeading")}
        </h2>
        {params.get("feed") === "reset" ? (
          <p className="notice notice--ok" role="status">
            {t("calendar.feedReset")}
          </p>
        ) : null}
        <p>{t("calendar.feedIntro")}</p>
        <p>
          <a href={webcal}>{t("calendar.subscribe")}</a> · <a href={feed}>{t("calendar.download")}</a>
        </p>
        <p className="muted breakable">{feed}</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="reset-feed" />
          <button type="submit" className="button button--secondary button--small">
            {t("calendar.resetFeed")}
          </button>
        </Form>
      </section>
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
