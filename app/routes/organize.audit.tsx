// The audit log, for site-wide organizers: who did what, including every read of sensitive
// answers. There is no form here: entries cannot be changed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "../components/field";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { listAudit } from "../platform/audit.server";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteOrganizer(request);
  // NUL characters are dropped: no action holds one, and PostgreSQL refuses to compare one.
  const action = new URL(request.url).searchParams.get("action")?.replaceAll("\u0000", "").trim().slice(0, 60) || undefined;
  const [entries, t] = await Promise.all([listAudit(getDb(), { action }), i18nServer.getFixedT(request)]);
  return { title: t("audit.title"), action: action ?? "", entries: entries.map((e) => ({ ...e, when: formatInstant(e.at, "UTC", "en-GB") })) };
}

export default function Audit() {
  const { action, entries } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("audit.heading")}</h1>
      <p>{t("audit.intro")}</p>
      <Form method="get" className="filters-form">
        <Field name="action" label={t("audit.filter")} hint={t("audit.filterHint")} defaultValue={action} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("audit.when")}</th>
              <th scope="col">{t("audit.who")}</th>
              <th scope="col">{t("audit.what")}</th>
              <th scope="col">{t("audit.subject")}</th>
              <th scope="col">{t("audit.convening")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{e.when} UTC</td>
                <td>{e.actor ?? t("audit.system")}</td>
                <td>{e.action}</td>
                <td>
                  {e.subject_type} {e.subject_id ?? ""}
                </td>
                <td>{e.convening ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
