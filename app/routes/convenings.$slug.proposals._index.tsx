import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { getFacilitationLabel, setFacilitationLabel } from "../modules/names/names.server";
import { anonymousLabelSchema, PROPOSAL_LIMITS } from "../modules/proposals/schema";
import { i18nServer } from "../platform/i18n/i18next.server";
import { ownProposals } from "../modules/proposals/sessions.server";
import { isCfpOpen } from "../modules/proposals/states";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";
import { formAction } from "../lib/form-action.server";
import { SessionShape } from "../components/session-shape";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const [proposals, label, t] = await Promise.all([ownProposals(db, convening.id, user.id), getFacilitationLabel(db, convening.id, user.id), i18nServer.getFixedT(request)]);
  return {
    title: t("proposals.title"),
    slug: convening.slug,
    open: isCfpOpen(convening, new Date()),
    closesAt: convening.cfp_closes_at ? formatInstant(convening.cfp_closes_at, convening.time_zone, convening.locale) : null,
    opensAt: convening.cfp_opens_at && convening.cfp_opens_at > new Date().toISOString() ? formatInstant(convening.cfp_opens_at, convening.time_zone, convening.locale) : null,
    // Decisions not yet released must not show: the proposer sees "submitted" until then.
    proposals,
    label: label ?? "",
  };
}

/** The person chooses how they appear as a facilitator at this convening: by name, or under a label of their own. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const form = await readForm(request);
  return formAction(form, anonymousLabelSchema, async (v) => {
    await setFacilitationLabel(getDb(), { conveningId: convening.id, personId: user.id, label: v.label ?? null });
    return redirect(`/convenings/${convening.slug}/proposals?label=saved#appearance`);
  });
}

export default function Proposals() {
  const { slug, open, closesAt, opensAt, proposals, label } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("proposals.heading")}</h1>
      <p>{t("proposals.intro")}</p>
      <div className="cta">
        {open ? (
          <>
            <p>{closesAt ? t("proposals.openUntil", { at: closesAt }) : t("proposals.open")}</p>
            <p>
              <Link className="button" to={`/convenings/${slug}/proposals/new`}>
                {t("proposals.new")}
              </Link>
            </p>
          </>
        ) : (
          <p>{opensAt ? t("proposals.opensAt", { at: opensAt }) : t("proposals.closed")}</p>
        )}
      </div>
      <h2>{t("proposals.yours")}</h2>
      {proposals.length === 0 ? (
        <p>{t("proposals.none")}</p>
      ) : (
        <ul className="cards">
          {proposals.map((p) => (
            <li key={p.id} className="card">
              <h3>
                <Link to={`/convenings/${slug}/proposals/${p.id}`}>{p.title}</Link>
              </h3>
              <p>
                <span className="status">{t(`proposalStatus.${p.status}`)}</span> · <SessionShape format={p.format} minutes={p.length_minutes} />
              </p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="appearance">
        <h2 id="appearance">{t("proposals.labelHeading")}</h2>
        {params.get("label") === "saved" && !result ? <p role="status">{t("proposals.labelSaved")}</p> : null}
        <p>{t("proposals.labelIntro")}</p>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <Field name="label" label={t("proposals.labelField")} hint={t("proposals.labelHint")} maxLength={PROPOSAL_LIMITS.label} defaultValue={label} errors={result?.errors.label} />
          <div>
            <button type="submit" className="button button--secondary">
              {t("proposals.labelSave")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
