// The link in the sign-in mail. Opening it shows a button; only the POST signs in, so mail
// scanners that fetch links do not use up the one-time token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { finishSignIn } from "../modules/auth/finish-sign-in.server";
import { signInWithToken } from "../modules/auth/login.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const t = await i18nServer.getFixedT(request);
  return { title: t("login.verify.title"), token };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = form.get("token");
  if (typeof token !== "string" || token.length === 0 || token.length > 100) {
    return data({ error: "errors.signInLinkInvalid" }, { status: 400 });
  }
  const result = await signInWithToken(getDb(), token);
  if (!result.ok) {
    return data({ error: result.reason === "invalid" ? "errors.signInLinkInvalid" : "errors.signInExpired" }, { status: 400 });
  }
  return finishSignIn(result);
}

export default function Verify() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("login.verify.heading")}</h1>
      {actionData?.error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(actionData.error as "errors.signInExpired")}</p>
          <p>
            <Link to="/login">{t("login.code.again")}</Link>
          </p>
        </div>
      ) : token ? (
        <Form method="post" className="form">
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <p>{t("login.verify.intro")}</p>
          <div>
            <button type="submit" className="button">
              {t("login.verify.submit")}
            </button>
          </div>
        </Form>
      ) : (
        <p className="notice notice--error" role="alert">
          {t("errors.signInLinkInvalid")} <Link to="/login">{t("login.code.again")}</Link>
        </p>
      )}
    </div>
  );
}
