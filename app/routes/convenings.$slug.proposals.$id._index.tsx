import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { setAnonymousLabel } from "../modules/proposals/labels.server";
import { withdrawProposal } from "../modules/proposals/authoring.server";
import { anonymousLabelSchema, PROPOSAL_LIMITS } from "../modules/proposals/schema";
import { unavailableSchema } from "../modules/agenda/schema";
import { setUnavailability } from "../modules/agenda/setup.server";
import { ChoiceGroup } from "../components/field";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { Fact } from "../components/fact";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";
import { requireParams, idParam } from "../lib/params";
import { requirePublicConvening } from "../features/access/access.server";
import { facilitatorProposalPage } from "../features/proposals/proposal-page.server";
import { loadSignedInViewer } from "../modules/registration/viewer.server";
import { SessionShape } from "../components/session-shape";

export const meta = titleMeta;

async function load(request: Request, params: { slug?: string; id?: string }) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const db = getDb();
  const page = await facilitatorProposalPage(db, convening, await loadSignedInViewer(db, user, convening.id), id);
  if (!page) throw new Response("Not found", { status: 404 });
  return { user, db, convening, page, proposal: page.proposal };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening, page } = await load(request, params);
  const t = await i18nServer.getFixedT(request);
  return { ...page, title: t("proposal.viewTitle"), slug: convening.slug };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, convening, proposal } = await load(request, params);
  const form = await readForm(request);
  const here = (done: string) => redirect(`/convenings/${convening.slug}/proposals/${proposal.id}?done=${done}`);
  switch (form.get("intent")) {
    case "withdraw":
      return formAction(form, z.object({}), async () => (await withdrawProposal(db, { conveningId: convening.id, proposalId: proposal.id, personId: user.id }), here("withdrawn")));
    case "unavailable":
      return formAction(form, unavailableSchema, async (v) => (await setUnavailability(db, { conveningId: convening.id, personId: user.id, slotIds: v.slots }), here("label")), { fields: { form: "slots" } });
    case "label":
      return formAction(form, anonymousLabelSchema, async (v) => (await setAnonymousLabel(db, { proposalId: proposal.id, personId: user.id, label: v.label ?? null }), here("label")));
    default:
      return invalid({ form: ["errors.invalid"] }, form);
  }
}

export default function ProposalView() {
  const { slug, proposal, facilitators, canEdit, canWithdraw, myLabel, slots, unavailable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  return (
    <div className="narrow">
      <p>
        <Link to={`/convenings/${slug}/proposals`}>{t("proposal.back")}</Link>
      </p>
      <h1>{proposal.title}</h1>
      {done ? (
        <p className="notice notice--ok" role="status">
          {t(`proposal.done.${done as "submitted"}`)}
        </p>
      ) : null}
      {actionData?.errors.form ? (
        <p className="notice notice--error" role="alert">
          {actionData.errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}
      <div className="notice">
        <p>
          <strong>{t(`proposalStatus.${proposal.status}`)}</strong>
        </p>
        <p>{t(`proposalStatusText.${proposal.status}`)}</p>
        {proposal.message ? <p>{t("proposal.organizerMessage", { message: proposal.message })}</p> : null}
      </div>
      <dl className="facts">
        <dt>{t("proposal.field.format")}</dt>
        <dd>
          <SessionShape format={proposal.format} minutes={proposal.length} />
        </dd>
        <dt>{t("proposal.field.primaryTrack")}</dt>
        <dd>{proposal.primaryTrack}</dd>
        <Fact term={t("proposal.field.linkedTracks")}>{proposal.linkedTracks.join(", ")}</Fact>
        <Fact term={t("proposal.field.languages")}>{proposal.languages.join(", ")}</Fact>
        <Fact term={t("proposal.field.needs")}>{proposal.needs.map((n) => t(`need.${n as "projector"}`)).join(", ")}</Fact>
      </dl>
      <h2>{t("proposal.field.abstract")}</h2>
      <p>{proposal.abstract}</p>
      {proposal.description ? (
        <>
          <h2>{t("proposal.field.description")}</h2>
          <p className="prewrap">{proposal.description}</p>
        </>
      ) : null}
      <h2>{t("proposal.facilitators")}</h2>
      <ul>
        {facilitators.map((f) => (
          <li key={f.id}>
            {f.label ? `${f.label} (${f.name ?? ""})` : (f.name ?? t("proposal.aFacilitator"))} — {t(`facilitatorStatus.${f.role === "proposer" ? "proposer" : f.status}`)}
          </li>
        ))}
      </ul>
      <Form method="post" className="form">
        <CsrfInput />
        <input type="hidden" name="intent" value="label" />
        <Field name="label" label={t("proposal.anonymousLabel")} hint={t("proposal.anonymousLabelHint")} maxLength={PROPOSAL_LIMITS.label} defaultValue={myLabel} errors={actionData?.errors.label} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("proposal.saveLabel")}
          </button>
        </div>
      </Form>
      {slots.length ? (
        <Form method="post" className="form">
          <CsrfInput />
          <input type="hidden" name="intent" value="unavailable" />
          <ChoiceGroup name="slots" type="checkbox" legend={t("proposal.unavailable")} hint={t("proposal.unavailableHint")} errors={actionData?.errors.slots} selected={unavailable} options={slots.map((s) => ({ value: String(s.id), label: s.label }))} />
          <div>
            <button type="submit" className="button button--secondary">
              {t("proposal.saveUnavailable")}
            </button>
          </div>
        </Form>
      ) : null}
      <div className="actions">
        {canEdit ? (
          <Link className="button" to={`/convenings/${slug}/proposals/${proposal.id}/edit`}>
            {t("proposal.edit")}
          </Link>
        ) : null}
        {canWithdraw ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button button--danger">
              {t("proposal.withdraw")}
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
