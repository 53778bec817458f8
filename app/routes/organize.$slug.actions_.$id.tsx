import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { ActionItemFields } from "../components/action-item-fields";
import { editAction } from "../modules/actions/items.server";
import { ownerChoices } from "../modules/actions/owners.server";
import { actionForOrganizer } from "../modules/actions/queries.server";
import { actionSchema, ownersOf } from "../modules/actions/schema";
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
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const item = await actionForOrganizer(db, convening.id, requireParams(params, z.object({ id: idParam })).id);
  if (!item) throw new Response("Not found", { status: 404 });
  const [owners, t] = await Promise.all([ownerChoices(db, convening.id, { id: user.id, organizer: true }), i18nServer.getFixedT(request)]);
  return { title: t("editAction.title"), slug: convening.slug, item, owners };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const form = await readForm(request);
  return formAction(form, actionSchema, async (v) => {
    await editAction(getDb(), { conveningId: convening.id, actionId: id, by: { id: user.id, organizer: true }, title: v.title, dueOn: v.dueOn, owners: ownersOf(v), visibility: v.visibility });
    return redirect(`/organize/${convening.slug}/actions?done=1`);
  });
}

export default function EditAction() {
  const { slug, item, owners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <p>
        <Link to={`/organize/${slug}/actions`}>{t("report.back")}</Link>
      </p>
      <h1>{t("editAction.heading")}</h1>
      <Form method="post" className="form" noValidate>
        <CsrfInput />
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
