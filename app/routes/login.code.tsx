import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { finishSignIn } from "../modules/auth/finish-sign-in.server";
import { signInWithCode } from "../modules/auth/login.server";
import { pendingSignIn } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { formAction, invalid } from "../lib/form-action.server";

export const meta = titleMeta;

const codeSchema = z.object({
  code: z.preprocess(
    (v) => (typeof v === "string" ? v.replace(/\s+/g, "") : v),
    z.string("errors.required").min(1, "errors.required").regex(/^\d{6}$/, "errors.code"),
  ),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await pendingSignIn(request)) === null) throw redirect("/login");
  const t = await i18nServer.getFixedT(request);
  return { title: t("login.code.title") };
}

const CODE_REFUSED = { invalid: "errors.codeWrong", too_many_attempts: "errors.codeTooMany" } as const;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const tokenId = await pendingSignIn(request);
  if (tokenId === null) return invalid({ code: ["errors.signInExpired"] }, form);
  return formAction(form, codeSchema, async (v) => {
    const result = await signInWithCode(getDb(), tokenId, v.code);
    if (!result.ok) return invalid({ code: [CODE_REFUSED[result.reason as keyof typeof CODE_REFUSED] ?? "errors.signInExpired"] }, form);
    return finishSignIn(result);
  });
}

export default function LoginCode() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("login.code.heading")}</h1>
      <p role="status">{t("login.code.sent")}</p>
      <p>{t("login.code.intro")}</p>
      <Form method="post" className="form" noValidate>
        <CsrfInput />
        <Field
          name="code"
          className="code"
          label={t("login.code.label")}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={7}
          required
          errors={actionData?.errors.code}
        />
        <div>
          <button type="submit" className="button">
            {t("login.code.submit")}
          </button>
        </div>
      </Form>
      <p>
        <Link to="/login">{t("login.code.again")}</Link>
      </p>
    </div>
  );
}
