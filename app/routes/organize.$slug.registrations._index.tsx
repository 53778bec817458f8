import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SUPPORT_FILTERS } from "../modules/support/schema";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ATTENDANCE, CONSTITUENCIES, REGISTRATION_STATUSES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CountTable } from "../components/count-table";
import { CheckboxField, Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { retentionDate } from "../features/account/erase.server";
import { listRegistrations, PAGE_SIZE, registrationSummary } from "../modules/registration/queries.server";
import { updateRegistrationSettings } from "../modules/registration/settings.server";
import { filtersSchema, settingsSchema } from "../modules/registration/schema";
import { getDb } from "../platform/db.server";
import { filterableQuestions } from "../modules/registration/questions.server";
import { AnswerFilterField } from "../components/registration-questions";
import { formatDay, formatInstant, toLocalInput } from "../lib/format";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { fromLocalInput } from "../lib/zoned.server";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const filters = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, summary, tracks, t, answerQuestions] = await Promise.all([
    listRegistrations(db, convening.id, filters),
    registrationSummary(db, convening.id),
    listTracks(db, convening.id),
    i18nServer.getFixedT(request),
    filterableQuestions(db, convening.id),
  ]);
  return {
    title: t("organizeRegistrations.title", { convening: convening.title }),
    convening: {
      slug: convening.slug,
      title: convening.title,
      timeZone: convening.time_zone,
      locale: convening.locale,
      opensAt: toLocalInput(convening.registration_opens_at, convening.time_zone),
      closesAt: toLocalInput(convening.registration_closes_at, convening.time_zone),
      capacity: convening.capacity_in_person,
      approvalRequired: convening.approvalRequired,
      retentionOn: convening.retention_on ?? "",
      retentionDefault: formatDay(retentionDate({ ends_on: convening.ends_on, retention_on: null }), convening.locale),
      retentionEffective: formatDay(retentionDate(convening), convening.locale),
      erasedAt: convening.sensitive_erased_at ? formatInstant(convening.sensitive_erased_at, convening.time_zone, convening.locale) : null,
    },
    filters,
    list,
    summary,
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
    pageSize: PAGE_SIZE,
    answerQuestions,
    readsSensitive: readsSensitiveOf(user.roles, convening.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  return formAction(form, settingsSchema, async ({ opensAt, closesAt, capacity, approvalRequired, retentionOn }) => {
    await updateRegistrationSettings(getDb(), {
      conveningId: convening.id,
      organizerId: user.id,
      opensAt: opensAt ? fromLocalInput(opensAt, convening.time_zone) : null,
      closesAt: closesAt ? fromLocalInput(closesAt, convening.time_zone) : null,
      capacity,
      approvalRequired,
      retentionOn: retentionOn ?? null,
    });
    return redirect(`/organize/${convening.slug}/registrations?saved=1`);
  });
}

export default function OrganizerRegistrations() {
  const { convening, filters, list, summary, tracks, pageSize, readsSensitive, answerQuestions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  const errors = actionData?.errors ?? {};
  const settingValue = (name: string, saved: string) => (actionData ? (valueOf(actionData.values, name) ?? "") : saved);
  const query = new URLSearchParams(params);
  query.delete("saved");
  query.delete("page");
  const exportQuery = (sensitive: boolean) => {
    const q = new URLSearchParams(query);
    if (sensitive) q.set("sensitive", "1");
    const s = q.toString();
    return `/organize/${convening.slug}/registrations.csv${s ? `?${s}` : ""}`;
  };
  const pages = Math.max(1, Math.ceil(list.total / pageSize));
  const pageLink = (page: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(page));
    return `?${q}`;
  };
  const label = (key: string | null, prefix: "constituency") => (key ? t(`${prefix}.${key as "other"}`) : t("organizeRegistrations.notGiven"));

  return (
    <>
      <h1>{t("organizeRegistrations.heading", { convening: convening.title })}</h1>
      <p>
        <Link to={`/organize/${convening.slug}/badges`}>{t("badgesLetters.badges.link")}</Link> · <Link to={`/organize/${convening.slug}/letters`}>{t("badgesLetters.letters.link")}</Link>
      </p>
      {params.get("saved") ? (
        <p className="notice notice--ok" role="status">
          {t("organizeRegistrations.settingsSaved")}
        </p>
      ) : null}

      <h2>{t("organizeRegistrations.summary")}</h2>
      <ul className="stats">
        <li>
          <strong>{summary.registered}</strong> {t("organizeRegistrations.registered")}
        </li>
        <li>
          <strong>{summary.byStatus.confirmed}</strong> {t("registration.status.confirmed")}
        </li>
        <li>
          <strong>
            {summary.inPersonConfirmed}
            {convening.capacity !== null ? ` / ${convening.capacity}` : ""}
          </strong>{" "}
          {t("organizeRegistrations.inPersonPlaces")}
        </li>
        <li>
          <strong>{summary.byStatus.waitlisted}</strong> {t("registration.status.waitlisted")}
        </li>
        <li>
          <strong>{summary.byStatus.pending}</strong> {t("registration.status.pending")}
        </li>
        <li>
          <strong>{summary.supportRequested}</strong> {t("organizeRegistrations.supportRequested")}
        </li>
      </ul>
      {readsSensitive ? (
        <p>
          <Link to={`/organize/${convening.slug}/support`}>{t("travelSupport.page.link")}</Link>
        </p>
      ) : null}
      <div className="breakdown">
        <CountTable caption={t("organizeRegistrations.byTrack")} rows={tracks.map((tr) => ({ key: String(tr.id), label: tr.name, count: summary.byTrack.find((b) => b.trackId === tr.id)?.count ?? 0 }))} />
        <CountTable caption={t("organizeRegistrations.byConstituency")} rows={summary.byConstituency.map((b) => ({ key: b.constituency ?? "none", label: label(b.constituency, "constituency"), count: b.count }))} />
        <CountTable caption={t("organizeRegistrations.byCountry")} rows={summary.byCountry.map((b) => ({ key: b.country ?? "none", label: b.country ?? t("organizeRegistrations.notGiven"), count: b.count }))} />
      </div>

      <p>
        {convening.erasedAt
          ? t("organizeRegistrations.retentionErased", { date: convening.erasedAt })
          : t("organizeRegistrations.retentionPlanned", { date: convening.retentionEffective })}
      </p>

      <p>
        <Link to={`/organize/${convening.slug}/registrations/questions`}>{t("registrationQuestions.link")}</Link>
      </p>
      <details className="panel" id="settings" open={Object.keys(errors).length > 0 || params.has("settings")}>
        <summary>{t("organizeRegistrations.settings")}</summary>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <p className="hint">{t("organizeRegistrations.settingsZone", { zone: convening.timeZone })}</p>
          <Field name="opensAt" type="datetime-local" label={t("organizeRegistrations.opensAt")} hint={t("organizeRegistrations.opensAtHint")} defaultValue={settingValue("opensAt", convening.opensAt)} errors={errors.opensAt} />
          <Field name="closesAt" type="datetime-local" label={t("organizeRegistrations.closesAt")} defaultValue={settingValue("closesAt", convening.closesAt)} errors={errors.closesAt} />
          <Field
            name="capacity"
            type="number"
            min={0}
            label={t("organizeRegistrations.capacity")}
            hint={t("organizeRegistrations.capacityHint")}
            defaultValue={settingValue("capacity", convening.capacity === null ? "" : String(convening.capacity))}
            errors={errors.capacity}
          />
          <CheckboxField name="approvalRequired" label={t("organizeRegistrations.approvalRequired")} defaultChecked={convening.approvalRequired} />
          <Field
            name="retentionOn"
            type="date"
            label={t("organizeRegistrations.retentionOn")}
            hint={t("organizeRegistrations.retentionHint", { date: convening.retentionDefault })}
            defaultValue={settingValue("retentionOn", convening.retentionOn)}
            errors={errors.retentionOn}
          />
          <div>
            <button type="submit" className="button">
              {t("organizeRegistrations.saveSettings")}
            </button>
          </div>
        </Form>
      </details>

      <h2>{t("organizeRegistrations.list")}</h2>
      <Form method="get" className="filters-form">
        <SelectField name="status" label={t("organizeRegistrations.filter.status")} defaultValue={filters.status ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))]} />
        <SelectField name="track" label={t("organizeRegistrations.filter.track")} defaultValue={filters.track ? String(filters.track) : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]} />
        <SelectField name="constituency" label={t("organizeRegistrations.filter.constituency")} defaultValue={filters.constituency ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...CONSTITUENCIES.map((c) => ({ value: c, label: t(`constituency.${c}`) }))]} />
        <SelectField name="attendance" label={t("organizeRegistrations.filter.attendance")} defaultValue={filters.attendance ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...ATTENDANCE.map((a) => ({ value: a, label: t(`registration.attendanceShort.${a}`) }))]} />
        <SelectField name="support" label={t("organizeRegistrations.filter.support")} defaultValue={filters.support ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...SUPPORT_FILTERS.filter((f) => f !== "asked").map((f) => ({ value: f, label: t(`travelSupport.filter.${f}`) }))]} />
        <AnswerFilterField questions={answerQuestions} value={filters.answer} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>
      <p role="status">{t("organizeRegistrations.matching", { count: list.total })}</p>
      <p className="actions">
        <a href={exportQuery(false)}>{t("organizeRegistrations.export")}</a>
        {readsSensitive ? <a href={exportQuery(true)}>{t("organizeRegistrations.exportSensitive")}</a> : null}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("organizeRegistrations.col.name")}</th>
              <th scope="col">{t("organizeRegistrations.col.status")}</th>
              <th scope="col">{t("organizeRegistrations.col.attendance")}</th>
              <th scope="col">{t("organizeRegistrations.col.tracks")}</th>
              <th scope="col">{t("organizeRegistrations.col.constituency")}</th>
              <th scope="col">{t("organizeRegistrations.col.country")}</th>
              <th scope="col">{t("organizeRegistrations.col.support")}</th>
              <th scope="col">{t("organizeRegistrations.col.registeredAt")}</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/organize/${convening.slug}/registrations/${r.id}`}>{r.display_name}</Link>
                </td>
                <td>
                  {t(`registration.status.${r.status}`)}
                  {r.attended_at ? ` · ${t("organizeRegistrations.attended")}` : ""}
                </td>
                <td>{t(`registration.attendanceShort.${r.attendance}`)}</td>
                <td>{r.trackIds.map((id) => trackName.get(id)).join(", ")}</td>
                <td>{label(r.constituency, "constituency")}</td>
                <td>{r.country ?? ""}</td>
                <td>{r.support_requested ? t("registration.yes") : t("registration.no")}</td>
                <td>{formatInstant(r.created_at, convening.timeZone, convening.locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav aria-label={t("organizeRegistrations.pages")}>
          <ul className="pager">
            {filters.page > 1 ? (
              <li>
                <Link to={pageLink(filters.page - 1)}>{t("organizeRegistrations.previous")}</Link>
              </li>
            ) : null}
            <li>{t("organizeRegistrations.pageOf", { page: filters.page, pages })}</li>
            {filters.page < pages ? (
              <li>
                <Link to={pageLink(filters.page + 1)}>{t("organizeRegistrations.next")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
