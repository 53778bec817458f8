import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { setAnonymousLabel, withdrawProposal } from "../modules/proposals/proposals.server";
import { anonymousLabelSchema, PROPOSAL_LIMITS } from "../modules/proposals/schema";
import { unavailableSchema } from "../modules/agenda/schema";
import { listSlots, setUnavailability, unavailableSlots } from "../modules/agenda/setup.server";
import { ChoiceGroup } from "../components/field";
import { formatInstant } from "../lib/format";
import { proposalForFacilitator } from "../modules/proposals/sessions.server";
import { EDITABLE_STATUSES, isCfpOpen, statusForFacilitators, WITHDRAWABLE_STATUSES } from "../modules/proposals/states";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { facilitationLabels, facilitatorName } from "../modules/names/names.server";
import { Fact } from "../components/fact";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";
import { requireParams, idParam } from "../lib/params";
import { requirePublicConvening } from "../features/access/access.server";

export const meta = titleMeta;

async function load(request: Request, params: { slug?: string; id?: string }) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const db = getDb();
  const proposal = await proposalForFacilitator(db, convening.id, id, user.id);
  if (!proposal) throw new Response("Not found", { status: 404 });
  return { user, db, convening, proposal };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, convening, proposal } = await load(request, params);
  const people = proposal.facilitators.flatMap((f) => (f.person_id === null ? [] : [f.person_id]));
  const [tracks, t, slots, unavailable, labels] = await Promise.all([
    listTracks(db, convening.id),
    i18nServer.getFixedT(request),
    listSlots(db, convening.id),
    unavailableSlots(db, convening.id, user.id),
    facilitationLabels(db, convening.id, people),
  ]);
  const status = statusForFacilitators(proposal.status);
  const mine = proposal.facilitators.find((f) => f.person_id === user.id);
  return {
    title: t("proposal.viewTitle"),
    slug: convening.slug,
    isProposer: proposal.proposer_id === user.id,
    canEdit: proposal.proposer_id === user.id && EDITABLE_STATUSES.includes(proposal.status) && isCfpOpen(convening, new Date()),
    canWithdraw: proposal.proposer_id === user.id && WITHDRAWABLE_STATUSES.includes(proposal.status),
    proposal: {
      id: proposal.id,
      title: proposal.title,
      abstract: proposal.abstract,
      description: proposal.description,
      format: proposal.format,
      length: proposal.length_minutes,
      status,
      // An organizer's message reaches the facilitators only with the released decision.
      message: status === proposal.status ? proposal.decision_message : null,
      primaryTrack: tracks.find((tr) => tr.id === proposal.primary_track_id)?.name ?? "",
      linkedTracks: proposal.linkedTrackIds.map((id) => tracks.find((tr) => tr.id === id)?.name ?? ""),
      languages: proposal.languages,
      needs: proposal.needs,
    },
    // Co-facilitators as the public sees them (their label if they chose one); the person sees
    // their own name behind their label; the proposer sees the address of an invitation not yet answered.
    facilitators: proposal.facilitators.map((f) => {
      const isMe = f.person_id === user.id;
      const shown = facilitatorName({ sessionLabel: f.anonymous_label, conveningLabel: f.person_id === null ? null : (labels.get(f.person_id) ?? null), publicName: f.public_name, deleted: false });
      const invited = f.person_id === null && proposal.proposer_id === user.id ? f.email : null;
      return {
        id: f.id,
        role: f.role,
        status: f.status,
        name: isMe ? f.public_name : (shown ?? invited),
        label: isMe && shown !== f.public_name ? shown : null,
        isMe,
      };
    }),
    myLabel: mine?.anonymous_label ?? "",
    // Facilitators of accepted sessions say which slots they cannot make, for the scheduler.
    slots: ["accepted", "confirmed"].includes(status) ? slots.map((s) => ({ id: s.id, label: formatInstant(s.starts_at, convening.time_zone, convening.locale) })) : [],
    unavailable: unavailable.map(String),
  };
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
          {t(`format.${proposal.format}`)} · {t("proposal.minutes", { count: proposal.length })}
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
