import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { requireDeskStaff } from "../features/access/access.server";
import { deskCounts, deskEntryByCode, searchDesk, type DeskEntry } from "../features/desk/desk.server";
import { arrivalSchema, deskSearchSchema } from "../features/desk/schema";
import { readForm } from "../modules/auth/csrf.server";
import { decideRegistration } from "../modules/registration/decisions.server";
import { isDeskOpen } from "../modules/registration/states";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction } from "../lib/form-action.server";
import { dayIn } from "../lib/dates";
import { formatDay, formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening, role } = await requireDeskStaff(request, params.slug);
  const db = getDb();
  const url = new URL(request.url);
  const search = deskSearchSchema.parse({ q: url.searchParams.get("q") ?? "", code: url.searchParams.get("code") ?? "" });
  const byCode = search.code ? await deskEntryByCode(db, convening.id, search.code) : null;
  const [results, counts, t] = await Promise.all([
    search.code ? Promise.resolve(byCode ? [byCode] : []) : searchDesk(db, convening.id, search.q),
    deskCounts(db, convening.id),
    i18nServer.getFixedT(request),
  ]);
  const now = new Date();
  const open = isDeskOpen(convening, now);
  return {
    title: t("checkInDesk.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title, timeZone: convening.time_zone, locale: convening.locale },
    role,
    search,
    results,
    counts,
    desk: open ? ("open" as const) : dayIn(now, convening.time_zone) < convening.starts_on ? ("early" as const) : ("over" as const),
    startsOn: formatDay(convening.starts_on, convening.locale),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireDeskStaff(request, params.slug);
  const form = await readForm(request);
  const registrationId = Number(form.get("registrationId")) || 0;
  return formAction(
    form,
    arrivalSchema,
    async (v) => {
      await decideRegistration(getDb(), { conveningId: convening.id, registrationId: v.registrationId, organizerId: user.id, decision: v.intent === "arrived" ? "attended" : "not-attended", via: "desk" });
      return data({ ok: true as const, registrationId: v.registrationId, message: v.intent === "arrived" ? "checkInDesk.done.arrived" : "checkInDesk.done.undone" });
    },
    { echo: { registrationId } },
  );
}

type Answer = { ok: boolean; registrationId: number; message: string };

function Flags({ entry }: { entry: DeskEntry }) {
  const { t } = useTranslation();
  const flags = [
    ...entry.flags.map((f) => t(`checkInDesk.flag.${f}`)),
    ...(entry.interpretation.length ? [t("checkInDesk.flag.interpretation", { languages: entry.interpretation.join(", ") })] : []),
  ];
  if (flags.length === 0) return null;
  return (
    <ul className="desk-flags" aria-label={t("checkInDesk.flagsLabel")}>
      {flags.map((f) => (
        <li key={f}>{f}</li>
      ))}
    </ul>
  );
}

function EntryCard({ entry, open, answer }: { entry: DeskEntry; open: boolean; answer: Answer | undefined }) {
  const { t } = useTranslation();
  const { convening } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<Answer>();
  const location = useLocation();
  const shown = fetcher.data ?? answer;
  const name = entry.name ?? t("privacy.aParticipant");
  const headingId = `entry-${entry.registrationId}`;
  const arrived = entry.arrivedAt !== null;
  return (
    <li className="card desk-entry" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {name}
        {entry.pronouns ? <span className="desk-pronouns"> ({entry.pronouns})</span> : null}
      </h3>
      <p className="desk-facts">
        <strong className={entry.status === "confirmed" ? "desk-status desk-status--ok" : "desk-status desk-status--warn"}>{t(`registration.status.${entry.status}`)}</strong>
        {" · "}
        {t(`registration.attendanceShort.${entry.attendance}`)}
        {" · "}
        {arrived ? t("checkInDesk.arrivedAt", { at: formatInstant(entry.arrivedAt!, convening.timeZone, convening.locale) }) : t("checkInDesk.notArrived")}
      </p>
      <p className="hint">{t("checkInDesk.code", { code: entry.code })}</p>
      <Flags entry={entry} />
      {entry.status !== "confirmed" ? (
        <p>{t("checkInDesk.notConfirmed")}</p>
      ) : open ? (
        <fetcher.Form method="post" action={`${location.pathname}${location.search}`} className="desk-arrival">
          <CsrfInput />
          <input type="hidden" name="registrationId" value={entry.registrationId} />
          <input type="hidden" name="intent" value={arrived ? "undo" : "arrived"} />
          <button type="submit" className={arrived ? "button button--secondary desk-button" : "button desk-button"} aria-describedby={headingId} disabled={fetcher.state !== "idle"}>
            {arrived ? t("checkInDesk.undo") : t("checkInDesk.markArrived")}
          </button>
        </fetcher.Form>
      ) : null}
      {shown ? (
        <p className={`notice ${shown.ok ? "notice--ok" : "notice--error"}`} role="status">
          {t(shown.message as "checkInDesk.done.arrived", { name })}
        </p>
      ) : null}
    </li>
  );
}

export default function CheckInDesk() {
  const { convening, role, search, results, counts, desk, startsOn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const answer = actionData && "registrationId" in actionData ? (actionData as Answer) : undefined;
  const searched = search.code !== "" || search.q.trim().length >= 2;
  return (
    <div className="desk">
      <h1>{t("checkInDesk.heading")}</h1>
      <p className="hint">{convening.title}</p>
      <p className="desk-counts" role="status">
        {t("checkInDesk.counts", { arrived: counts.arrived, expected: counts.expected })}
      </p>
      {desk !== "open" ? <p className="notice notice--warn">{desk === "early" ? t("checkInDesk.early", { day: startsOn }) : t("checkInDesk.over")}</p> : null}
      <Form method="get" className="desk-search" role="search">
        <Field name="q" type="search" label={t("checkInDesk.search")} hint={t("checkInDesk.searchHint")} defaultValue={search.code || search.q} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        <button type="submit" className="button">
          {t("checkInDesk.find")}
        </button>
      </Form>
      {searched ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">{search.code ? t("checkInDesk.entryHeading") : t("checkInDesk.resultsHeading", { count: results.length })}</h2>
          {results.length === 0 ? (
            <p>{search.code ? t("checkInDesk.noCode") : t("checkInDesk.noResults")}</p>
          ) : (
            <ul className="desk-results">
              {results.map((entry) => (
                <EntryCard key={entry.registrationId} entry={entry} open={desk === "open"} answer={answer?.registrationId === entry.registrationId ? answer : undefined} />
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {role === "organizer" ? (
        <p>
          <Link to={`/organize/${convening.slug}/desk/volunteers`}>{t("checkInDesk.volunteersLink")}</Link>
        </p>
      ) : null}
    </div>
  );
}
