import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { participantDirectory } from "../modules/registration/queries.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";
import { peopleHeld } from "../modules/registration/policy";
import { loadViewer } from "../modules/registration/viewer.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const [held, t] = await Promise.all([loadViewer(db, user, convening.id).then(peopleHeld), i18nServer.getFixedT(request)]);
  // Someone not confirmed is refused the list, and told in a plain sentence when (or whether) they will see it.
  if (held) return data({ title: t("directory.title"), slug: convening.slug, held, people: [], tracks: [] }, { status: 403 });
  const [people, tracks] = await Promise.all([participantDirectory(db, convening.id), listTracks(db, convening.id)]);
  return { title: t("directory.title"), slug: convening.slug, held, people, tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })) };
}

export default function Directory() {
  const { slug, held, people, tracks } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  if (held) {
    return (
      <div className="narrow">
        <h1>{t("directory.heading")}</h1>
        <p className="notice notice--warn">{t(`vetting.directory.${held}`)}</p>
        <p>
          <Link to={`/convenings/${slug}/register`}>{t("vetting.yourRegistration")}</Link>
        </p>
      </div>
    );
  }
  return (
    <>
      <h1>{t("directory.heading")}</h1>
      <p>{t("directory.intro")}</p>
      <p className="muted">{t("directory.count", { count: people.length })}</p>
      {people.length === 0 ? null : (
        <ul className="cards">
          {people.map((p) => (
            <li key={p.id} className="card">
              <h2 className="h3">
                {p.name}
                {p.pronouns ? <span className="muted"> ({p.pronouns})</span> : null}
              </h2>
              {p.organization ? <p>{p.organization}</p> : null}
              {p.trackIds.length ? <p className="muted">{p.trackIds.map((id) => trackName.get(id)).filter(Boolean).join(" · ")}</p> : null}
              {p.email ? (
                <p>
                  <a href={`mailto:${p.email}`}>{p.email}</a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
