import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ProposalForm } from "../components/proposal-form";
import { readForm } from "../modules/auth/csrf.server";
import { limitSubmissions } from "../modules/auth/rate-limit.server";
import { requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { proposalForm } from "../modules/proposals/form.server";
import { formAction } from "../lib/form-action.server";
import { createOnce } from "../platform/submissions.server";
import { createProposal, offeredFormats, offeredLengths } from "../modules/proposals/authoring.server";
import { isCfpOpen } from "../modules/proposals/states";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { requirePublicConvening } from "../features/access/access.server";

export const meta = titleMeta;

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening({ slug });
  return { user, db, convening };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, convening } = await load(request, params.slug);
  const [tracks, t] = await Promise.all([listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("proposal.newTitle"),
    open: isCfpOpen(convening, new Date()),
    formats: offeredFormats(convening),
    lengths: offeredLengths(convening),
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, convening } = await load(request, params.slug);
  const form = await readForm(request);
  await limitSubmissions(db, "proposal", user.id);
  const { submit, schema } = proposalForm(form);
  return formAction(form, schema, (answers) =>
    createOnce(db, form, { personId: user.id, kind: "proposal" }, async (trx) => {
      const proposal = await createProposal(trx, { conveningId: convening.id, proposerId: user.id, answers, submit });
      return `/convenings/${convening.slug}/proposals/${proposal.id}?done=${submit ? "submitted" : "saved"}`;
    }),
  );
}

export default function NewProposal() {
  const { open, formats, lengths, tracks } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <h1>{t("proposal.newHeading")}</h1>
      {!open ? (
        <p className="notice notice--warn">{t("errors.cfpClosed")}</p>
      ) : (
        <>
          <p>{t("proposal.newIntro")}</p>
          {errors.form ? (
            <p className="notice notice--error" role="alert">
              {errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
            </p>
          ) : Object.keys(errors).length ? (
            <p className="notice notice--error" role="alert">
              {t("errors.fixBelow")}
            </p>
          ) : null}
          <ProposalForm values={actionData?.values ?? {}} errors={errors} formats={formats} lengths={lengths} tracks={tracks} draft creating />
        </>
      )}
    </div>
  );
}
