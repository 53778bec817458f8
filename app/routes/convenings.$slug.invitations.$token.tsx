// A co-facilitator's answer to the invitation in their mail. The token in the address is the
// only proof of the invitation; answering needs an account, so the link leads through sign-in.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { invitationByToken, respondToInvitation } from "../modules/proposals/invitations.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { formAction } from "../lib/form-action.server";

export const meta = titleMeta;

async function load(request: Request, params: { slug?: string; token?: string }) {
  const user = await requireUser(request);
  const token = params.token ?? "";
  const invitation = token.length > 0 && token.length <= 100 ? await invitationByToken(getDb(), token) : undefined;
  if (!invitation || invitation.slug !== params.slug) throw new Response("Not found", { status: 404 });
  return { user, token, invitation };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { invitation } = await load(request, params);
  const t = await i18nServer.getFixedT(request);
  return {
    title: t("invitation.title"),
    invitation: {
      title: invitation.title,
      abstract: invitation.abstract,
      inviter: invitation.inviter,
      convening: invitation.conveningTitle,
      open: invitation.status === "invited" && invitation.proposalStatus !== "withdrawn",
    },
  };
}

const answerSchema = z.object({ answer: z.enum(["accept", "decline"], "errors.invalid") });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, token, invitation } = await load(request, params);
  const form = await readForm(request);
  return formAction(
    form,
    answerSchema,
    async ({ answer }) => {
      const { proposalId } = await respondToInvitation(getDb(), { token, personId: user.id, accept: answer === "accept" });
      return redirect(answer === "accept" ? `/convenings/${invitation.slug}/proposals/${proposalId}?done=joined` : `/convenings/${invitation.slug}?invitation=declined`);
    },
    { fields: { answer: "form" } },
  );
}

export default function Invitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("invitation.heading")}</h1>
      {actionData?.ok === false ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.message as "errors.invalid")}
        </p>
      ) : null}
      <p>{t("invitation.intro", { inviter: invitation.inviter ?? t("proposal.aFacilitator"), convening: invitation.convening })}</p>
      <div className="card">
        <h2>{invitation.title}</h2>
        <p>{invitation.abstract}</p>
      </div>
      {invitation.open ? (
        <Form method="post" className="actions">
          <CsrfInput />
          <button type="submit" name="answer" value="accept" className="button">
            {t("invitation.accept")}
          </button>
          <button type="submit" name="answer" value="decline" className="button button--secondary">
            {t("invitation.decline")}
          </button>
        </Form>
      ) : (
        <p className="notice notice--warn">{t("errors.invitationUsed")}</p>
      )}
    </div>
  );
}
