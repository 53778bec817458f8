import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { ActionItemFields, ActionUpdateFields } from "../components/action-item-fields";
import { addActionOwner, editAction, postUpdate } from "../modules/actions/items.server";
import { ownerChoices } from "../modules/actions/owners.server";
import { actionForOrganizer, actionHistory } from "../modules/actions/queries.server";
import { actionSchema, ownerOf, ownerSchema, ownersOf, updateSchema } from "../modules/actions/schema";
import { CreateForm } from "../components/create-form";
import { SelectField } from "../components/field";
import { createOnce } from "../platform/submissions.server";
import { formatInstant } from "../lib/format";
import { valueOf, type FieldErrors } from "../lib/forms";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { formAction } from "../lib/form-action.server";
import { requireParams, idParam } from "../lib/params";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const db = getDb();
  const item = await actionForOrganizer(db, convening.id, requireParams(params, z.object({ id: idParam })).id);
  if (!item) throw new Response("Not found", { status: 404 });
  const [owners, history, t] = await Promise.all([ownerChoices(db, convening.id, { id: user.id, organizer: true }), actionHistory(db, convening.id, item.id), i18nServer.getFixedT(request)]);
  return {
    title: t("editAction.title"),
    slug: convening.slug,
    item,
    owners,
    history: history.map((u) => ({ ...u, when: formatInstant(u.at, "UTC", convening.locale) })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const { id } = requireParams(params, z.object({ id: idParam }));
  const form = await readForm(request);
  const db = getDb();
  const by = { id: user.id, organizer: true };
  const here = `/organize/${convening.slug}/actions/${id}`;
  const intent = form.get("intent");
  if (intent === "update") {
    return formAction(
      form,
      updateSchema,
      (v) => createOnce(db, form, { personId: user.id, kind: "action-update" }, async (trx) => (await postUpdate(trx, { actionId: id, conveningId: convening.id, by, text: v.text ?? "", status: v.status }), `${here}?done=update#history`)),
      { echo: { intent } },
    );
  }
  if (intent === "owner") {
    return formAction(
      form,
      ownerSchema,
      (v) => createOnce(db, form, { personId: user.id, kind: "action-owner" }, async (trx) => (await addActionOwner(trx, { conveningId: convening.id, actionId: id, by, owner: ownerOf(v) }), `${here}?done=owner#owners`)),
      { echo: { intent } },
    );
  }
  return formAction(
    form,
    actionSchema,
    async (v) => {
      await editAction(db, { conveningId: convening.id, actionId: id, by, title: v.title, dueOn: v.dueOn, owners: ownersOf(v), visibility: v.visibility });
      return redirect(`/organize/${convening.slug}/actions?done=1`);
    },
    { echo: { intent: "edit" } },
  );
}

export default function EditAction() {
  const { slug, item, owners, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const errorsOf = (intent: string): FieldErrors => (actionData?.intent === intent ? actionData.errors : {});
  const typed = (intent: string, name: string) => (actionData?.intent === intent ? valueOf(actionData.values, name) : undefined);
  const errors = errorsOf("edit");
  const done = params.get("done");
  const people = new Set(item.people);
  const organizations = new Set(item.organizations);
  const addable = [
    ...owners.people.filter((p) => !people.has(p.id)).map((p) => ({ value: `person-${p.id}`, label: p.name })),
    ...owners.organizations.filter((o) => !organizations.has(o.id)).map((o) => ({ value: `organization-${o.id}`, label: t("forms14.actionPage.organization", { name: o.name }) })),
  ];
  return (
    <div className="narrow">
      <p>
        <Link to={`/organize/${slug}/actions`}>{t("report.back")}</Link>
      </p>
      <h1>{t("editAction.heading")}</h1>
      {done ? (
        <p className="notice notice--ok" role="status">
          {done === "owner" ? t("forms14.actionPage.ownerAdded") : t("actions.posted")}
        </p>
      ) : null}
      <p className="lead">
        {item.title} · {t(`actions.status.${item.status}`)}
      </p>

      <section aria-labelledby="history">
        <h2 id="history">{t("forms14.actionPage.history")}</h2>
        {history.length === 0 ? <p>{t("forms14.actionPage.noUpdates")}</p> : null}
        <ol className="history-list">
          {history.map((u) => (
            <li key={u.id}>
              {u.when} UTC · {u.author ?? ""}: {u.text}
              {u.status_to ? ` (${t(`actions.status.${u.status_to}`)})` : ""}
            </li>
          ))}
        </ol>
        <CreateForm className="form" noValidate>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="action" value={item.id} />
          <ActionUpdateFields ids={{ text: "update-text", status: "update-status" }} values={{ text: typed("update", "text"), status: typed("update", "status") }} errors={errorsOf("update")} />
        </CreateForm>
      </section>

      <section aria-labelledby="owners">
        <h2 id="owners">{t("forms14.actionPage.addOwner")}</h2>
        <CreateForm className="form" noValidate>
          <input type="hidden" name="intent" value="owner" />
          <SelectField name="owner" id="owner-new" label={t("forms14.actionPage.owner")} defaultValue={typed("owner", "owner")} errors={errorsOf("owner").owner} options={[{ value: "", label: t("proposal.field.choose") }, ...addable]} />
          <div>
            <button type="submit" className="button button--small button--secondary">
              {t("forms14.actionPage.add")}
            </button>
          </div>
        </CreateForm>
      </section>

      <h2>{t("forms14.actionPage.edit")}</h2>
      {/* Keyed on what it shows: after an owner is added above, it shows the new owners (else Save would drop them). */}
      <Form method="post" className="form" noValidate key={JSON.stringify([item.title, item.due_on, item.visibility, item.people, item.organizations])}>
        <CsrfInput />
        <input type="hidden" name="intent" value="edit" />
        <ActionItemFields owners={owners} errors={errors} item={{ title: item.title, dueOn: item.due_on, people: item.people, organizations: item.organizations, visibility: item.visibility }} />
        <div>
          <button type="submit" className="button">
            {t("editAction.save")}
          </button>
        </div>
      </Form>
    </div>
  );
}
