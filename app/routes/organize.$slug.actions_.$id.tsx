import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { ActionItemFields } from "../components/action-item-fields";
import { ActionError } from "../modules/actions/errors";
import { editAction } from "../modules/actions/items.server";
import { ownerChoices } from "../modules/actions/owners.server";
import { actionForOrganizer } from "../modules/actions/queries.server";
import { actionSchema, ownersOf } from "../modules/actions/schema";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { parseSubmission } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

function idOf(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0 || id >= 2 ** 31) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const item = await actionForOrganizer(db, convening.id, idOf(params.id));
  if (!item) throw new Response("Not found", { status: 404 });
  const [owners, t] = await Promise.all([ownerChoices(db, convening.id, { id: user.id, organizer: true }), i18nServer.getFixedT(request)]);
  return { title: t("editAction.title"), slug: convening.slug, item, owners };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const s = parseSubmission(actionSchema, form);
  if (!s.ok) return data({ errors: s.errors }, { status: 400 });
  try {
    await editAction(getDb(), {
      conveningId: convening.id,
      actionId: idOf(params.id),
      by: { id: user.id, organizer: true },
      title: s.value.title,
      dueOn: s.value.dueOn,
      owners: ownersOf(s.value),
      visibility: s.value.visibility,
    });
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return data({ errors: error.fieldErrors() }, { status: error.status });
  }
  throw redirect(`/organize/${convening.slug}/actions?done=1`);
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
