// One message in the outbox, for site organizers: to whom, what, its state and, when it was not
// delivered, why; its text unless it holds a secret (a sign-in link), which is never read here.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { retryMail } from "../platform/mail/outbox.server";
import { outboxMessage } from "../platform/mail/outbox-view.server";
import { isTemplateName } from "../../emails/index";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { idParam, requireParams } from "../lib/params";

export const meta = titleMeta;

const paramsSchema = z.object({ id: idParam });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSiteOrganizer(request);
  const { id } = requireParams(params, paramsSchema);
  const [mail, t] = await Promise.all([outboxMessage(getDb(), id), i18nServer.getFixedT(request)]);
  if (!mail) throw new Response("Not found", { status: 404 });
  const at = (iso: string | null) => (iso ? `${formatInstant(iso, "UTC", "en-GB")} UTC` : null);
  return {
    title: t("mail14.messageTitle", { id: mail.id }),
    mail: {
      id: mail.id,
      to: mail.to_address,
      recipientName: mail.recipient_name,
      kind: isTemplateName(mail.template) ? t(`mail14.kind.${mail.template}`) : mail.template,
      subject: mail.subject,
      status: mail.status,
      attempts: mail.attempts,
      queuedAt: at(mail.created_at),
      sentAt: at(mail.sent_at),
      nextAttemptAt: mail.status === "queued" ? at(mail.next_attempt_at) : null,
      secret: mail.secret ? (mail.template === "facilitator-invitation" ? ("invitation" as const) : ("signIn" as const)) : null,
      text: mail.text,
      error: mail.status === "sent" ? null : mail.error,
      failure: mail.status === "sent" ? null : mail.failure,
    },
  };
}

const retrySchema = z.object({ intent: z.literal("retry", "errors.invalid") });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const { id } = requireParams(params, paramsSchema);
  const form = await readForm(request);
  return formAction(
    form,
    retrySchema,
    async () => {
      const retried = await retryMail(getDb(), { id, actorId: user.id });
      return data({ ok: retried, message: retried ? "organize.mail.retried" : "organize.mail.notRetryable" }, { status: retried ? 200 : 409 });
    },
    { fields: { intent: "form" } },
  );
}

export default function OutboxMessage() {
  const { mail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <>
      <p>
        <Link to="/organize/mail">{t("mail14.back")}</Link>
      </p>
      <h1>{t("mail14.messageHeading", { to: mail.to })}</h1>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--ok" : "notice--error"}`} role="status">
          {t(actionData.message as "organize.mail.retried")}
        </p>
      ) : null}
      <h2>{t("mail14.details")}</h2>
      <dl className="facts">
        <dt>{t("mail14.to")}</dt>
        <dd>{mail.to}</dd>
        {mail.recipientName ? (
          <>
            <dt>{t("mail14.recipientName")}</dt>
            <dd>{mail.recipientName}</dd>
          </>
        ) : null}
        <dt>{t("mail14.kindTerm")}</dt>
        <dd>{mail.kind}</dd>
        <dt>{t("mail14.subject")}</dt>
        <dd>{mail.subject}</dd>
        <dt>{t("mail14.state")}</dt>
        <dd>
          <span className={`status status--${mail.status}`}>{t(`organize.mail.state.${mail.status}`)}</span>
        </dd>
        <dt>{t("mail14.attempts")}</dt>
        <dd>{mail.attempts}</dd>
        <dt>{t("mail14.queuedAt")}</dt>
        <dd>{mail.queuedAt}</dd>
        <dt>{t("mail14.sentAt")}</dt>
        <dd>{mail.sentAt ?? t("mail14.never")}</dd>
        {mail.nextAttemptAt ? (
          <>
            <dt>{t("mail14.nextAttemptAt")}</dt>
            <dd>{mail.nextAttemptAt}</dd>
          </>
        ) : null}
      </dl>

      {mail.error && mail.failure ? (
        <section aria-labelledby="why-heading" className="panel">
          <h2 id="why-heading">{mail.status === "failed" ? t("mail14.whyFailed") : t("mail14.whyRetrying")}</h2>
          <p>{t(`mail14.failure.${mail.failure}`)}</p>
          <p>
            {mail.status === "failed" ? t("mail14.failedNote", { count: mail.attempts }) : mail.nextAttemptAt ? t("mail14.retryingNote", { when: mail.nextAttemptAt.replace(/ UTC$/, "") }) : null}
          </p>
          <h3>{t("mail14.serverSaid")}</h3>
          <p>
            <code>{mail.error}</code>
          </p>
          {mail.status === "failed" ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="retry" />
              <button type="submit" className="button">
                {t("organize.mail.retry")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <h2>{t("mail14.body")}</h2>
      {mail.secret ? <p>{mail.secret === "invitation" ? t("mail14.bodySecretInvitation") : t("mail14.bodySecret")}</p> : mail.text ? <pre className="mail-body">{mail.text}</pre> : <p>{t("mail14.bodyGone")}</p>}
    </>
  );
}
