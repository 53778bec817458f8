import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { TextareaField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readsSensitiveOf } from "../modules/auth/permissions";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { registrationForOrganizer } from "../modules/registration/queries.server";
import { answersForOrganizer } from "../modules/registration/questions.server";
import { AnswerFacts } from "../components/registration-questions";
import { decideRegistration } from "../modules/registration/decisions.server";
import { withSessionsConfirmed } from "../features/registration/sessions.server";
import { decisionSchema, REGISTRATION_LIMITS } from "../modules/registration/schema";
import { getDb } from "../platform/db.server";
import { formatDay, formatInstant } from "../lib/format";
import { hasPlace } from "../modules/registration/capacity.server";
import { canMarkAttendance } from "../modules/registration/policy";
import { formatMoney } from "../lib/money";
import { titleMeta } from "../lib/meta";
import { Fact } from "../components/fact";
import { z } from "zod";
import { formAction } from "../lib/form-action.server";
import { requireParams, idParam } from "../lib/params";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const sensitive = readsSensitiveOf(user.roles, convening.id);
  const registration = await registrationForOrganizer(db, convening.id, requireParams(params, z.object({ id: idParam })).id, user.id, { sensitive });
  if (!registration) throw new Response("Not found", { status: 404 });
  const answers = await answersForOrganizer(db, { conveningId: convening.id, registrationId: registration.id, organizerId: user.id, sensitive });
  const [tracks, t, placeFree] = await Promise.all([listTracks(db, convening.id), i18nServer.getFixedT(request), hasPlace(db, convening, registration.attendance)]);
  // The page title carries no name: titles end up in browser history and shared screens.
  return {
    title: t("organizeRegistration.title"),
    convening: { slug: convening.slug, title: convening.title, timeZone: convening.time_zone, locale: convening.locale, startsOn: formatDay(convening.starts_on, convening.locale) },
    // Only what is possible now is offered; the action refuses the rest on its own.
    possible: { confirm: placeFree, attendance: canMarkAttendance(convening, new Date()) },
    registration,
    answers,
    trackNames: registration.trackIds.map((id) => tracks.find((tr) => tr.id === id)?.name ?? ""),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const form = await readForm(request);
  const decision = String(form.get("decision") ?? "");
  return formAction(
    form,
    decisionSchema,
    async (v) => {
      await withSessionsConfirmed(getDb(), convening.id, (trx) => decideRegistration(trx, { conveningId: convening.id, registrationId: id, organizerId: user.id, decision: v.decision, message: v.message }));
      return data({ ok: true as const, message: `organizeRegistration.done.${v.decision}`, decision: v.decision });
    },
    { echo: { decision } },
  );
}

function DecisionButton({ decision, label }: { decision: string; label: string }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="decision" value={decision} />
      <button type="submit" className="button button--secondary">
        {label}
      </button>
    </Form>
  );
}

export default function OrganizerRegistration() {
  const { convening, registration: r, answers, trackNames, possible } = useLoaderData<typeof loader>();
  const sensitive = r.sensitive;
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const yesNo = (v: number) => (v ? t("registration.yes") : t("registration.no"));
  const none = t("organizeRegistrations.notGiven");
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/registrations`}>{t("organizeRegistration.back")}</Link>
      </p>
      <h1>{r.display_name}</h1>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--ok" : "notice--error"}`} role="status">
          {t(actionData.message as "errors.invalid")}
        </p>
      ) : null}
      <p>
        <strong>{t(`registration.status.${r.status}`)}</strong> · {t(`registration.attendanceShort.${r.attendance}`)}
        {r.attended_at ? ` · ${t("organizeRegistrations.attended")}` : ""}
      </p>

      <section aria-labelledby="decide-heading">
        <h2 id="decide-heading">{t("organizeRegistration.decide")}</h2>
        <div className="actions">
          {r.status === "pending" || r.status === "declined" ? <DecisionButton decision="approve" label={t("organizeRegistration.approve")} /> : null}
          {r.status === "waitlisted" && possible.confirm ? <DecisionButton decision="confirm" label={t("organizeRegistration.confirm")} /> : null}
          {r.status === "confirmed" ? <DecisionButton decision="waitlist" label={t("organizeRegistration.waitlist")} /> : null}
          {r.status === "confirmed" && (possible.attendance || r.attended_at) ? (
            r.attended_at ? (
              <DecisionButton decision="not-attended" label={t("organizeRegistration.notAttended")} />
            ) : (
              <DecisionButton decision="attended" label={t("organizeRegistration.attended")} />
            )
          ) : null}
        </div>
        {r.status === "waitlisted" && !possible.confirm ? <p className="hint">{t("registrationsTable.detail.noPlace")}</p> : null}
        {r.status === "confirmed" && !possible.attendance && !r.attended_at ? <p className="hint">{t("registrationsTable.detail.attendanceFrom", { date: convening.startsOn })}</p> : null}
        {r.status !== "declined" && r.status !== "cancelled" ? (
          <Form method="post" className="form">
            <CsrfInput />
            <input type="hidden" name="decision" value="decline" />
            <TextareaField name="message" label={t("organizeRegistration.declineMessage")} hint={t("organizeRegistration.declineMessageHint")} maxLength={REGISTRATION_LIMITS.message} />
            <div>
              <button type="submit" className="button button--danger">
                {t("organizeRegistration.decline")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <h2>{t("organizeRegistration.details")}</h2>
      <dl className="facts">
        <dt>{t("organizeRegistration.registeredAt")}</dt>
        <dd>{formatInstant(r.created_at, convening.timeZone, convening.locale)}</dd>
        <dt>{t("account.pronouns")}</dt>
        <dd>{r.pronouns ?? none}</dd>
        <dt>{t("account.organization")}</dt>
        <dd>{r.organization ?? none}</dd>
        <dt>{t("account.constituency")}</dt>
        <dd>{r.constituency ? t(`constituency.${r.constituency}`) : none}</dd>
        <dt>{t("account.country")}</dt>
        <dd>{r.country ?? none}</dd>
        <dt>{t("registration.tracks")}</dt>
        <dd>{trackNames.join(", ")}</dd>
        <dt>{t("account.languages")}</dt>
        <dd>{r.languages.join(", ") || none}</dd>
        <dt>{t("registration.interpretation")}</dt>
        <dd>{r.interpretation.join(", ") || none}</dd>
        <dt>{t("organizeRegistration.consents")}</dt>
        <dd>
          {t("organizeRegistration.consentSummary", { directory: yesNo(r.consent_directory), contact: yesNo(r.consent_contact), photos: yesNo(r.consent_photos) })}
        </dd>
        <AnswerFacts answers={answers.open} locale={convening.locale} />
      </dl>

      <section aria-labelledby="sensitive-heading" className="card">
        <h2 id="sensitive-heading">{t("organizeRegistration.sensitive")}</h2>
        {sensitive ? (
          <>
            <p className="hint">{t("organizeRegistration.sensitiveNote")}</p>
            <dl className="facts">
              <dt>{t("account.fullName")}</dt>
              <dd>{sensitive.full_name ?? none}</dd>
              <dt>{t("login.email")}</dt>
              <dd>{sensitive.email}</dd>
              <dt>{t("registration.accessNeeds")}</dt>
              <dd>{sensitive.access_needs.map((n) => t(`access.${n as "quiet_room"}`)).join(", ") || none}</dd>
              <dt>{t("registration.accessOther")}</dt>
              <dd>{sensitive.access_other ?? none}</dd>
              <dt>{t("registration.dietary")}</dt>
              <dd>{sensitive.dietary ?? none}</dd>
              <dt>{t("registration.support")}</dt>
              <dd>
                {sensitive.support ? (
                  <>
                    <strong>{t(`travelSupport.status.${sensitive.support.status}`)}</strong>
                    {sensitive.support.items.length ? (
                      <>
                        <br />
                        {t("travelSupport.detail.asked", { items: sensitive.support.items.map((i) => `${t(`travelSupport.kind.${i.kind}`)} ${i.requestedCents === null ? t("travelSupport.none") : formatMoney(i.requestedCents, i.currency, convening.locale)}`).join(", ") })}
                      </>
                    ) : null}
                    {sensitive.support.status !== "waiting" && sensitive.support.items.length ? (
                      <>
                        <br />
                        {t("travelSupport.detail.granted", { items: sensitive.support.items.map((i) => `${t(`travelSupport.kind.${i.kind}`)} ${i.grantedCents === null ? t("travelSupport.none") : formatMoney(i.grantedCents, i.currency, convening.locale)}`).join(", ") })}
                      </>
                    ) : null}
                    {sensitive.support.reason ? (
                      <>
                        <br />
                        {t("travelSupport.detail.reason", { reason: sensitive.support.reason })}
                      </>
                    ) : null}
                  </>
                ) : (
                  t("travelSupport.detail.none")
                )}
              </dd>
              <dt>{t("registration.emergencyContact")}</dt>
              <dd>{sensitive.emergency_contact ?? none}</dd>
              {answers.sensitive ? <AnswerFacts answers={answers.sensitive} locale={convening.locale} /> : null}
            </dl>
          </>
        ) : (
          <p>{t("organizeRegistration.sensitiveWithheld")}</p>
        )}
        <dl className="facts">
          <Fact term={t("organizeRegistration.declineMessage")}>{r.organizer_message}</Fact>
        </dl>
      </section>
    </>
  );
}
