import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { CheckboxField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { destroySession, requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { deleteAccount } from "../features/account/erase.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

const deleteSchema = z.object({
  confirm: z.literal("on", "errors.deleteConfirm"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { allowIncompleteProfile: true });
  const t = await i18nServer.getFixedT(request);
  return { title: t("myData.title") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowIncompleteProfile: true });
  const form = await readForm(request);
  return formAction(form, deleteSchema, async () => {
    const db = getDb();
    await deleteAccount(db, user.id);
    return redirect("/account/deleted", { headers: { "Set-Cookie": await destroySession(db, request) } });
  });
}

export default function MyData() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>{t("myData.heading")}</h1>
      <p>{t("myData.intro")}</p>
      <p>
        <a className="button" href="/account/data.json" download>
          {t("myData.download")}
        </a>
      </p>
      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t("myData.deleteHeading")}</h2>
        <p>{t("myData.deleteIntro")}</p>
        <Form method="post" noValidate>
          <CsrfInput />
          <CheckboxField name="confirm" label={t("myData.deleteConfirm")} errors={result?.errors.confirm} />
          <button type="submit" className="button button--danger">
            {t("myData.deleteButton")}
          </button>
        </Form>
      </section>
    </div>
  );
}
