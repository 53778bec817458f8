import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { listOutbox, outboxCounts, retryMail, type OutboxFilter } from "../platform/mail/outbox.server";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { idNumber } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

const FILTERS = ["all", "queued", "sent", "failed"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteOrganizer(request);
  const param = new URL(request.url).searchParams.get("status") ?? "all";
  const filter: OutboxFilter = (FILTERS as readonly string[]).includes(param) ? (param as OutboxFilter) : "all";
  const db = getDb();
  const t = await i18nServer.getFixedT(request);
  const [mails, counts] = await Promise.all([listOutbox(db, filter), outboxCounts(db)]);
  return { title: t("organize.mail.title"), filter, mails, counts };
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
  const { filter, mails, counts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("organize.mail.heading")}</h1>
      <p>{t("organize.mail.intro")}</p>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--ok" : "notice--error"}`} role="status">
          {t(actionData.message as "organize.mail.retried")}
        </p>
      ) : null}
      <nav aria-label={t("organize.mail.filterLabel")}>
        <ul className="filters">
          {FILTERS.map((f) => (
            <li key={f}>
              <Link
                to={f === "all" ? "?" : `?${new URLSearchParams({ ...Object.fromEntries(params), status: f })}`}
                aria-current={filter === f ? "page" : undefined}
              >
                {t(`organize.mail.filter.${f}`)}
                {f !== "all" ? ` (${counts[f]})` : ""}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {mails.length === 0 ? (
        <p>{t("organize.mail.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">{t("organize.mail.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("organize.mail.to")}</th>
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
                  <td>{m.subject}</td>
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
    </>
  );
}
