import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { releaseDecisions, releasePreview } from "../modules/proposals/decisions.server";
import { releaseSchema } from "../modules/proposals/schema";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction } from "../lib/form-action.server";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const [preview, t] = await Promise.all([releasePreview(getDb(), convening.id), i18nServer.getFixedT(request)]);
  return { title: t("decisions14.release.title", { convening: convening.title }), convening: { slug: convening.slug, title: convening.title }, preview };
}

// A refused release (the preview went stale) must show the fresh preview, so the page's data is
// read again after any answer, a refusal too.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => formMethod === "POST" || defaultShouldRevalidate;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  // A preview that no longer matches the held decisions is refused (409) and the page shows the new one.
  return formAction(form, releaseSchema, async (v) => data({ ok: true as const, ...(await releaseDecisions(getDb(), { conveningId: convening.id, organizerId: user.id, fingerprint: v.fingerprint })) }), {
    fields: { fingerprint: "form" },
  });
}

export default function ReleaseDecisions() {
  const { convening, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const mailCount = (count: number) => t("decisions14.release.mailCount", { count });
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/proposals`}>{t("decisions14.release.back")}</Link>
      </p>
      <h1>{t("decisions14.release.heading", { convening: convening.title })}</h1>
      {actionData?.ok ? (
        <p className="notice notice--ok" role="status">
          {t("decisions14.release.released", { count: actionData.released, mails: mailCount(actionData.mails) })} <Link to="/organize/mail?status=queued">{t("organizeProposals.seeOutbox")}</Link>
        </p>
      ) : null}
      {actionData && !actionData.ok ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.message as "errors.invalid")}
        </p>
      ) : null}

      {preview.decisions === 0 ? (
        <p>{t("decisions14.release.nothing")}</p>
      ) : (
        <>
          <p>{t("decisions14.release.intro")}</p>
          <p className="release-totals">{t("decisions14.release.totals", { count: preview.decisions, mails: mailCount(preview.mails) })}</p>
          {preview.groups.map((group) => (
            <section key={group.decision} aria-labelledby={`group-${group.decision}`} className="release-group">
              <h2 id={`group-${group.decision}`}>{t(`decisions14.release.group.${group.decision}`, { count: group.proposals.length, mails: mailCount(group.mails.length) })}</h2>
              <h3>{t("decisions14.release.proposals")}</h3>
              <ul className="release-proposals">
                {group.proposals.map((p) => (
                  <li key={p.id}>
                    <strong>{p.title}</strong>
                    <div className="muted">{p.message ? t("decisions14.release.withMessage", { message: p.message }) : t("decisions14.release.noMessage")}</div>
                    {p.facilitators === 0 ? <div>{t("decisions14.release.noRecipients")}</div> : null}
                  </li>
                ))}
              </ul>
              {group.mails.map((mail) => (
                <MailPreview key={`${mail.proposalId}-${mail.email}`} mail={mail} />
              ))}
            </section>
          ))}
          {preview.alreadySent.length ? (
            <section aria-labelledby="already-sent" className="release-group">
              <h2 id="already-sent">{t("decisions14.release.alreadySent", { count: preview.alreadySent.length })}</h2>
              {preview.alreadySent.map((mail) => (
                <MailPreview key={`${mail.proposalId}-${mail.email}`} mail={mail} />
              ))}
            </section>
          ) : null}
          <Form method="post" className="cta">
            <CsrfInput />
            <input type="hidden" name="fingerprint" value={preview.fingerprint} />
            <button type="submit" className="button">
              {t("decisions14.release.confirm", { count: preview.decisions, mails: mailCount(preview.mails) })}
            </button>
          </Form>
        </>
      )}
    </>
  );
}

interface PreviewedMail {
  proposalTitle: string;
  recipient: string;
  email: string;
  subject: string;
  text: string;
}

/** One mail as it will be sent: to whom, its subject and its text, exactly as rendered for the outbox. */
function MailPreview({ mail }: { mail: PreviewedMail }) {
  const { t } = useTranslation();
  return (
    <article className="mail-preview">
      <h3>{t("decisions14.release.to", { name: mail.recipient, email: mail.email })}</h3>
      <p className="muted">{t("decisions14.release.about", { title: mail.proposalTitle })}</p>
      <dl>
        <dt>{t("decisions14.release.subject")}</dt>
        <dd className="mail-preview__subject">{mail.subject}</dd>
        <dt>{t("decisions14.release.body")}</dt>
        <dd>
          <pre className="mail-preview__body">{mail.text}</pre>
        </dd>
      </dl>
    </article>
  );
}
