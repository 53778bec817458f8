import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ProposalForm } from "../components/proposal-form";
import { readForm } from "../modules/auth/csrf.server";
import { limitSubmissions } from "../modules/auth/rate-limit.server";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { proposalForm } from "../modules/proposals/form.server";
import { formAction } from "../lib/form-action.server";
import { offeredFormats, offeredLengths, updateProposal } from "../modules/proposals/authoring.server";
import { proposalForFacilitator } from "../modules/proposals/sessions.server";
import { getDb } from "../platform/db.server";
import { type FormValues } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { requireParams, idParam } from "../lib/params";
import { requirePublicConvening } from "../features/access/access.server";
import { loadSignedInViewer } from "../modules/registration/viewer.server";
import { canEditProposal } from "../modules/proposals/policy";

export const meta = titleMeta;

async function load(request: Request, params: { slug?: string; id?: string }) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const db = getDb();
  const proposal = await proposalForFacilitator(db, convening.id, id, user.id);
  // Only the proposer edits; to anyone else the proposal does not exist here.
  if (!proposal || proposal.proposer_id !== user.id) throw new Response("Not found", { status: 404 });
  return { user, db, convening, proposal, viewer: await loadSignedInViewer(db, user, convening.id) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, convening, proposal, viewer } = await load(request, params);
  const [tracks, t] = await Promise.all([listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("proposal.editTitle"),
    slug: convening.slug,
    id: proposal.id,
    editable: canEditProposal(viewer, proposal, convening, new Date()),
    draft: proposal.status === "draft",
    formats: offeredFormats(convening),
    lengths: offeredLengths(convening),
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })),
    values: {
      title: proposal.title,
      abstract: proposal.abstract,
      description: proposal.description,
      // A draft that has not chosen shows nothing chosen: the person still has to choose.
      format: proposal.format ?? "",
      length: proposal.length_minutes === null ? "" : String(proposal.length_minutes),
      primaryTrack: proposal.primary_track_id === null ? "" : String(proposal.primary_track_id),
      linkedTracks: proposal.linkedTrackIds.map(String),
      languages: proposal.languages.join(", "),
      audienceSize: proposal.audience_size === null ? "" : String(proposal.audience_size),
      needs: proposal.needs,
      coFacilitators: proposal.facilitators
        .filter((f) => f.role === "co" && f.status === "invited" && f.email)
        .map((f) => f.email!)
        .join("\n"),
    } satisfies FormValues,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, convening, proposal } = await load(request, params);
  const form = await readForm(request);
  await limitSubmissions(db, "proposal", user.id);
  const { submit, schema } = proposalForm(form);
  return formAction(form, schema, async (answers) => {
    await updateProposal(db, { conveningId: convening.id, proposalId: proposal.id, personId: user.id, answers, submit });
    return redirect(`/convenings/${convening.slug}/proposals/${proposal.id}?done=${submit && proposal.status === "draft" ? "submitted" : "saved"}`);
  });
}

export default function EditProposal() {
  const { slug, id, editable, draft, formats, lengths, tracks, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <p>
        <Link to={`/convenings/${slug}/proposals/${id}`}>{t("proposal.backToProposal")}</Link>
      </p>
      <h1>{t("proposal.editHeading")}</h1>
      {!editable ? (
        <p className="notice notice--warn">{t("errors.notEditable")}</p>
      ) : (
        <>
          {errors.form ? (
            <p className="notice notice--error" role="alert">
              {errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
            </p>
          ) : Object.keys(errors).length ? (
            <p className="notice notice--error" role="alert">
              {t("errors.fixBelow")}
            </p>
          ) : null}
          <ProposalForm values={actionData?.values ?? values} errors={errors} formats={formats} lengths={lengths} tracks={tracks} draft={draft} />
        </>
      )}
    </div>
  );
}
