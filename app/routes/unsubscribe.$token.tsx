// One-click unsubscribe (RFC 8058): the signed link in a mail is the authority, so this form needs
// no sign-in and no anti-forgery token; a mail client may POST to it directly.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { i18nServer } from "../platform/i18n/i18next.server";
import { isSubscribed, readUnsubscribeToken, setSubscription } from "../platform/mail/unsubscribe.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { requestForm } from "../lib/form-action.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const t = await i18nServer.getFixedT(request);
  const target = readUnsubscribeToken(params.token ?? "");
  const subscribed = target ? await isSubscribed(getDb(), target.personId, target.topic) : null;
  if (!target || subscribed === null) return data({ title: t("unsubscribe.title"), topic: null, subscribed: false }, { status: 404 });
  return { title: t("unsubscribe.title"), topic: target.topic, subscribed };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const target = readUnsubscribeToken(params.token ?? "");
  if (!target) throw new Response("Not found", { status: 404 });
  const form = await requestForm(request);
  const subscribed = form.get("intent") === "resume";
  const done = await setSubscription(getDb(), { personId: target.personId, topic: target.topic, subscribed });
  if (!done) throw new Response("Not found", { status: 404 });
  return { subscribed };
}

export default function Unsubscribe() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!loaded.topic) {
    return (
      <div className="narrow">
        <h1>{t("unsubscribe.heading")}</h1>
        <p>{t("unsubscribe.invalid")}</p>
      </div>
    );
  }
  // Group messages came later than the other topics: their words live with the rest of that page's.
  const topic = loaded.topic === "messages" ? t("groupMail.topic") : t(`unsubscribe.topic.${loaded.topic}`);
  const subscribed = result ? result.subscribed : loaded.subscribed;
  return (
    <div className="narrow">
      <h1>{t("unsubscribe.heading")}</h1>
      {result ? (
        <p role="status">{t(result.subscribed ? "unsubscribe.resumed" : "unsubscribe.done", { topic })}</p>
      ) : (
        <p>{t(subscribed ? "unsubscribe.current" : "unsubscribe.currentOff", { topic })}</p>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value={subscribed ? "stop" : "resume"} />
        <button type="submit" className={subscribed ? "button" : "button button--secondary"}>
          {t(subscribed ? "unsubscribe.stop" : "unsubscribe.resume")}
        </button>
      </Form>
      <p className="muted">{t("unsubscribe.essential")}</p>
      {loaded.topic === "messages" ? <p className="muted">{t("groupMail.unsubscribeEssential")}</p> : null}
    </div>
  );
}
