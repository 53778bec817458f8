// The audit log, for site-wide organizers: who did what, including every read of sensitive
// answers, newest first a page at a time, filtered by who acted, the action and the days. The
// filters are a GET form, kept in the address; entries cannot be changed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "../components/field";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { auditPage, auditQuerySchema } from "../features/audit/audit-page.server";
import { parseSubmission, valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

function searchForm(url: URL): FormData {
  const form = new FormData();
  for (const [key, value] of url.searchParams) form.append(key, value);
  return form;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteOrganizer(request);
  const url = new URL(request.url);
  const t = await i18nServer.getFixedT(request);
  const query = parseSubmission(auditQuerySchema, searchForm(url));
  const title = t("audit.title");
  // Filters that do not parse show their errors and no entries (400): nothing is guessed.
  if (!query.ok) {
    const page = await auditPage(getDb(), {}, t);
    return data({ title, values: query.values, errors: query.errors, entries: [], next: null, actions: page.actions, olderLink: null }, { status: 400 });
  }
  const page = await auditPage(getDb(), query.value, t);
  const older = new URLSearchParams(url.searchParams);
  if (page.next) older.set("after", page.next);
  return { title, values: query.value as Record<string, string>, errors: {} as Record<string, string[]>, ...page, olderLink: page.next ? `?${older}` : null };
}

export default function Audit() {
  const { values, errors, entries, actions, olderLink } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const value = (name: string) => valueOf(values, name) ?? "";
  return (
    <>
      <h1>{t("audit.heading")}</h1>
      <p>{t("forms14.audit.intro")}</p>
      <Form method="get" className="filters-form">
        <Field name="actor" label={t("forms14.audit.actor")} hint={t("forms14.audit.actorHint")} defaultValue={value("actor")} errors={errors.actor} />
        <SelectField name="action" label={t("audit.what")} defaultValue={value("action")} errors={errors.action} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...actions]} />
        <Field name="from" type="date" label={t("forms14.audit.from")} hint={t("forms14.audit.utc")} defaultValue={value("from")} errors={errors.from} />
        <Field name="to" type="date" label={t("forms14.audit.to")} hint={t("forms14.audit.utc")} defaultValue={value("to")} errors={errors.to} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>
      {errors.after ? (
        <p className="notice notice--error" role="alert">
          {t("forms14.audit.badPage")}
        </p>
      ) : null}
      {entries.length === 0 ? <p>{t("forms14.audit.none")}</p> : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("forms14.audit.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("forms14.audit.whenUtc")}</th>
              <th scope="col">{t("audit.who")}</th>
              <th scope="col">{t("audit.what")}</th>
              <th scope="col">{t("audit.convening")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-entry={e.id}>
                <td>
                  <time dateTime={e.at}>{e.when}</time>
                </td>
                <td>
                  {e.actor ?? t("audit.system")}
                  {e.actorEmail ? <div className="muted">{e.actorEmail}</div> : null}
                </td>
                <td>{e.sentence}</td>
                <td>{e.convening ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {olderLink ? (
        <p>
          <Link to={olderLink} rel="next">
            {t("forms14.audit.older")}
          </Link>
        </p>
      ) : null}
    </>
  );
}
