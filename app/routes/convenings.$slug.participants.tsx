import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { participantDirectory } from "../modules/registration/queries.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";
import { canSeeDirectory } from "../modules/registration/policy";
import { loadViewer } from "../modules/registration/viewer.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening(params);
  if (!canSeeDirectory(await loadViewer(db, user, convening.id))) throw new Response("Forbidden", { status: 403 });
  const [people, tracks, t] = await Promise.all([participantDirectory(db, convening.id), listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  return { title: t("directory.title"), people, tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })) };
}

export default function Directory() {
  const { people, tracks } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
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
