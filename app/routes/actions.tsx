import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isOverdue } from "../modules/actions/states";
import { CsrfInput } from "../components/csrf";
import { CheckboxField } from "../components/field";
import { ActionUpdateFields } from "../components/action-item-fields";
import { postUpdate } from "../modules/actions/items.server";
import { myActions } from "../modules/actions/queries.server";
import { reminderPreferences, setReminderPreferences } from "../modules/actions/reminders.server";
import { preferencesSchema, updateSchema } from "../modules/actions/schema";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { feedToken } from "../modules/calendar/feeds.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { appLink } from "../platform/env.server";
import { formatDay, formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { valueOf } from "../lib/forms";
import { createOnce } from "../platform/submissions.server";
import { CreateForm } from "../components/create-form";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [items, prefs, token, t] = await Promise.all([
    myActions(db, user.id),
    reminderPreferences(db, user.id),
    feedToken(db, user.id, "actions"),
    i18nServer.getFixedT(request),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  return {
    title: t("actions.title"),
    items: items.map((i) => ({
      ...i,
      dueLabel: formatDay(i.due_on, i.locale),
      overdue: isOverdue(i, today),
      updates: i.updates.map((u) => ({ ...u, when: formatInstant(u.at, "UTC", i.locale) })),
    })),
    prefs,
    feed: appLink(`/feeds/${token}/actions.ics`),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const db = getDb();
  if (form.get("intent") === "preferences") {
    return formAction(form, preferencesSchema, async (v) => (await setReminderPreferences(db, user.id, v), redirect("/actions?done=prefs#reminders")), { echo: { actionId: null as number | null } });
  }
  // The person's own list: they post as an owner of the item. An error shows beside that item's form.
  const actionId = Number(form.get("action")) || null;
  return formAction(
    form,
    updateSchema,
    (v) =>
      createOnce(db, form, { personId: user.id, kind: "action-update" }, async (trx) => {
        await postUpdate(trx, { actionId: v.action, by: { id: user.id, organizer: false }, text: v.text ?? "", status: v.status });
        return `/actions?done=update#action-${v.action}`;
      }),
    { echo: { actionId } },
  );
}

export default function Actions() {
  const { items, prefs, feed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  // What was typed in the form of the item whose update was refused, shown again there.
  const mine = (id: number, name: string) => (actionData?.actionId === id ? valueOf(actionData.values, name) : undefined);
  return (
    <>
      <h1>{t("actions.heading")}</h1>
      <p>{t("actions.intro")}</p>
      {done ? (
        <p className="notice notice--ok" role="status">
          {done === "prefs" ? t("actions.prefsSaved") : t("actions.posted")}
        </p>
      ) : null}
      {items.length === 0 ? <p>{t("actions.none")}</p> : null}
      <ol className="agenda-list">
        {items.map((item) => (
          <li key={item.id} id={`action-${item.id}`} className={`agenda-item${item.overdue ? " agenda-item--clash" : ""}`}>
            <h2 className="h3">{item.title}</h2>
            <p className="agenda-item__time">
              {t(`actions.status.${item.status}`)} · {t("actions.due", { date: item.dueLabel })}
              {item.overdue ? ` · ${t("actions.overdue")}` : ""}
            </p>
            <p className="muted">
              {t("actions.from", { convening: item.convening })}
              {item.session ? ` · ${t("actions.session", { title: item.session })}` : ""}
            </p>
            {item.updates.length ? (
              <details className="panel">
                <summary>{t("actions.history")}</summary>
                <ul>
                  {item.updates.map((u, i) => (
                    <li key={i}>
                      {u.when} · {u.author ?? ""}: {u.text}
                      {u.status_to ? ` (${t(`actions.status.${u.status_to}`)})` : ""}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            <CreateForm className="form">
              <input type="hidden" name="action" value={item.id} />
              <ActionUpdateFields ids={{ text: `update-${item.id}`, status: `status-${item.id}` }} values={{ text: mine(item.id, "text"), status: mine(item.id, "status") }} errors={actionData?.actionId === item.id ? actionData.errors : undefined} />
            </CreateForm>
          </li>
        ))}
      </ol>
      <section aria-labelledby="reminders" className="card">
        <h2 id="reminders" className="h3">
          {t("actions.reminders")}
        </h2>
        <Form method="post" className="form">
          <CsrfInput />
          <input type="hidden" name="intent" value="preferences" />
          <CheckboxField name="reminders" label={t("actions.remindersOn")} defaultChecked={prefs.reminders} />
          <CheckboxField name="digest" label={t("actions.digestOn")} defaultChecked={prefs.digest} />
          <div>
            <button type="submit" className="button button--secondary button--small">
              {t("actions.savePrefs")}
            </button>
          </div>
        </Form>
        <h3>{t("actions.feed")}</h3>
        <p>{t("actions.feedIntro")}</p>
        <p>
          <a href={feed.replace(/^https?:/, "webcal:")}>{t("calendar.subscribe")}</a> · <a href={feed}>{t("calendar.download")}</a>
        </p>
      </section>
    </>
  );
}
