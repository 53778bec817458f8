// Visa invitation letters for organizers: the letter template, and the requests. Passport details
// are shown (and each showing audited) only to organizers who read sensitive answers; the others
// see how many requests there are.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field, TextareaField } from "../components/field";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readForm } from "../modules/auth/csrf.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { LETTER_LIMITS, LETTER_PLACEHOLDERS, letterDecisionSchema, letterTemplateSchema } from "../modules/registration/letter-schema";
import { decideLetter, getLetterTemplate, letterRequestCounts, letterRequestsForOrganizer, saveLetterTemplate } from "../modules/registration/letters.server";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction, invalid } from "../lib/form-action.server";
import { formatDay, formatInstant } from "../lib/format";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const sensitive = readsSensitiveOf(user.roles, convening.id);
  const [template, counts, requests, t] = await Promise.all([
    getLetterTemplate(db, convening.id),
    letterRequestCounts(db, convening.id),
    sensitive ? letterRequestsForOrganizer(db, convening.id, user.id) : Promise.resolve(null),
    i18nServer.getFixedT(request),
  ]);
  return {
    title: t("badgesLetters.letters.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title, timeZone: convening.time_zone, locale: convening.locale },
    template: template ? { letterhead: template.letterhead, signerName: template.signer_name, signerRole: template.signer_role, body: template.body } : null,
    counts,
    requests,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  const intent = form.get("intent");
  if (intent === "template") {
    return formAction(
      form,
      letterTemplateSchema,
      async (template) => {
        await saveLetterTemplate(db, { conveningId: convening.id, organizerId: user.id, template });
        return redirect(`/organize/${convening.slug}/letters?saved=1`);
      },
      { echo: { intent: "template" as const, id: null } },
    );
  }
  if (intent === "decide") {
    if (!readsSensitiveOf(user.roles, convening.id)) throw new Response("Only organizers who may read sensitive answers decide on letters.", { status: 403 });
    const id = String(form.get("id") ?? "");
    return formAction(
      form,
      letterDecisionSchema,
      async (decision) => {
        await decideLetter(db, { conveningId: convening.id, organizerId: user.id, decision });
        return data({ ok: true as const, intent: "decide" as const, id, decision: decision.decision });
      },
      { echo: { intent: "decide" as const, id } },
    );
  }
  return invalid({ form: ["errors.invalid"] }, form, { echo: { intent: "other" as const, id: null } });
}

export default function Letters() {
  const { convening, template, counts, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const refusal = actionData && !actionData.ok ? actionData : null;
  const templateErrors = refusal?.intent === "template" ? refusal.errors : {};
  const templateValue = (name: string, fallback: string) => (refusal?.intent === "template" ? (valueOf(refusal.values, name) ?? "") : fallback);
  const placeholders = LETTER_PLACEHOLDERS.map((p) => `{${p}}`).join(", ");
  const none = t("badgesLetters.letters.none");
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/registrations`}>{t("badgesLetters.badges.back")}</Link>
      </p>
      <h1>{t("badgesLetters.letters.heading")}</h1>
      {params.get("saved") && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("badgesLetters.letters.saved")}
        </p>
      ) : null}
      {actionData?.ok ? (
        <p className="notice notice--ok" role="status">
          {t(`badgesLetters.letters.decided.${actionData.decision}`)}
        </p>
      ) : null}
      {refusal?.errors.form ? (
        <p className="notice notice--error" role="alert">
          {t(refusal.errors.form[0] as "errors.invalid")}
        </p>
      ) : null}

      <section aria-labelledby="template-heading">
        <h2 id="template-heading">{t("badgesLetters.letters.template")}</h2>
        <p>{t("badgesLetters.letters.templateIntro")}</p>
        {template ? null : <p className="hint">{t("badgesLetters.letters.noTemplate")}</p>}
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="template" />
          <TextareaField name="letterhead" label={t("badgesLetters.letters.letterhead")} hint={t("badgesLetters.letters.letterheadHint")} required rows={3} maxLength={LETTER_LIMITS.letterhead} defaultValue={templateValue("letterhead", template?.letterhead ?? "")} errors={templateErrors.letterhead} />
          <Field name="signerName" label={t("badgesLetters.letters.signerName")} required maxLength={LETTER_LIMITS.signerName} defaultValue={templateValue("signerName", template?.signerName ?? "")} errors={templateErrors.signerName} />
          <Field name="signerRole" label={t("badgesLetters.letters.signerRole")} required maxLength={LETTER_LIMITS.signerRole} defaultValue={templateValue("signerRole", template?.signerRole ?? "")} errors={templateErrors.signerRole} />
          <TextareaField name="body" label={t("badgesLetters.letters.body")} hint={t("badgesLetters.letters.bodyHint", { placeholders, interpolation: { escapeValue: false } })} required rows={12} maxLength={LETTER_LIMITS.body} defaultValue={templateValue("body", template?.body ?? "")} errors={templateErrors.body} />
          <div>
            <button type="submit" className="button">
              {t("badgesLetters.letters.save")}
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">{t("badgesLetters.letters.requests")}</h2>
        <p>{t("badgesLetters.letters.counts", counts)}</p>
        {requests === null ? (
          <p className="hint">{t("badgesLetters.letters.sensitiveOnly")}</p>
        ) : requests.length === 0 ? (
          <p>{t("badgesLetters.letters.noRequests")}</p>
        ) : (
          <>
            <p className="hint">{t("badgesLetters.letters.sensitiveNote")}</p>
            {requests.map((r) => {
              const errors = refusal?.intent === "decide" && refusal.id === String(r.id) ? refusal.errors : {};
              return (
                <article key={r.id} className="card" aria-labelledby={`request-${r.id}`}>
                  <h3 id={`request-${r.id}`}>{t("badgesLetters.letters.request", { name: r.display_name })}</h3>
                  <p>
                    <strong>{t(`badgesLetters.letters.status.${r.status}`)}</strong> · {formatInstant(r.created_at, convening.timeZone, convening.locale)}
                  </p>
                  {r.erased_at ? (
                    <p>{t("badgesLetters.letters.erased")}</p>
                  ) : (
                    <dl className="facts">
                      <dt>{t("badgesLetters.letters.passportName")}</dt>
                      <dd>{r.passport_name}</dd>
                      <dt>{t("badgesLetters.letters.nationality")}</dt>
                      <dd>{r.nationality}</dd>
                      <dt>{t("badgesLetters.letters.passportNumber")}</dt>
                      <dd>{r.passport_number}</dd>
                      <dt>{t("badgesLetters.letters.birthDate")}</dt>
                      <dd>{r.birth_date ? formatDay(r.birth_date, convening.locale) : none}</dd>
                      <dt>{t("badgesLetters.letters.note")}</dt>
                      <dd>{r.note ?? none}</dd>
                    </dl>
                  )}
                  {r.organizer_message ? <p>{t("badgesLetters.letters.messageSent", { message: r.organizer_message })}</p> : null}
                  {r.status === "requested" && !r.erased_at ? (
                    <Form method="post" className="form" noValidate>
                      <CsrfInput />
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="id" value={r.id} />
                      <TextareaField name="message" id={`message-${r.id}`} label={t("badgesLetters.letters.declineMessage")} maxLength={LETTER_LIMITS.message} errors={errors.message} />
                      <div className="actions">
                        <button type="submit" name="decision" value="approve" className="button" aria-describedby={`request-${r.id}`}>
                          {t("badgesLetters.letters.approve")}
                        </button>
                        <button type="submit" name="decision" value="decline" className="button button--danger" aria-describedby={`request-${r.id}`}>
                          {t("badgesLetters.letters.decline")}
                        </button>
                      </div>
                    </Form>
                  ) : null}
                </article>
              );
            })}
          </>
        )}
      </section>
    </>
  );
}
