import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requestSignIn } from "../modules/auth/login.server";
import { getUser, rememberPendingSignIn, safeRedirect } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { EMAIL_MAX, emailSchema } from "../modules/people/schema";
import { getDb } from "../platform/db.server";
import { getEnv } from "../platform/env.server";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import type { FieldErrors } from "../lib/forms";

export const meta = titleMeta;

const signInSchema = z.object({ email: emailSchema, redirectTo: z.string().optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "");
  if (await getUser(request)) throw redirect(redirectTo || "/");
  const t = await i18nServer.getFixedT(request);
  return { title: t("login.title"), redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  return formAction(
    form,
    signInSchema,
    async (v) => {
      const result = await requestSignIn(getDb(), { email: v.email, clientAddress: context.clientAddress ?? "unknown", redirectTo: safeRedirect(v.redirectTo, "") || null });
      if (!result.ok) return data({ ok: false as const, errors: {} as FieldErrors, values: { email: v.email }, limited: true }, { status: 429 });
      if (!getEnv().smtpUrl && getEnv().demo) {
        // In the demo, without a mail server the link would be lost in a file: print it. Never in
        // production, where a log reader could sign in as anyone. No address is logged.
        console.log(`[convene] no SMTP configured: sign-in link ${result.link} (code ${result.code})`);
      }
      return redirect("/login/code", { headers: { "Set-Cookie": await rememberPendingSignIn(result.tokenId) } });
    },
    { echo: { limited: false } },
  );
}

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("login.heading")}</h1>
      <p>{t("login.intro")}</p>
      {actionData?.limited ? (
        <p className="notice notice--error" role="alert">
          {t("login.rateLimited")}
        </p>
      ) : null}
      <Form method="post" className="form" noValidate>
        <CsrfInput />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <Field
          name="email"
          type="email"
          label={t("login.email")}
          hint={t("login.emailHint")}
          autoComplete="email"
          required
          maxLength={EMAIL_MAX}
          defaultValue={valueOf(actionData?.values, "email")}
          errors={actionData?.errors.email}
        />
        <div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("login.submit")}
          </button>
        </div>
      </Form>
      <p className="muted">{t("login.privacy")}</p>
    </div>
  );
}
