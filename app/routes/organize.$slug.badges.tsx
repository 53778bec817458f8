// Name badges: the organizer chooses paper and whose badges; a choice that gives badges is sent on
// to the PDF (badges.pdf), which the browser downloads, with or without JavaScript (the form is a
// plain document submission); a refusal comes back as this page with the words beside the field.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ATTENDANCE, REGISTRATION_STATUSES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { SelectField } from "../components/field";
import { requireConveningOrganizer } from "../features/access/access.server";
import { checkBadgeChoice } from "../features/badges/badges.server";
import { readForm } from "../modules/auth/csrf.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { badgeSchema } from "../modules/registration/badge-schema";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction } from "../lib/form-action.server";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const [tracks, t] = await Promise.all([listTracks(getDb(), convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("badgesLetters.badges.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  return formAction(form, badgeSchema, async (choice) => {
    await checkBadgeChoice(getDb(), convening.id, choice);
    const query = new URLSearchParams({ paper: choice.paper, status: choice.status, attendance: choice.attendance, ...(choice.track ? { track: String(choice.track) } : {}) });
    return redirect(`/organize/${convening.slug}/badges.pdf?${query}`, 303);
  });
}

export default function Badges() {
  const { convening, tracks } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const refusal = actionData && !actionData.ok ? actionData : null;
  const errors = refusal?.errors ?? {};
  const value = (name: string, fallback: string) => valueOf(refusal?.values, name) ?? fallback;
  return (
    <div className="narrow">
      <p>
        <Link to={`/organize/${convening.slug}/registrations`}>{t("badgesLetters.badges.back")}</Link>
      </p>
      <h1>{t("badgesLetters.badges.heading")}</h1>
      {errors.form ? (
        <p className="notice notice--error" role="alert">
          {t(errors.form[0] as "errors.invalid")}
        </p>
      ) : null}
      <p className="lead">{t("badgesLetters.badges.intro")}</p>
      <p>{t("badgesLetters.badges.privacy")}</p>
      <Form method="post" className="form" reloadDocument noValidate>
        <CsrfInput />
        <SelectField
          name="paper"
          label={t("badgesLetters.badges.paper")}
          defaultValue={value("paper", "A4")}
          errors={errors.paper}
          options={[
            { value: "A4", label: t("badgesLetters.badges.paperA4") },
            { value: "LETTER", label: t("badgesLetters.badges.paperLetter") },
          ]}
        />
        <fieldset className="field">
          <legend>{t("badgesLetters.badges.who")}</legend>
          <SelectField
            name="status"
            label={t("badgesLetters.badges.status")}
            defaultValue={value("status", "confirmed")}
            errors={errors.status}
            options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))}
          />
          <SelectField
            name="attendance"
            label={t("badgesLetters.badges.attendance")}
            defaultValue={value("attendance", "in_person")}
            errors={errors.attendance}
            options={[...ATTENDANCE.map((a) => ({ value: a, label: t(`registration.attendanceShort.${a}`) })), { value: "any", label: t("badgesLetters.badges.attendanceAny") }]}
          />
          <SelectField
            name="track"
            label={t("badgesLetters.badges.track")}
            defaultValue={value("track", "")}
            errors={errors.track}
            options={[{ value: "", label: t("badgesLetters.badges.trackAny") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]}
          />
        </fieldset>
        <div>
          <button type="submit" className="button">
            {t("badgesLetters.badges.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
