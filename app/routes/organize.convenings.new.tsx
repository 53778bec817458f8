import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireSiteOrganizer } from "../modules/auth/session.server";
import { copySetup } from "../modules/convenings/copy.server";
import { createConvening, getConvening, listOrganizedConvenings } from "../modules/convenings/convenings.server";
import { conveningSchema } from "../modules/convenings/schema";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb, inTransaction } from "../platform/db.server";
import { formValues, parseSubmission, valueOf, type FieldErrors } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const [convenings, t] = await Promise.all([listOrganizedConvenings(getDb(), user.id), i18nServer.getFixedT(request)]);
  return { title: t("newConvening.title"), convenings: convenings.map((c) => ({ id: c.id, title: c.title })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSiteOrganizer(request);
  const form = await readForm(request);
  const s = parseSubmission(conveningSchema, form);
  if (!s.ok) return data({ errors: s.errors, values: s.values }, { status: 400 });
  const db = getDb();
  if (await getConvening(db, s.value.slug)) return data({ errors: { slug: ["errors.slugTaken"] } as FieldErrors, values: Object.fromEntries(form) as Record<string, string> }, { status: 409 });
  // Only a convening offered on the form (one this organizer organizes) can be copied.
  if (s.value.copyFrom && !(await listOrganizedConvenings(db, user.id)).some((c) => c.id === s.value.copyFrom)) {
    return data({ errors: { copyFrom: ["errors.invalidChoice"] } as FieldErrors, values: formValues(form) }, { status: 400 });
  }
  const id = await inTransaction(db, async (trx) => {
    const created = await createConvening(trx, { slug: s.value.slug, title: s.value.title, startsOn: s.value.startsOn, endsOn: s.value.endsOn, timeZone: s.value.timeZone, venue: s.value.venue, status: "published" }, user.id);
    if (s.value.copyFrom) await copySetup(trx, { fromId: s.value.copyFrom, toId: created, organizerId: user.id });
    return created;
  });
  throw redirect(`/organize/${s.value.slug}/agenda?created=${id}`);
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
      <Form method="post" className="form" noValidate>
        <CsrfInput />
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
      </Form>
    </div>
  );
}
