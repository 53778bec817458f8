import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ATTENDANCE, CONSTITUENCIES, REGISTRATION_STATUSES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, Field, SelectField, TextareaField } from "../components/field";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readForm } from "../modules/auth/csrf.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { listGroupMessages, previewGroupMessage, queueGroupMessage } from "../modules/messages/group-messages.server";
import { GROUP_FILTER_FIELDS, GROUP_MESSAGE_LIMITS, groupMessageSchema, queueGroupMessageSchema } from "../modules/messages/schema";
import { registrationLanguages } from "../modules/registration/queries.server";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction, invalid } from "../lib/form-action.server";
import { formatInstant } from "../lib/format";
import { formValues, valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const db = getDb();
  const [tracks, languages, messages, t] = await Promise.all([
    listTracks(db, convening.id),
    registrationLanguages(db, convening.id),
    listGroupMessages(db, convening.id),
    i18nServer.getFixedT(request),
  ]);
  return {
    title: t("groupMail.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title, timeZone: convening.time_zone, locale: convening.locale },
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
    languages,
    messages,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const form = await readForm(request);
  const intent = form.get("intent");
  const db = getDb();
  if (intent === "preview") {
    return formAction(
      form,
      groupMessageSchema,
      async (message) => ({ ok: true as const, intent: "preview" as const, values: formValues(form), preview: await previewGroupMessage(db, { conveningId: convening.id, message }) }),
      { echo: { intent: "preview" as const } },
    );
  }
  if (intent === "queue") {
    return formAction(
      form,
      queueGroupMessageSchema,
      async ({ token, fingerprint, ...message }) => {
        const queued = await queueGroupMessage(db, { conveningId: convening.id, organizerId: user.id, message, token, fingerprint });
        return redirect(`/organize/${convening.slug}/messages?queued=${queued.id}`);
      },
      // A token or fingerprint that does not parse is a queue form someone changed: one notice for the whole form.
      { echo: { intent: "queue" as const }, fields: { token: "form", fingerprint: "form" } },
    );
  }
  return invalid({ form: ["errors.invalid"] }, form);
}

export default function GroupMessages() {
  const { convening, tracks, languages, messages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const values = actionData && "values" in actionData ? actionData.values : undefined;
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const preview = actionData && actionData.ok ? actionData.preview : null;
  const value = (name: string) => valueOf(values, name) ?? "";
  const queuedId = Number(params.get("queued"));
  const queued = messages.find((m) => m.id === queuedId);
  const any = { value: "", label: t("groupMail.filter.any") };
  // A language filter chosen before anyone listed that language stays chosen.
  const languageChoices = [...languages, ...(value("language") && !languages.includes(value("language")) ? [value("language")] : [])];

  return (
    <>
      <h1>{t("groupMail.heading", { convening: convening.title })}</h1>
      {queued && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("groupMail.queued", { subject: queued.subject, count: queued.recipients })}
        </p>
      ) : null}
      {actionData && !actionData.ok ? (
        <p className="notice notice--error" role="alert">
          {t((errors.form?.[0] ?? "errors.fixBelow") as "errors.invalid")}
        </p>
      ) : null}
      <p className="lead">{t("groupMail.intro")}</p>

      <h2>{t("groupMail.write")}</h2>
      {/* A new form once a message is queued: nothing of the last one is left to send again by mistake. */}
      <Form method="post" className="form" noValidate key={params.get("queued") ?? "new"}>
        <CsrfInput />
        <fieldset className="field">
          <legend>{t("groupMail.who")}</legend>
          <div className="filters-form">
            <SelectField
              name="status"
              label={t("groupMail.filter.status")}
              hint={t("groupMail.filter.statusHint")}
              defaultValue={value("status")}
              errors={errors.status}
              options={[{ value: "", label: t("groupMail.filter.active") }, ...REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))]}
            />
            <SelectField
              name="attendance"
              label={t("groupMail.filter.attendance")}
              defaultValue={value("attendance")}
              errors={errors.attendance}
              options={[any, ...ATTENDANCE.map((a) => ({ value: a, label: t(`registration.attendanceShort.${a}`) }))]}
            />
            <SelectField name="track" label={t("groupMail.filter.track")} defaultValue={value("track")} errors={errors.track} options={[any, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]} />
            <SelectField
              name="constituency"
              label={t("groupMail.filter.constituency")}
              defaultValue={value("constituency")}
              errors={errors.constituency}
              options={[any, ...CONSTITUENCIES.map((c) => ({ value: c, label: t(`constituency.${c}`) }))]}
            />
            <SelectField
              name="language"
              label={t("groupMail.filter.language")}
              hint={languageChoices.length === 0 ? t("groupMail.filter.noLanguages") : undefined}
              defaultValue={value("language")}
              errors={errors.language}
              options={[any, ...languageChoices.map((l) => ({ value: l, label: l }))]}
            />
            <SelectField
              name="support"
              label={t("groupMail.filter.support")}
              defaultValue={value("support")}
              errors={errors.support}
              options={[any, { value: "yes", label: t("registration.yes") }, { value: "no", label: t("registration.no") }]}
            />
          </div>
          <CheckboxField name="facilitators" label={t("groupMail.filter.facilitators")} hint={t("groupMail.filter.facilitatorsHint")} defaultChecked={value("facilitators") === "on"} />
        </fieldset>
        <Field name="subject" label={t("groupMail.subject")} required maxLength={GROUP_MESSAGE_LIMITS.subject} defaultValue={value("subject")} errors={errors.subject} />
        <TextareaField name="body" label={t("groupMail.body")} hint={t("groupMail.bodyHint")} required rows={8} maxLength={GROUP_MESSAGE_LIMITS.body} defaultValue={value("body")} errors={errors.body} />
        <CheckboxField name="essential" label={t("groupMail.essential")} hint={t("groupMail.essentialHint")} defaultChecked={value("essential") === "on"} />
        <div>
          <button type="submit" name="intent" value="preview" className="button button--secondary">
            {t("groupMail.preview")}
          </button>
        </div>
      </Form>

      {preview ? (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("groupMail.previewHeading")}</h2>
          <p role="status">
            <strong>
              {preview.leftOut > 0
                ? t("groupMail.reachesLeftOut", { people: t("groupMail.people", { count: preview.count }), count: preview.leftOut })
                : t("groupMail.reaches", { people: t("groupMail.people", { count: preview.count }) })}
            </strong>
          </p>
          {preview.essential ? <p>{t("groupMail.essentialReach")}</p> : null}
          {preview.count === 0 ? (
            <p>{t("groupMail.nobody")}</p>
          ) : (
            <>
              <ul className="mail-previews">
                {preview.mails.map((mail, i) => (
                  <li key={i} className="card">
                    <h3>{t("groupMail.mailTo", { name: mail.name })}</h3>
                    <p>
                      <strong>{t("groupMail.subjectLine", { subject: mail.subject })}</strong>
                    </p>
                    <p className="prewrap">{mail.text}</p>
                  </li>
                ))}
              </ul>
              {preview.count > preview.mails.length ? <p>{t("groupMail.more", { count: preview.count - preview.mails.length })}</p> : null}
              <Form method="post" className="form">
                <CsrfInput />
                {GROUP_FILTER_FIELDS.map((name) => (value(name) ? <input key={name} type="hidden" name={name} value={value(name)} /> : null))}
                <input type="hidden" name="subject" value={value("subject")} />
                <input type="hidden" name="body" value={value("body")} />
                {value("essential") ? <input type="hidden" name="essential" value={value("essential")} /> : null}
                <input type="hidden" name="token" value={preview.token} />
                <input type="hidden" name="fingerprint" value={preview.fingerprint} />
                <p className="hint">{t("groupMail.queueHint")}</p>
                <div>
                  <button type="submit" name="intent" value="queue" className="button">
                    {t("groupMail.queue", { count: preview.count })}
                  </button>
                </div>
              </Form>
            </>
          )}
        </section>
      ) : null}

      <h2>{t("groupMail.past")}</h2>
      {messages.length === 0 ? (
        <p>{t("groupMail.pastEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("groupMail.col.subject")}</th>
                <th scope="col">{t("groupMail.col.queuedBy")}</th>
                <th scope="col">{t("groupMail.col.when")}</th>
                <th scope="col">{t("groupMail.col.recipients")}</th>
                <th scope="col">{t("groupMail.col.essential")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{m.subject}</td>
                  <td>{m.queuedBy ?? t("groupMail.anOrganizer")}</td>
                  <td>{formatInstant(m.queuedAt, convening.timeZone, convening.locale)}</td>
                  <td>{m.recipients}</td>
                  <td>{m.essential ? t("registration.yes") : t("registration.no")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
