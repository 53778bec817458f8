import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SUPPORT_FILTERS } from "../modules/support/schema";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ATTENDANCE, CONSTITUENCIES, REGISTRATION_STATUSES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CountTable } from "../components/count-table";
import { CheckboxField, ChoiceGroup, Field, SelectField, TextareaField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { retentionDate } from "../features/account/erase.server";
import { listRegistrations, registrationNames, registrationSummary } from "../modules/registration/queries.server";
import { updateRegistrationSettings } from "../modules/registration/settings.server";
import { BULK_DECISIONS, bulkSchema, encodeCursor, REGISTRATION_LIMITS, SEARCH_MAX, settingsSchema, SORTS, tableSchema, type Cursor, type Sort } from "../modules/registration/schema";
import { canMarkAttendance } from "../modules/registration/policy";
import { decideRegistrations } from "../features/registration/bulk.server";
import { BULK_OUTCOMES, bulkResultParams, readBulkResult, withoutBulkResult } from "../features/registration/bulk-result";
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
  const search = new URL(request.url).searchParams;
  const view = tableSchema.parse(Object.fromEntries(search));
  const done = readBulkResult(search, BULK_DECISIONS);
  const doneIds = done ? Object.values(done.outcomes).flat() : [];
  const [list, summary, tracks, names, t, answerQuestions] = await Promise.all([
    listRegistrations(db, convening.id, view),
    registrationSummary(db, convening.id),
    listTracks(db, convening.id),
    registrationNames(db, convening.id, doneIds),
    i18nServer.getFixedT(request),
    filterableQuestions(db, convening.id),
  ]);
  const cursor = (c: Cursor | null) => (c ? encodeCursor(c) : null);
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
      attendanceOpen: canMarkAttendance(convening, new Date()),
    },
    view: { ...view, after: undefined, before: undefined },
    list: { ...list, next: cursor(list.next), previous: cursor(list.previous), first: Boolean(view.after || view.before) },
    // What the last bulk action did, person by person (names as organizers see them in the table).
    done: done
      ? {
          decision: done.decision,
          outcomes: BULK_OUTCOMES.flatMap((outcome) => {
            const ids = done.outcomes[outcome] ?? [];
            return ids.length ? [{ outcome, names: ids.map((id) => names.get(id) ?? t("registrationsTable.unknownRow", { id })) }] : [];
          }),
        }
      : null,
    summary,
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
    answerQuestions,
    readsSensitive: readsSensitiveOf(user.roles, convening.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  if (form.get("intent") === "bulk") {
    return formAction(
      form,
      bulkSchema,
      async ({ bulk, ids, message }) => {
        const result = await decideRegistrations(getDb(), { conveningId: convening.id, organizerId: user.id, ids, decision: bulk, message });
        // Back to the same view (filters, order, page), saying what was done; the ticks are gone.
        const query = bulkResultParams(result, new URL(request.url).searchParams);
        query.delete("saved");
        return redirect(`/organize/${convening.slug}/registrations?${query}`);
      },
      { echo: { intent: "bulk" as const } },
    );
  }
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
  const { convening, view, list, done, summary, tracks, readsSensitive, answerQuestions } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const location = useLocation();
  const { t } = useTranslation();
  const bulkAnswer = answer && "intent" in answer ? answer : undefined;
  const actionData = bulkAnswer ? undefined : answer;
  const errors = actionData?.errors ?? {};
  const settingValue = (name: string, saved: string) => (actionData ? (valueOf(actionData.values, name) ?? "") : saved);
  // The view's own parameters (filters, order), without the page's cursor or what the last action said.
  const query = withoutBulkResult(params);
  query.delete("saved");
  const here = new URLSearchParams(query);
  query.delete("after");
  query.delete("before");
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
      {done ? <BulkDone decision={done.decision} outcomes={done.outcomes} /> : null}
      {/* Keyed by the address, so its choices follow the view after each navigation. */}
      <Form method="get" className="filters-form" key={location.search}>
        <Field name="q" type="search" label={t("registrationsTable.search")} hint={t("registrationsTable.searchHint")} defaultValue={view.q ?? ""} maxLength={SEARCH_MAX} />
        <SelectField name="status" label={t("organizeRegistrations.filter.status")} defaultValue={view.status ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))]} />
        <SelectField name="track" label={t("organizeRegistrations.filter.track")} defaultValue={view.track ? String(view.track) : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]} />
        <SelectField name="constituency" label={t("organizeRegistrations.filter.constituency")} defaultValue={view.constituency ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...CONSTITUENCIES.map((c) => ({ value: c, label: t(`constituency.${c}`) }))]} />
        <SelectField name="attendance" label={t("organizeRegistrations.filter.attendance")} defaultValue={view.attendance ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...ATTENDANCE.map((a) => ({ value: a, label: t(`registration.attendanceShort.${a}`) }))]} />
        <SelectField name="support" label={t("organizeRegistrations.filter.support")} defaultValue={view.support ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...SUPPORT_FILTERS.filter((f) => f !== "asked").map((f) => ({ value: f, label: t(`travelSupport.filter.${f}`) }))]} />
        <AnswerFilterField questions={answerQuestions} value={view.answer} />
        <SelectField name="sort" label={t("registrationsTable.sortBy")} defaultValue={view.sort} options={SORTS.map((sort) => ({ value: sort, label: t(`registrationsTable.sort.${sort}`) }))} />
        <SelectField name="dir" label={t("registrationsTable.order")} defaultValue={view.dir} options={[{ value: "asc", label: t("registrationsTable.asc") }, { value: "desc", label: t("registrationsTable.desc") }]} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>
      <p role="status">{t("organizeRegistrations.matching", { count: list.total })}</p>
      <ExportForm slug={convening.slug} query={query} sensitive={readsSensitive} />

      {/* Keyed by the location: after an action the page is new and nothing stays ticked. */}
      <Form method="post" className="bulk-form" key={location.key} aria-labelledby="bulk-heading" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="bulk" />
        {list.rows.map((r) => (
          <input key={r.id} type="hidden" name="pageIds" value={r.id} />
        ))}
        <h3 id="bulk-heading">{t("registrationsTable.bulk.heading")}</h3>
        {bulkAnswer && !bulkAnswer.ok ? (
          <p className="notice notice--error" role="alert">
            {t("registrationsTable.bulk.notDone")}
          </p>
        ) : null}
        <div className="bulk-controls">
          <SelectAll count={list.rows.length} />
          <SelectField
            name="bulk"
            label={t("registrationsTable.bulk.action")}
            errors={bulkAnswer?.errors.bulk}
            defaultValue={bulkAnswer ? (valueOf(bulkAnswer.values, "bulk") ?? "") : ""}
            options={[
              { value: "", label: t("registrationsTable.bulk.choose") },
              ...BULK_DECISIONS.filter((d) => d !== "attended" || convening.attendanceOpen).map((d) => ({ value: d, label: t(`registrationsTable.bulk.${d}`) })),
            ]}
          />
          <TextareaField
            name="message"
            label={t("registrationsTable.bulk.message")}
            hint={t("registrationsTable.bulk.messageHint")}
            maxLength={REGISTRATION_LIMITS.message}
            errors={bulkAnswer?.errors.message}
            defaultValue={bulkAnswer ? (valueOf(bulkAnswer.values, "message") ?? "") : ""}
          />
          <div>
            <button type="submit" className="button">
              {t("registrationsTable.bulk.apply")}
            </button>
          </div>
        </div>
        {bulkAnswer?.errors.ids ? (
          <p className="field-error" id="bulk-ids-error">
            {t(bulkAnswer.errors.ids[0] as "registrationsTable.errors.chooseRows")}
          </p>
        ) : null}
        <RegistrationsTable rows={list.rows} tracks={tracks} convening={convening} view={view} query={query} invalid={Boolean(bulkAnswer?.errors.ids)} />
      </Form>
      <Pager list={list} here={here} />
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function SortHeader({ sort, label, view, query }: { sort: Sort; label: string; view: LoaderData["view"]; query: URLSearchParams }) {
  const { t } = useTranslation();
  const current = view.sort === sort;
  const q = new URLSearchParams(query);
  q.set("sort", sort);
  q.set("dir", current && view.dir === "asc" ? "desc" : "asc");
  return (
    <th scope="col" aria-sort={current ? (view.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?${q}`}>
        {label}
        {current ? <span aria-hidden="true">{view.dir === "asc" ? " ▲" : " ▼"}</span> : null}
        {current ? <span className="visually-hidden"> {t(view.dir === "asc" ? "registrationsTable.sortedAsc" : "registrationsTable.sortedDesc")}</span> : null}
      </Link>
    </th>
  );
}

function RegistrationsTable({ rows, tracks, convening, view, query, invalid }: { rows: LoaderData["list"]["rows"]; tracks: LoaderData["tracks"]; convening: LoaderData["convening"]; view: LoaderData["view"]; query: URLSearchParams; invalid: boolean }) {
  const { t } = useTranslation();
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  const label = (key: string | null) => (key ? t(`constituency.${key as "other"}`) : t("organizeRegistrations.notGiven"));
  const header = (sort: Sort, text: string) => <SortHeader sort={sort} label={text} view={view} query={query} />;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t("registrationsTable.select")}</span>
            </th>
            {header("name", t("organizeRegistrations.col.name"))}
            {header("status", t("organizeRegistrations.col.status"))}
            {header("attendance", t("organizeRegistrations.col.attendance"))}
            <th scope="col">{t("organizeRegistrations.col.tracks")}</th>
            {header("organization", t("registrationsTable.col.organization"))}
            {header("constituency", t("organizeRegistrations.col.constituency"))}
            {header("country", t("organizeRegistrations.col.country"))}
            {header("support", t("organizeRegistrations.col.support"))}
            {header("registered", t("organizeRegistrations.col.registeredAt"))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <input type="checkbox" name="ids" value={r.id} id={`select-${r.id}`} className="row-select" aria-invalid={invalid || undefined} aria-describedby={invalid ? "bulk-ids-error" : undefined} />
                <label htmlFor={`select-${r.id}`} className="visually-hidden">
                  {t("registrationsTable.selectRow", { name: r.display_name })}
                </label>
              </td>
              <td>
                <Link to={`/organize/${convening.slug}/registrations/${r.id}`}>{r.display_name}</Link>
              </td>
              <td>
                {t(`registration.status.${r.status}`)}
                {r.attended_at ? ` · ${t("organizeRegistrations.attended")}` : ""}
              </td>
              <td>{t(`registration.attendanceShort.${r.attendance}`)}</td>
              <td>{r.trackIds.map((id) => trackName.get(id)).join(", ")}</td>
              <td>{r.organization ?? ""}</td>
              <td>{label(r.constituency)}</td>
              <td>{r.country ?? ""}</td>
              <td>{r.support_requested ? t("registration.yes") : t("registration.no")}</td>
              <td>{formatInstant(r.created_at, convening.timeZone, convening.locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "All on this page": sent as a choice of its own, so that it works without JavaScript; with it, it also ticks the rows. */
function SelectAll({ count }: { count: number }) {
  const { t } = useTranslation();
  return (
    <div className="field checks">
      <label htmlFor="field-allOnPage">
        <input
          type="checkbox"
          id="field-allOnPage"
          name="allOnPage"
          onChange={(event) => {
            for (const box of event.currentTarget.form?.querySelectorAll<HTMLInputElement>("input.row-select") ?? []) box.checked = event.currentTarget.checked;
          }}
        />
        <span>{t("registrationsTable.selectAll", { count })}</span>
      </label>
    </div>
  );
}

function Pager({ list, here }: { list: LoaderData["list"]; here: URLSearchParams }) {
  const { t } = useTranslation();
  if (!list.next && !list.previous && !list.first) return null;
  const link = (name: "after" | "before" | null, cursor: string | null) => {
    const q = new URLSearchParams(here);
    q.delete("after");
    q.delete("before");
    if (name && cursor) q.set(name, cursor);
    return `?${q}`;
  };
  return (
    <nav aria-label={t("organizeRegistrations.pages")}>
      <ul className="pager">
        {list.first ? (
          <li>
            <Link to={link(null, null)}>{t("registrationsTable.first")}</Link>
          </li>
        ) : null}
        {list.previous ? (
          <li>
            <Link to={link("before", list.previous)} rel="prev">
              {t("registrationsTable.previous")}
            </Link>
          </li>
        ) : null}
        {list.next ? (
          <li>
            <Link to={link("after", list.next)} rel="next">
              {t("registrationsTable.next")}
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** The CSV of the rows the filters choose: words or codes, with or without the sensitive answers. */
/** The CSV export; the choice of sensitive columns only for organizers who read sensitive answers. */
function ExportForm({ slug, query, sensitive }: { slug: string; query: URLSearchParams; sensitive: boolean }) {
  const { t } = useTranslation();
  const filters = [...query.entries()].filter(([name]) => name !== "sort" && name !== "dir" && name !== "values" && name !== "sensitive");
  return (
    <details className="panel">
      <summary>{t("registrationsTable.export.heading")}</summary>
      <Form method="get" action={`/organize/${slug}/registrations.csv`} reloadDocument className="form export-form">
        {filters.map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <ChoiceGroup
          name="values"
          type="radio"
          legend={t("registrationsTable.export.values")}
          selected={["labels"]}
          options={[
            { value: "labels", label: t("registrationsTable.export.labels") },
            { value: "codes", label: t("registrationsTable.export.codes") },
          ]}
        />
        {sensitive ? (
          <ChoiceGroup
            name="sensitive"
            type="radio"
            legend={t("registrationsTable.export.columns")}
            selected={["0"]}
            options={[
              { value: "0", label: t("registrationsTable.export.plain") },
              { value: "1", label: t("registrationsTable.export.sensitive") },
            ]}
          />
        ) : null}
        <div>
          <button type="submit" className="button button--secondary">
            {t("registrationsTable.export.download")}
          </button>
        </div>
      </Form>
    </details>
  );
}

/** What the last bulk action did: a sentence, then each outcome with how many and who. */
function BulkDone({ decision, outcomes }: NonNullable<LoaderData["done"]>) {
  const { t } = useTranslation();
  const total = outcomes.reduce((n, o) => n + o.names.length, 0);
  return (
    <div className="notice notice--ok" role="status">
      <p>{t(`registrationsTable.done.${decision}`, { count: total })}</p>
      <ul>
        {outcomes.map((o) => (
          <li key={o.outcome}>
            {t(`registrationsTable.outcome.${o.outcome}`, { count: o.names.length })} {o.names.join(", ")}
          </li>
        ))}
      </ul>
    </div>
  );
}
