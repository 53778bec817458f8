import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ACCESS_NEEDS, CONSTITUENCIES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, ChoiceGroup, Field, SelectField, TextareaField } from "../components/field";
import { TrackSwatch } from "../components/track-swatch";
import { OwnSupportDecision, SupportRequestFields } from "../components/support-fields";
import { supportFormValues } from "../modules/support/schema";
import { readForm } from "../modules/auth/csrf.server";
import { limitSubmissions } from "../modules/auth/rate-limit.server";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getProfile } from "../modules/people/people.server";
import { cancelRegistration, submitRegistration, updateRegistration } from "../modules/registration/registering.server";
import { withSessionsConfirmed } from "../features/registration/sessions.server";
import { getOwnRegistration } from "../modules/registration/queries.server";
import { listQuestions, ownAnswerValues } from "../modules/registration/questions.server";
import { answersSchema } from "../modules/registration/questions";
import { QuestionFields } from "../components/registration-questions";
import { REGISTRATION_LIMITS, registrationSchema } from "../modules/registration/schema";
import { isWindowOpen } from "../modules/registration/states";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { valueOf, type FormValues } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";
import { checkInQr } from "../features/desk/check-in-qr.server";
import { CheckInQrBlock } from "../components/check-in-qr";

export const meta = titleMeta;

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening({ slug });
  return { user, db, convening };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, convening } = await load(request, params.slug);
  const [tracks, registration, profile, t, questions] = await Promise.all([
    listTracks(db, convening.id),
    getOwnRegistration(db, convening.id, user.id),
    getProfile(db, user.id),
    i18nServer.getFixedT(request),
    listQuestions(db, convening.id),
  ]);
  const ownAnswers = registration ? await ownAnswerValues(db, registration.id) : {};
  return {
    title: t("registration.title", { convening: convening.title }),
    convening: {
      slug: convening.slug,
      title: convening.title,
      timeZone: convening.time_zone,
      locale: convening.locale,
      closesAt: convening.registration_closes_at,
      opensAt: convening.registration_opens_at,
    },
    open: isWindowOpen(convening, new Date()),
    checkIn: registration?.status === "confirmed" ? checkInQr(convening.slug, registration.check_in_code) : null,
    tracks,
    questions,
    // The person's own answers, shown only to them.
    registration: registration
      ? {
          status: registration.status,
          position: registration.position,
          organizerMessage: registration.organizer_message,
          support: registration.support
            ? { status: registration.support.status, message: registration.support.message, changedAfterDecision: registration.support.changedAfterDecision, items: registration.support.items }
            : null,
          values: {
            displayName: registration.display_name,
            pronouns: registration.pronouns ?? "",
            organization: registration.organization ?? "",
            constituency: registration.constituency ?? "",
            country: registration.country ?? "",
            attendance: registration.attendance,
            tracks: registration.trackIds.map(String),
            languages: registration.languages.join(", "),
            interpretation: registration.interpretation.join(", "),
            accessNeeds: registration.access_needs,
            accessOther: registration.access_other ?? "",
            dietary: registration.dietary ?? "",
            ...supportFormValues(registration.support),
            emergencyContact: registration.emergency_contact ?? "",
            consentDirectory: registration.consent_directory ? "on" : "",
            consentContact: registration.consent_contact ? "on" : "",
            consentPhotos: registration.consent_photos ? "on" : "",
            ...ownAnswers,
          } satisfies FormValues,
        }
      : null,
    prefill: {
      displayName: profile?.public_name ?? "",
      pronouns: profile?.pronouns ?? "",
      organization: profile?.organization ?? "",
      constituency: profile?.constituency ?? "",
      country: profile?.country ?? "",
      languages: (profile?.languages ?? []).join(", "),
    } satisfies FormValues,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, convening } = await load(request, params.slug);
  const form = await readForm(request);
  await limitSubmissions(db, "registration", user.id);
  const intent = form.get("intent");
  const here = `/convenings/${convening.slug}/register`;
  const me = { conveningId: convening.id, personId: user.id };
  // The organizers' own questions are checked with the rest of the form.
  const schema = registrationSchema.and(answersSchema(await listQuestions(db, convening.id)));
  switch (intent) {
    case "cancel":
      return formAction(form, z.object({}), async () => (await withSessionsConfirmed(db, me.conveningId, (trx) => cancelRegistration(trx, me)), redirect(`${here}?done=cancelled`)));
    case "register":
      return formAction(form, schema, async (answers) => (await withSessionsConfirmed(db, me.conveningId, (trx) => submitRegistration(trx, { ...me, answers })), redirect(`${here}?done=submitted`)));
    case "update":
      return formAction(form, schema, async (answers) => (await withSessionsConfirmed(db, me.conveningId, (trx) => updateRegistration(trx, { ...me, answers })), redirect(`${here}?done=updated`)));
    default:
      return invalid({ form: ["errors.invalid"] }, form);
  }
}

export default function Register() {
  const { convening, open, tracks, questions, registration, prefill, checkIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  const editing = params.get("edit") === "1";
  const cancelling = params.get("cancel") === "1";
  const active = registration && registration.status !== "cancelled";
  // A declined registration is shown but can no longer be changed or cancelled by its owner.
  const changeable = active && registration.status !== "declined";
  const formErrors = actionData?.errors.form;

  const notices = (
    <>
      {done ? (
        <p className="notice notice--ok" role="status">
          {t(`registration.done.${done as "submitted"}`)}
        </p>
      ) : null}
      {formErrors ? (
        <p className="notice notice--error" role="alert">
          {formErrors.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}
    </>
  );

  if (changeable && cancelling) {
    return (
      <div className="narrow">
        <h1>{t("registration.cancelHeading")}</h1>
        {notices}
        <p>{t("registration.cancelIntro", { convening: convening.title })}</p>
        <Form method="post" className="form">
          <CsrfInput />
          <input type="hidden" name="intent" value="cancel" />
          <div className="actions">
            <button type="submit" className="button button--danger">
              {t("registration.cancelConfirm")}
            </button>
            <Link to="." className="button button--secondary">
              {t("registration.cancelKeep")}
            </Link>
          </div>
        </Form>
      </div>
    );
  }

  if (active && !(changeable && editing && open)) {
    return (
      <div className="narrow">
        <h1>{t("registration.statusHeading", { convening: convening.title })}</h1>
        {notices}
        <div className={`notice notice--${registration.status === "confirmed" ? "ok" : registration.status === "declined" ? "error" : "warn"}`}>
          <p>
            <strong>{t(`registration.status.${registration.status}`)}</strong>
          </p>
          <p>{t(`registration.statusText.${registration.status}`, { position: registration.position ?? 0 })}</p>
          {registration.organizerMessage && registration.status === "declined" ? (
            <p>{t("registration.organizerMessage", { message: registration.organizerMessage })}</p>
          ) : null}
        </div>
        {registration.support ? <OwnSupportDecision support={registration.support} locale={convening.locale} /> : null}
        <p>{t("registration.emailNote")}</p>
        {checkIn ? <CheckInQrBlock qr={checkIn} /> : null}
        {changeable ? (
          <ul className="actions-list">
            {open ? (
              <li>
                <Link to="?edit=1">{t("registration.edit")}</Link>
              </li>
            ) : (
              <li>{t("registration.editClosed")}</li>
            )}
            <li>
              <Link to="?cancel=1">{t("registration.cancel")}</Link>
            </li>
            <li>
              <Link to={`/convenings/${convening.slug}/participants`}>{t("registration.directoryLink")}</Link>
            </li>
            <li>
              <Link to={`/convenings/${convening.slug}/letter`}>{t("badgesLetters.request.link")}</Link>
            </li>
          </ul>
        ) : null}
      </div>
    );
  }

  if (!open) {
    return (
      <div className="narrow">
        <h1>{t("registration.heading", { convening: convening.title })}</h1>
        {notices}
        <p className="notice notice--warn">
          {convening.opensAt && convening.opensAt > new Date().toISOString()
            ? t("registration.notYetOpen", { at: formatInstant(convening.opensAt, convening.timeZone, convening.locale) })
            : t("registration.closed")}
        </p>
      </div>
    );
  }

  const values: FormValues = actionData?.values && Object.keys(actionData.values).length ? actionData.values : registration ? registration.values : prefill;
  const errors = actionData?.errors ?? {};
  const list = (name: string): string[] => {
    const v = values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const text = (name: string) => valueOf(values, name) ?? "";
  return (
    <div className="narrow">
      <h1>{active ? t("registration.editHeading") : t("registration.heading", { convening: convening.title })}</h1>
      {notices}
      {Object.keys(errors).some((k) => k !== "form") ? (
        <p className="notice notice--error" role="alert">
          {t("errors.fixBelow")}
        </p>
      ) : null}
      {convening.closesAt ? <p>{t("registration.deadline", { at: formatInstant(convening.closesAt, convening.timeZone, convening.locale) })}</p> : null}
      <p className="muted">{t("registration.privacyIntro")}</p>
      <Form method="post" className="form" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value={active ? "update" : "register"} />

        <h2>{t("registration.section.you")}</h2>
        <Field name="displayName" label={t("registration.displayName")} hint={t("registration.displayNameHint")} required maxLength={REGISTRATION_LIMITS.displayName} defaultValue={text("displayName")} errors={errors.displayName} />
        <Field name="pronouns" label={t("account.pronouns")} hint={t("account.optional")} maxLength={REGISTRATION_LIMITS.pronouns} defaultValue={text("pronouns")} errors={errors.pronouns} />
        <Field name="organization" label={t("account.organization")} hint={t("account.optional")} maxLength={REGISTRATION_LIMITS.organization} defaultValue={text("organization")} errors={errors.organization} />
        <SelectField
          name="constituency"
          label={t("account.constituency")}
          hint={t("account.constituencyHint")}
          defaultValue={text("constituency")}
          errors={errors.constituency}
          options={[{ value: "", label: t("account.preferNotToSay") }, ...CONSTITUENCIES.map((c) => ({ value: c, label: t(`constituency.${c}`) }))]}
        />
        <Field name="country" label={t("account.country")} hint={t("account.optional")} maxLength={REGISTRATION_LIMITS.country} defaultValue={text("country")} errors={errors.country} />

        <h2>{t("registration.section.taking")}</h2>
        <ChoiceGroup
          name="attendance"
          type="radio"
          legend={t("registration.attendance")}
          required
          errors={errors.attendance}
          selected={list("attendance")}
          options={[
            { value: "in_person", label: t("registration.attendanceInPerson") },
            { value: "remote", label: t("registration.attendanceRemote") },
          ]}
        />
        <ChoiceGroup
          name="tracks"
          type="checkbox"
          legend={t("registration.tracks")}
          hint={t("registration.tracksHint")}
          required
          errors={errors.tracks}
          selected={list("tracks")}
          options={tracks.map((track) => ({
            value: String(track.id),
            label: (
              <>
                <TrackSwatch color={track.color} /> {track.name}
              </>
            ),
          }))}
        />
        <Field name="languages" label={t("account.languages")} hint={t("account.languagesHint")} defaultValue={text("languages")} errors={errors.languages} />
        <Field name="interpretation" label={t("registration.interpretation")} hint={t("registration.interpretationHint")} defaultValue={text("interpretation")} errors={errors.interpretation} />

        <h2>{t("registration.section.needs")}</h2>
        <p className="hint">{t("registration.needsPrivate")}</p>
        <ChoiceGroup
          name="accessNeeds"
          type="checkbox"
          legend={t("registration.accessNeeds")}
          errors={errors.accessNeeds}
          selected={list("accessNeeds")}
          options={ACCESS_NEEDS.map((need) => ({ value: need, label: t(`access.${need}`) }))}
        />
        <TextareaField name="accessOther" label={t("registration.accessOther")} hint={t("account.optional")} maxLength={REGISTRATION_LIMITS.accessOther} defaultValue={text("accessOther")} errors={errors.accessOther} />
        <TextareaField name="dietary" label={t("registration.dietary")} hint={t("account.optional")} maxLength={REGISTRATION_LIMITS.dietary} defaultValue={text("dietary")} errors={errors.dietary} />
        <SupportRequestFields values={values} errors={errors} />
        <Field name="emergencyContact" label={t("registration.emergencyContact")} hint={t("registration.emergencyContactHint")} maxLength={REGISTRATION_LIMITS.emergencyContact} defaultValue={text("emergencyContact")} errors={errors.emergencyContact} />

        <QuestionFields questions={questions} values={values} errors={errors} />

        <h2>{t("registration.section.consent")}</h2>
        <p className="hint">{t("registration.consentIntro")}</p>
        <CheckboxField name="consentDirectory" label={t("registration.consentDirectory")} hint={t("registration.consentDirectoryHint")} defaultChecked={text("consentDirectory") === "on"} />
        <CheckboxField name="consentContact" label={t("registration.consentContact")} hint={t("registration.consentContactHint")} defaultChecked={text("consentContact") === "on"} />
        <CheckboxField name="consentPhotos" label={t("registration.consentPhotos")} defaultChecked={text("consentPhotos") === "on"} />

        <div>
          <button type="submit" className="button">
            {active ? t("registration.save") : t("registration.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
