import type { MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TrackSwatch } from "../components/track-swatch";
import { formatDayRange } from "../utils/format";
import type { loader as conveningLoader } from "./convenings.$slug";

export const meta: MetaFunction = ({ matches }) => {
  const parent = matches.find((m) => m.id === "routes/convenings.$slug")?.data as
    | { convening?: { title: string } }
    | undefined;
  return [{ title: parent?.convening ? `${parent.convening.title} · Convene` : "Convene" }];
};

export default function ConveningPage() {
  const { t } = useTranslation();
  const loaded = useRouteLoaderData<typeof conveningLoader>("routes/convenings.$slug");
  if (!loaded) return null;
  const { convening, tracks } = loaded;
  return (
    <>
      <h1>{convening.title}</h1>
      <dl className="facts">
        <dt>{t("convening.dates")}</dt>
        <dd>{formatDayRange(convening.starts_on, convening.ends_on, convening.locale)}</dd>
        {convening.venue ? (
          <>
            <dt>{t("convening.venue")}</dt>
            <dd>{convening.venue}</dd>
          </>
        ) : null}
        <dt>{t("convening.timeZone")}</dt>
        <dd>{convening.time_zone}</dd>
      </dl>
      {convening.description ? <p className="lead">{convening.description}</p> : null}
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
