import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TrackSwatch } from "../components/track-swatch";
import { getPublicConvening, listTracks } from "../modules/convenings/convenings.server";
import { getUser } from "../modules/auth/session.server";
import { getSession } from "../modules/proposals/sessions.server";
import { isActiveParticipant } from "../modules/registration/queries.server";
import { getDb } from "../utils/db.server";
import { titleMeta } from "../utils/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, convening] = await Promise.all([getUser(request), getPublicConvening(db, params.slug ?? "")]);
  const id = Number(params.id);
  if (!convening || !Number.isInteger(id) || id <= 0 || id >= 2 ** 31) throw new Response("Not found", { status: 404 });
  // Proposals not yet accepted (open early for interest) are shown only to registered participants.
  const early = convening.interest_open === 1 && user !== null && (await isActiveParticipant(db, convening.id, user.id));
  const session = await getSession(db, convening.id, id, early);
  if (!session) throw new Response("Not found", { status: 404 });
  const [tracks, placed] = await Promise.all([
    listTracks(db, convening.id),
    db.selectFrom("agenda_entries").innerJoin("agenda_versions", "agenda_versions.id", "agenda_entries.version_id").select("agenda_entries.id").where("agenda_versions.convening_id", "=", convening.id).where("agenda_entries.proposal_id", "=", id).limit(1).executeTakeFirst(),
  ]);
  return { title: session.title, slug: convening.slug, session, published: placed !== undefined, tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })) };
}

export default function SessionPage() {
  const { slug, session, tracks, published } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const track = new Map(tracks.map((tr) => [tr.id, tr]));
  return (
    <article className="narrow">
      <p>
        <Link to={`/convenings/${slug}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h1>{session.title}</h1>
      <p className="muted">
        {t(`format.${session.format}`)} · {t("proposal.minutes", { count: session.length_minutes })}
        {session.trackIds.length > 1 ? ` · ${t("sessions.crossTrack")}` : ""}
      </p>
      <p>
        {session.trackIds.map((id) => (
          <span key={id} className="track-tag">
            <TrackSwatch color={track.get(id)?.color ?? "#999"} /> {track.get(id)?.name}
          </span>
        ))}
      </p>
      {session.facilitators.length ? <p>{t("sessions.with", { names: session.facilitators.join(", ") })}</p> : null}
      <p className="lead">{session.abstract}</p>
      {published ? (
        <p>
          <a href={`/convenings/${slug}/sessions/${session.id}.ics`} download>
            {t("calendar.addSession")}
          </a>
        </p>
      ) : null}
      {session.languages.length ? <p>{t("sessions.languages", { languages: session.languages.join(", ") })}</p> : null}
    </article>
  );
}
