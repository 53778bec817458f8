import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TrackSwatch } from "../components/track-swatch";
import { publishedAgenda } from "../modules/agenda/published.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { dateFormat, formatDay, formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";

export const meta = titleMeta;

/** Above this many entries the agenda is shown one day at a time. */
const ONE_PAGE = 150;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const [agenda, tracks, t] = await Promise.all([publishedAgenda(db, convening.id), listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  const url = new URL(request.url);
  const trackFilter = Number(url.searchParams.get("track")) || null;
  const dayFormat = dateFormat("en-CA", { timeZone: convening.time_zone });
  const timeFormat = dateFormat(convening.locale, { timeStyle: "short", timeZone: convening.time_zone });
  const dayOf = (iso: string) => dayFormat.format(new Date(iso));
  const time = (iso: string) => timeFormat.format(new Date(iso)).replace(/[\u2009\u202F\u00A0]/g, " ");
  const all = (agenda?.entries ?? [])
    .filter((e) => !trackFilter || e.trackIds.includes(trackFilter) || e.proposal_id === null)
    .map((e) => ({ entry: e, day: dayOf(e.starts_at) }));
  const allDays = [...new Set(all.map((e) => e.day))].map((d) => ({ value: d, label: formatDay(d, convening.locale, { weekday: "long", day: "numeric", month: "long" }) }));
  // A large agenda (a conference of a thousand sessions) is shown one day at a time.
  const paged = all.length > ONE_PAGE;
  const asked = url.searchParams.get("day");
  const shownDay = paged ? (allDays.find((d) => d.value === asked) ?? allDays[0])?.value : undefined;
  // Only what is shown is formatted and sent.
  const entries = all
    .filter((e) => !shownDay || e.day === shownDay)
    .map(({ entry: e, day }) => ({
      id: e.id,
      proposal_id: e.proposal_id,
      title: e.title,
      room_name: e.room_name,
      format: e.format,
      trackIds: e.trackIds,
      facilitators: e.facilitators,
      abstract: e.abstract,
      day,
      from: time(e.starts_at),
      to: time(new Date(Date.parse(e.starts_at) + e.minutes * 60_000).toISOString()),
    }));
  const days = shownDay ? allDays.filter((d) => d.value === shownDay) : allDays;
  return {
    title: t("agenda.publicTitle", { convening: convening.title }),
    slug: convening.slug,
    zone: convening.time_zone,
    version: agenda ? { ...agenda.version, publishedLabel: formatInstant(agenda.version.publishedAt, convening.time_zone, convening.locale) } : null,
    days,
    dayLinks: paged ? allDays.map((d) => ({ ...d, current: d.value === shownDay })) : null,
    entries,
    trackFilter,
    tracks: tracks.map((tr) => ({ id: tr.id, slug: tr.slug, name: tr.name, color: tr.color })),
  };
}

export default function PublicAgenda() {
  const { slug, zone, version, days, dayLinks, entries, trackFilter, tracks } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const track = new Map(tracks.map((tr) => [tr.id, tr]));
  return (
    <>
      <h1>{t("agenda.publicHeading")}</h1>
      {!version ? (
        <p>{t("agenda.notPublished")}</p>
      ) : (
        <>
          <p className="muted">
            {t("agenda.versionLine", { number: version.number, at: version.publishedLabel })} {t("agenda.timesIn", { zone })}
          </p>
          {version.note ? <p>{version.note}</p> : null}
          {version.number > 1 && version.changes.length ? (
            <details className="panel">
              <summary>{t("agenda.changesInVersion", { count: version.changes.length })}</summary>
              <ul>
                {version.changes.map((c, i) => (
                  <li key={i}>{t(`agenda.change.${c.kind}`, { title: c.title })}</li>
                ))}
              </ul>
            </details>
          ) : null}
          <Form method="get" className="filters-form">
            <div className="field">
              <label htmlFor="track-filter">{t("agenda.filterTrack")}</label>
              <select id="track-filter" name="track" defaultValue={trackFilter ? String(trackFilter) : ""}>
                <option value="">{t("agenda.allTracks")}</option>
                {tracks.map((tr) => (
                  <option key={tr.id} value={tr.id}>
                    {tr.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit" className="button button--secondary">
                {t("organizeRegistrations.filter.apply")}
              </button>
            </div>
          </Form>
          <p>
            <Link to={`/convenings/${slug}/my-agenda`}>{t("agenda.myAgendaLink")}</Link> ·{" "}
            <a href={`/convenings/${slug}/agenda.ics`}>{t("calendar.wholeAgenda")}</a>
            {trackFilter ? (
              <>
                {" · "}
                <a href={`/convenings/${slug}/tracks/${tracks.find((tr) => tr.id === trackFilter)?.slug ?? ""}/agenda.ics`}>{t("calendar.trackAgenda")}</a>
              </>
            ) : null}
          </p>
          {dayLinks ? (
            <nav aria-label={t("agenda.days")}>
              <ul className="day-links">
                {dayLinks.map((d) => (
                  <li key={d.value}>
                    <Link to={`?day=${d.value}${trackFilter ? `&track=${trackFilter}` : ""}`} aria-current={d.current ? "page" : undefined}>
                      {d.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {days.map((day) => (
            <section key={day.value} aria-labelledby={`day-${day.value}`}>
              <h2 id={`day-${day.value}`}>{day.label}</h2>
              <ol className="agenda-list">
                {entries
                  .filter((e) => e.day === day.value)
                  .map((e) => (
                    <li key={e.id} className={`agenda-item${e.proposal_id ? "" : " agenda-item--fixed"}`}>
                      <p className="agenda-item__time">
                        {e.from}–{e.to}
                        {e.room_name ? ` · ${e.room_name}` : ""}
                      </p>
                      {e.proposal_id ? (
                        <>
                          <h3>
                            <Link to={`/convenings/${slug}/sessions/${e.proposal_id}`}>{e.title}</Link>
                          </h3>
                          <p className="muted">
                            {e.format ? t(`format.${e.format}`) : ""}
                            {e.trackIds.length > 1 ? ` · ${t("sessions.crossTrack")}` : ""}
                          </p>
                          <p>
                            {e.trackIds.map((id) => (
                              <span key={id} className="track-tag">
                                <TrackSwatch color={track.get(id)?.color ?? "#999"} /> {track.get(id)?.name}
                              </span>
                            ))}
                          </p>
                          {e.facilitators.length ? <p>{t("sessions.with", { names: e.facilitators.join(", ") })}</p> : null}
                          {e.abstract ? <p>{e.abstract}</p> : null}
                        </>
                      ) : (
                        <h3>{e.title}</h3>
                      )}
                    </li>
                  ))}
              </ol>
            </section>
          ))}
        </>
      )}
    </>
  );
}
