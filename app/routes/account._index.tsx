import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CONSTITUENCIES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser, safeRedirect } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getProfile, updateProfile } from "../modules/people/people.server";
import { PROFILE_LIMITS, profileSchema } from "../modules/people/schema";
import { getDb } from "../platform/db.server";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import type { FieldErrors } from "../lib/forms";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowIncompleteProfile: true });
  const profile = await getProfile(getDb(), user.id);
  if (!profile) throw new Response("Not found", { status: 404 });
  const t = await i18nServer.getFixedT(request);
  return {
    title: t("account.title"),
    // The person's own data, shown only to them.
    profile: {
      email: profile.email,
      fullName: profile.full_name,
      publicName: profile.public_name,
      pronouns: profile.pronouns,
      organization: profile.organization,
      constituency: profile.constituency,
      country: profile.country,
      languages: profile.languages,
      complete: profile.profile_completed_at !== null,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowIncompleteProfile: true });
  const form = await readForm(request);
  return formAction(
    form,
    profileSchema,
    async (v) => {
      await updateProfile(getDb(), user.id, v);
      const next = safeRedirect(form.get("redirectTo"), "");
      return next ? redirect(next) : data({ ok: true as const, errors: {} as FieldErrors, values: undefined, saved: true });
    },
    { echo: { saved: false } },
  );
}

export default function Account() {
  const { profile } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const values = actionData?.values;
  const errors = actionData?.errors ?? {};
  const value = (name: string, saved: string | null | undefined) => (values ? valueOf(values, name) : (saved ?? undefined));
  const welcome = params.get("welcome") === "1" || !profile.complete;
  return (
    <div className="narrow">
      <h1>{welcome ? t("account.welcomeHeading") : t("account.heading")}</h1>
      {welcome ? <p className="lead">{t("account.welcomeIntro")}</p> : null}
      {actionData?.saved ? (
        <p className="notice notice--ok" role="status">
          {t("account.saved")}
        </p>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <p className="notice notice--error" role="alert">
          {t("errors.fixBelow")}
        </p>
      ) : null}
      <p>
        {t("account.signedInAs")} <strong>{profile.email}</strong> · <Link to="/account/data">{t("myData.link")}</Link>
      </p>
      <Form method="post" className="form" noValidate>
        <CsrfInput />
        {params.get("redirectTo") ? <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} /> : null}
        <Field
          name="publicName"
          label={t("account.publicName")}
          hint={t("account.publicNameHint")}
          required
          maxLength={PROFILE_LIMITS.publicName}
          autoComplete="nickname"
          defaultValue={value("publicName", profile.publicName)}
          errors={errors.publicName}
        />
        <Field
          name="fullName"
          label={t("account.fullName")}
          hint={t("account.fullNameHint")}
          maxLength={PROFILE_LIMITS.fullName}
          autoComplete="name"
          defaultValue={value("fullName", profile.fullName)}
          errors={errors.fullName}
        />
        <Field
          name="pronouns"
          label={t("account.pronouns")}
          hint={t("account.optional")}
          maxLength={PROFILE_LIMITS.pronouns}
          defaultValue={value("pronouns", profile.pronouns)}
          errors={errors.pronouns}
        />
        <Field
          name="organization"
          label={t("account.organization")}
          hint={t("account.optional")}
          maxLength={PROFILE_LIMITS.organization}
          autoComplete="organization"
          defaultValue={value("organization", profile.organization)}
          errors={errors.organization}
        />
        <SelectField
          name="constituency"
          label={t("account.constituency")}
          hint={t("account.constituencyHint")}
          defaultValue={value("constituency", profile.constituency) ?? ""}
          errors={errors.constituency}
          options={[
            { value: "", label: t("account.preferNotToSay") },
            ...CONSTITUENCIES.map((c) => ({ value: c, label: t(`constituency.${c}`) })),
          ]}
        />
        <Field
          name="country"
          label={t("account.country")}
          hint={t("account.optional")}
          maxLength={PROFILE_LIMITS.country}
          autoComplete="country-name"
          defaultValue={value("country", profile.country)}
          errors={errors.country}
        />
        <Field
          name="languages"
          label={t("account.languages")}
          hint={t("account.languagesHint")}
          defaultValue={value("languages", profile.languages.join(", "))}
          errors={errors.languages}
        />
        <div>
          <button type="submit" className="button">
            {t("account.save")}
          </button>
        </div>
      </Form>
    </div>
  );
}
