import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { changeConveningStatus, possibleChanges } from "../modules/convenings/status.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatDay, formatDayRange, formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const t = await i18nServer.getFixedT(request);
  const at = (iso: string | null) => (iso ? formatInstant(iso, convening.time_zone, convening.locale) : null);
  return {
    title: t("conveningLife.title", { convening: convening.title }),
    convening: {
      slug: convening.slug,
      title: convening.title,
      status: convening.status,
      days: formatDayRange(convening.starts_on, convening.ends_on, convening.locale),
      endsOn: formatDay(convening.ends_on, convening.locale),
      opensAt: at(convening.registration_opens_at),
      closesAt: at(convening.registration_closes_at),
    },
    changes: possibleChanges(convening, new Date()),
  };
}

const changeSchema = z.object({
  change: z.enum(["publish", "close", "reopen"], "errors.invalidChoice"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const form = await readForm(request);
  return formAction(form, changeSchema, async ({ change }) => {
    const to = await changeConveningStatus(getDb(), {
      conveningId: convening.id,
      change,
      organizerId: user.id,
    });
    return redirect(`/organize/${convening.slug}?done=${change === "reopen" ? "reopenedPublished" : to}`);
  });
}

function ChangeButton({ change, label, hint, danger }: { change: string; label: string; hint: string; danger?: boolean }) {
  return (
    <Form method="post" className="form">
      <CsrfInput />
      <input type="hidden" name="change" value={change} />
      <p className="hint">{hint}</p>
      <div>
        <button type="submit" className={danger ? "button button--danger" : "button"}>
          {label}
        </button>
      </div>
    </Form>
  );
}

export default function ConveningOverview() {
  const { convening, changes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  const base = `/organize/${convening.slug}`;
  return (
    <>
      <p>
        <Link to="/organize">{t("organize.heading")}</Link>
      </p>
      <h1>{convening.title}</h1>
      <p>{convening.days}</p>
      {done && ["published", "archived", "reopenedPublished"].includes(done) ? (
        <p className="notice notice--ok" role="status">
          {t(`conveningLife.done.${done as "published"}`)}
        </p>
      ) : null}
      {params.has("created") ? (
        <p className="notice notice--ok" role="status">
          {t("conveningLife.created")}
        </p>
      ) : null}
      {actionData && !actionData.ok ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.message as "errors.invalid")}
        </p>
      ) : null}

      <section aria-labelledby="status-heading" className="card">
        <h2 id="status-heading">
          {t("conveningLife.statusLabel")}: {t(`conveningLife.status.${convening.status}`)}
        </h2>
        <p>{t(`conveningLife.explain.${convening.status}`)}</p>
        {changes.includes("publish") ? <ChangeButton change="publish" label={t("conveningLife.publish")} hint={t("conveningLife.publishHint")} /> : null}
        {changes.includes("close") ? <ChangeButton change="close" label={t("conveningLife.close")} hint={t("conveningLife.closeHint")} danger /> : null}
        {convening.status === "published" && !changes.includes("close") ? <p className="hint">{t("conveningLife.closeNotYet", { day: convening.endsOn })}</p> : null}
        {changes.includes("reopen") ? <ChangeButton change="reopen" label={t("conveningLife.reopen")} hint={t("conveningLife.reopenHint")} /> : null}
      </section>

      <section aria-labelledby="window-heading">
        <h2 id="window-heading">{t("conveningLife.registrationWindow")}</h2>
        <p>
          {convening.opensAt
            ? t("conveningLife.windowSet", {
                opens: convening.opensAt,
                closes: convening.closesAt ? t("conveningLife.windowCloses", { at: convening.closesAt }) : "",
              })
            : t("conveningLife.windowNotSet")}
        </p>
        {convening.status !== "archived" ? (
          <p>
            <Link to={`${base}/registrations?settings=1#settings`}>{t("conveningLife.setWindow")}</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="pages-heading">
        <h2 id="pages-heading">{t("conveningLife.pages")}</h2>
        {convening.status === "draft" ? <p>{t("conveningLife.notPublic")}</p> : null}
        <ul className="actions-list">
          {convening.status !== "draft" ? (
            <li>
              <Link to={`/convenings/${convening.slug}`}>{t("conveningLife.publicPage")}</Link>
            </li>
          ) : null}
          <li>
            <Link to={`${base}/registrations`}>{t("organize.registrations")}</Link>
          </li>
          <li>
            <Link to={`${base}/proposals`}>{t("organize.proposals")}</Link>
          </li>
          <li>
            <Link to={`${base}/agenda`}>{t("convening.agenda")}</Link>
          </li>
          <li>
            <Link to={`${base}/actions`}>{t("organize.actions")}</Link>
          </li>
          <li>
            <Link to={`${base}/messages`}>{t("groupMail.link")}</Link>
          </li>
        </ul>
      </section>
    </>
  );
}
