// A participant's visa invitation letter: ask for it with the passport details, see the
// organizers' decision, and download it once approved.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field, TextareaField } from "../components/field";
import { requirePublicConvening } from "../features/access/access.server";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { getOwnRegistration } from "../modules/registration/queries.server";
import { LETTER_LIMITS, letterRequestSchema } from "../modules/registration/letter-schema";
import { getLetterTemplate, ownLetterRequest, requestLetter } from "../modules/registration/letters.server";
import { ACTIVE_STATUSES } from "../modules/registration/states";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction } from "../lib/form-action.server";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const db = getDb();
  const [registration, template, own, t] = await Promise.all([
    getOwnRegistration(db, convening.id, user.id),
    getLetterTemplate(db, convening.id),
    ownLetterRequest(db, convening.id, user.id),
    i18nServer.getFixedT(request),
  ]);
  return {
    title: t("badgesLetters.request.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    registered: registration !== undefined && ACTIVE_STATUSES.includes(registration.status),
    offered: template !== undefined && convening.sensitive_erased_at === null,
    // The person's own details, shown only to them.
    own: own
      ? {
          status: own.status,
          erased: own.erased_at !== null,
          message: own.organizer_message,
          passportName: own.passport_name,
          nationality: own.nationality,
          passportNumber: own.passport_number,
          birthDate: own.birth_date,
          note: own.note,
        }
      : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const form = await readForm(request);
  return formAction(form, letterRequestSchema, async (details) => {
    await requestLetter(getDb(), { conveningId: convening.id, personId: user.id, details });
    return redirect(`/convenings/${convening.slug}/letter?sent=1`);
  });
}

export default function Letter() {
  const { convening, registered, offered, own } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const errors = refusal?.errors ?? {};
  const value = (name: string, fallback: string | null | undefined) => (refusal ? (valueOf(refusal.values, name) ?? "") : (fallback ?? ""));
  const canAsk = registered && offered && own?.status !== "approved";
  return (
    <div className="narrow">
      <p>
        <Link to={`/convenings/${convening.slug}/register`}>{t("badgesLetters.request.back")}</Link>
      </p>
      <h1>{t("badgesLetters.request.heading")}</h1>
      {params.get("sent") && !refusal ? (
        <p className="notice notice--ok" role="status">
          {t("badgesLetters.request.sent")}
        </p>
      ) : null}
      {errors.form ? (
        <p className="notice notice--error" role="alert">
          {t(errors.form[0] as "errors.invalid")}
        </p>
      ) : null}
      {own ? (
        <section aria-labelledby="status-heading" className="card">
          <h2 id="status-heading">{t(`badgesLetters.request.status.${own.status}`)}</h2>
          {own.message ? <p>{t("badgesLetters.request.message", { message: own.message })}</p> : null}
          {own.erased ? (
            <p>{t("badgesLetters.request.erased")}</p>
          ) : own.status === "approved" ? (
            <p>
              <a className="button" href={`/convenings/${convening.slug}/letter.pdf`} download>
                {t("badgesLetters.request.download")}
              </a>
            </p>
          ) : own.status === "declined" && canAsk ? (
            <p>{t("badgesLetters.request.askAgain")}</p>
          ) : null}
        </section>
      ) : null}
      {!registered ? (
        <p>{t("badgesLetters.request.registerFirst")}</p>
      ) : !offered ? (
        own ? null : <p>{t("badgesLetters.request.notOffered")}</p>
      ) : canAsk ? (
        <>
          <p className="lead">{t("badgesLetters.request.intro")}</p>
          <p>{t("badgesLetters.request.privacy")}</p>
          <Form method="post" className="form" noValidate>
            <CsrfInput />
            <Field name="passportName" label={t("badgesLetters.request.passportName")} required autoComplete="name" maxLength={LETTER_LIMITS.passportName} defaultValue={value("passportName", own?.passportName)} errors={errors.passportName} />
            <Field name="nationality" label={t("badgesLetters.request.nationality")} required maxLength={LETTER_LIMITS.nationality} defaultValue={value("nationality", own?.nationality)} errors={errors.nationality} />
            <Field name="passportNumber" label={t("badgesLetters.request.passportNumber")} required autoComplete="off" maxLength={LETTER_LIMITS.passportNumber} defaultValue={value("passportNumber", own?.passportNumber)} errors={errors.passportNumber} />
            <Field name="birthDate" type="date" label={t("badgesLetters.request.birthDate")} hint={t("badgesLetters.request.birthDateHint")} defaultValue={value("birthDate", own?.birthDate)} errors={errors.birthDate} />
            <TextareaField name="note" label={t("badgesLetters.request.note")} maxLength={LETTER_LIMITS.note} defaultValue={value("note", own?.note)} errors={errors.note} />
            <div>
              <button type="submit" className="button">
                {own ? t("badgesLetters.request.update") : t("badgesLetters.request.submit")}
              </button>
            </div>
          </Form>
        </>
      ) : null}
    </div>
  );
}
