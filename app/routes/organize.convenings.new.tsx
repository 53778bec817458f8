import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { listOrganizedConvenings } from "../modules/convenings/convenings.server";
import { conveningSchema } from "../modules/convenings/schema";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { createOnce } from "../platform/submissions.server";
import { CreateForm } from "../components/create-form";
import { startConvening } from "../modules/convenings/start.server";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const [convenings, t] = await Promise.all([listOrganizedConvenings(getDb(), user.id), i18nServer.getFixedT(request)]);
  return { title: t("newConvening.title"), convenings: convenings.map((c) => ({ id: c.id, title: c.title })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const form = await readForm(request);
  return formAction(form, conveningSchema, (v) =>
    createOnce(getDb(), form, { personId: user.id, kind: "convening" }, async (trx) => {
      const id = await startConvening(trx, v, user.id);
      return `/organize/${v.slug}?created=${id}`;
    }),
  );
}

export default function NewConvening() {
  const { convenings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  const value = (name: string) => valueOf(actionData?.values, name) ?? "";
  return (
    <div className="narrow">
      <h1>{t("newConvening.heading")}</h1>
      <CreateForm className="form" noValidate>
        <Field name="title" label={t("newConvening.titleField")} maxLength={150} defaultValue={value("title")} errors={errors.title} />
        <Field name="slug" label={t("newConvening.slug")} hint={t("newConvening.slugHint")} maxLength={62} defaultValue={value("slug")} errors={errors.slug} />
        <Field name="startsOn" type="date" label={t("newConvening.startsOn")} defaultValue={value("startsOn")} errors={errors.startsOn} />
        <Field name="endsOn" type="date" label={t("newConvening.endsOn")} defaultValue={value("endsOn")} errors={errors.endsOn} />
        <Field name="timeZone" label={t("newConvening.timeZone")} hint={t("newConvening.timeZoneHint")} defaultValue={value("timeZone") || "Europe/Lisbon"} errors={errors.timeZone} />
        <Field name="venue" label={t("convening.venue")} maxLength={200} defaultValue={value("venue")} errors={errors.venue} />
        <SelectField name="copyFrom" label={t("newConvening.copyFrom")} hint={t("newConvening.copyHint")} options={[{ value: "", label: t("newConvening.noCopy") }, ...convenings.map((c) => ({ value: String(c.id), label: c.title }))]} defaultValue={convenings[0] ? String(convenings[0].id) : ""} errors={errors.copyFrom} />
        <div>
          <button type="submit" className="button">
            {t("newConvening.create")}
          </button>
        </div>
      </CreateForm>
    </div>
  );
}
