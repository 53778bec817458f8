import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { outboxCounts, retryMail } from "../platform/mail/outbox.server";
import { listOutbox } from "../platform/mail/outbox-view.server";
import { OUTBOX_STATES } from "../platform/mail/outbox-states";
import { TEMPLATE_NAMES, isTemplateName } from "../../emails/index";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { idNumber } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

// Filters come from the address (so a filtered list can be bookmarked and works without
// scripts); a value that names nothing is ignored rather than refused.
const filterSchema = z.object({
  kind: z.string().refine(isTemplateName).optional().catch(undefined),
  state: z.enum(OUTBOX_STATES).optional().catch(undefined),
  to: z
    .string()
    .transform((s) => s.replaceAll("\u0000", "").trim().slice(0, 100) || undefined)
    .optional()
    .catch(undefined),
  before: idNumber().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteOrganizer(request);
  const params = new URL(request.url).searchParams;
  const filters = filterSchema.parse({ kind: params.get("kind") ?? undefined, state: params.get("state") ?? params.get("status") ?? undefined, to: params.get("to") ?? undefined, before: params.get("before") ?? undefined });
  const db = getDb();
  const t = await i18nServer.getFixedT(request);
  const [page, counts] = await Promise.all([listOutbox(db, { template: filters.kind, state: filters.state, recipient: filters.to, before: filters.before }), outboxCounts(db)]);
  return {
    title: t("organize.mail.title"),
    filters: { kind: filters.kind ?? "", state: filters.state ?? "", to: filters.to ?? "", before: filters.before ?? null },
    mails: page.mails.map((m) => ({ ...m, kind: isTemplateName(m.template) ? t(`mail14.kind.${m.template}`) : m.template })),
    older: page.older,
    kinds: TEMPLATE_NAMES.map((name) => ({ value: name, label: t(`mail14.kind.${name}`) })),
    counts,
  };
}

const retrySchema = z.object({
  intent: z.literal("retry", "errors.invalid"),
  id: idNumber(),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const form = await readForm(request);
  return formAction(
    form,
    retrySchema,
    async (v) => {
      const retried = await retryMail(getDb(), { id: v.id, actorId: user.id });
      return data({ ok: retried, message: retried ? "organize.mail.retried" : "organize.mail.notRetryable" }, { status: retried ? 200 : 409 });
    },
    { fields: { id: "form", intent: "form" } },
  );
}

export default function Outbox() {
  const { filters, mails, older, kinds, counts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const filtered = Boolean(filters.kind || filters.state || filters.to);
  const pageLink = (before: number | null) => {
    const q = new URLSearchParams();
    if (filters.kind) q.set("kind", filters.kind);
    if (filters.state) q.set("state", filters.state);
    if (filters.to) q.set("to", filters.to);
    if (before !== null) q.set("before", String(before));
    return `?${q}`;
  };
  return (
    <>
      <h1>{t("organize.mail.heading")}</h1>
      <p>{t("organize.mail.intro")}</p>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--ok" : "notice--error"}`} role="status">
          {t(actionData.message as "organize.mail.retried")}
        </p>
      ) : null}
      <h2 className="visually-hidden">{t("mail14.counts")}</h2>
      <ul className="stats">
        {OUTBOX_STATES.map((s) => (
          <li key={s}>
            <strong>{counts[s]}</strong> {t(`organize.mail.filter.${s}`)}
          </li>
        ))}
      </ul>
      <Form method="get" className="filters-form" aria-label={t("mail14.filters")} key={`${filters.kind}|${filters.state}|${filters.to}`}>
        <SelectField
          name="kind"
          label={t("mail14.kindLabel")}
          defaultValue={filters.kind}
          options={[{ value: "", label: t("mail14.anyKind") }, ...kinds]}
        />
        <SelectField
          name="state"
          label={t("mail14.stateLabel")}
          defaultValue={filters.state}
          options={[{ value: "", label: t("mail14.anyState") }, ...OUTBOX_STATES.map((s) => ({ value: s, label: t(`organize.mail.filter.${s}`) }))]}
        />
        <Field name="to" label={t("mail14.recipientLabel")} hint={t("mail14.recipientHint")} defaultValue={filters.to} maxLength={100} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("mail14.apply")}
          </button>
        </div>
      </Form>
      {filtered ? (
        <p>
          <Link to="/organize/mail">{t("mail14.clear")}</Link>
        </p>
      ) : null}
      {mails.length === 0 ? (
        <p>{t("organize.mail.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">{t("mail14.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("organize.mail.to")}</th>
                <th scope="col">{t("mail14.kindColumn")}</th>
                <th scope="col">{t("organize.mail.subject")}</th>
                <th scope="col">{t("organize.mail.status")}</th>
                <th scope="col">{t("organize.mail.when")}</th>
                <th scope="col">{t("organize.mail.error")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("organize.mail.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id}>
                  <td>{m.to_address}</td>
                  <td>{m.kind}</td>
                  <td>
                    <Link to={`/organize/mail/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>
                    <span className={`status status--${m.status}`}>{t(`organize.mail.state.${m.status}`)}</span>
                    {m.attempts > 0 ? <div className="muted">{t("organize.mail.attempts", { count: m.attempts })}</div> : null}
                  </td>
                  <td>{formatInstant(m.sent_at ?? m.created_at, "UTC", "en-GB")} UTC</td>
                  <td>{m.error ?? ""}</td>
                  <td>
                    {m.status === "failed" ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="id" value={m.id} />
                        <button type="submit" className="button button--small">
                          {t("organize.mail.retry")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {older !== null || filters.before !== null ? (
        <nav aria-label={t("mail14.pages")}>
          <ul className="pager">
            {filters.before !== null ? (
              <li>
                <Link to={pageLink(null)}>{t("mail14.newest")}</Link>
              </li>
            ) : null}
            {older !== null ? (
              <li>
                <Link to={pageLink(older)}>{t("mail14.older")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
