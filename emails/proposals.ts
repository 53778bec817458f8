import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface ProposalMail {
  name: string;
  title: string;
  convening: string;
  link: string;
  message?: string | null;
}

export interface InvitationMail {
  /** the proposer, by the name they chose to show */
  inviter: string;
  title: string;
  abstract: string;
  convening: string;
  link: string;
}

function proposalMail(kind: "submitted" | "accepted" | "declined" | "waitlisted") {
  return (t: TFunction, data: ProposalMail) => {
    const vars = { title: data.title, convening: data.convening, name: data.name };
    const blocks: MailBlock[] = [{ p: t("mail.greeting", vars) }, { p: t(`mail.proposal.${kind}.body`, vars) }];
    if (data.message) blocks.push({ p: t("mail.proposal.message", { message: data.message }) });
    blocks.push({ link: { href: data.link, label: t("mail.proposal.view") } });
    return renderMail(t, t(`mail.proposal.${kind}.subject`, vars), blocks);
  };
}

export const proposalSubmittedMail = proposalMail("submitted");
export const proposalAcceptedMail = proposalMail("accepted");
export const proposalDeclinedMail = proposalMail("declined");
export const proposalWaitlistedMail = proposalMail("waitlisted");

export function invitationMail(t: TFunction, data: InvitationMail) {
  const vars = { inviter: data.inviter, title: data.title, convening: data.convening };
  return renderMail(t, t("mail.invitation.subject", vars), [
    { p: t("mail.invitation.body", vars) },
    { p: data.abstract },
    { link: { href: data.link, label: t("mail.invitation.button") } },
    { p: t("mail.invitation.ignore") },
  ]);
}
