import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { getUser } from "../modules/auth/session.server";
import { getOwnRegistration } from "../modules/registration/queries.server";
import { isWindowOpen } from "../modules/registration/states";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { useTranslation } from "react-i18next";
import { TrackSwatch } from "../components/track-swatch";
import { formatDayRange } from "../lib/format";
import { hasTakenPlace } from "../lib/dates";
import type { loader as conveningLoader } from "./convenings.$slug";
import { Fact } from "../components/fact";
import { requirePublicConvening } from "../features/access/access.server";

export const meta: MetaFunction = ({ matches }) => {
  const parent = matches.find((m) => m.id === "routes/convenings.$slug")?.data as
    | { convening?: { title: string } }
    | undefined;
  return [{ title: parent?.convening ? `${parent.convening.title} · Convene` : "Convene" }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, convening] = await Promise.all([getUser(request), requirePublicConvening(params)]);
  const registration = user ? await getOwnRegistration(db, convening.id, user.id) : undefined;
  const now = new Date().toISOString();
  return {
    open: isWindowOpen(convening, new Date()),
    notYet: convening.status === "published" && (convening.registration_opens_at === null || convening.registration_opens_at > now),
    signedIn: user !== null,
    status: registration && registration.status !== "cancelled" ? registration.status : null,
    // Over: the page says it took place and offers no call for proposals.
    over: hasTakenPlace(convening, new Date()),
  };
}

export default function ConveningPage() {
  const { t } = useTranslation();
  const registration = useLoaderData<typeof loader>();
  const loaded = useRouteLoaderData<typeof conveningLoader>("routes/convenings.$slug");
  if (!loaded) return null;
  const { convening, tracks } = loaded;
  const at = (iso: string) => formatInstant(iso, convening.time_zone, convening.locale);
  return (
    <>
      <h1>{convening.title}</h1>
      <dl className="facts">
        <dt>{t("convening.dates")}</dt>
        <dd>{formatDayRange(convening.starts_on, convening.ends_on, convening.locale)}</dd>
        <Fact term={t("convening.venue")}>{convening.venue}</Fact>
        <dt>{t("convening.timeZone")}</dt>
        <dd>{convening.time_zone}</dd>
      </dl>
      {registration.over ? (
        <p className="notice took-place" role="status">
          {t("agenda15.convening.tookPlace", { dates: formatDayRange(convening.starts_on, convening.ends_on, convening.locale) })}
        </p>
      ) : null}
      {convening.description ? <p className="lead">{convening.description}</p> : null}
      <section className="cta" aria-labelledby="registration-heading">
        <h2 id="registration-heading">{t("convening.registration")}</h2>
        {registration.status ? (
          <p>
            {t("convening.yourStatus")} <strong>{t(`registration.status.${registration.status}`)}</strong>.{" "}
            <Link to={`/convenings/${convening.slug}/register`}>{t("convening.seeRegistration")}</Link>
            {" · "}
            <Link to={`/convenings/${convening.slug}/participants`}>{t("registration.directoryLink")}</Link>
          </p>
        ) : registration.open ? (
          <>
            <p>
              {convening.registration_closes_at
                ? t("convening.openUntil", { at: at(convening.registration_closes_at) })
                : t("convening.open")}
            </p>
            <p>
              <Link className="button" to={`/convenings/${convening.slug}/register`}>
                {registration.signedIn ? t("convening.registerNow") : t("convening.signInToRegister")}
              </Link>
            </p>
          </>
        ) : registration.notYet ? (
          <p>{convening.registration_opens_at ? t("convening.opensAt", { at: at(convening.registration_opens_at) }) : t("convening.notOpenYet")}</p>
        ) : (
          <p>{t("convening.closed")}</p>
        )}
      </section>
      <nav aria-label={t("convening.sections")}>
        <ul className="actions-list">
          <li>
            <Link to={`/convenings/${convening.slug}/agenda`}>{t("convening.agenda")}</Link>
          </li>
          <li>
            <Link to={`/convenings/${convening.slug}/sessions`}>{t("convening.sessions")}</Link>
          </li>
          {registration.over ? null : (
            <li>
              <Link to={`/convenings/${convening.slug}/proposals`}>{t("convening.propose")}</Link>
            </li>
          )}
        </ul>
      </nav>
      <h2>{t("convening.tracks")}</h2>
      <ul className="cards">
        {tracks.map((track) => (
          <li key={track.id} className="card">
            <h3>
              <TrackSwatch color={track.color} />{" "}
              {track.name}
            </h3>
            <p>{track.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
