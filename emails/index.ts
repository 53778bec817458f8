// Every message the app sends, by name. A template turns data into subject, text and HTML.
import type { TFunction } from "i18next";
import type { RenderedMail } from "./layout";
import {
  registrationCancelledMail,
  registrationConfirmedMail,
  registrationDeclinedMail,
  registrationPromotedMail,
  registrationReceivedMail,
  registrationWaitlistedMail,
  type RegistrationMail,
} from "./registration";
import { signInMail, type SignInMail } from "./sign-in";
import { supportDecidedMail, type SupportDecisionMail } from "./support";
import { agendaChangedMail, type AgendaMail } from "./agenda";
import { groupMessageMail, type GroupMessageMail } from "./group-message";
import { letterApprovedMail, letterDeclinedMail, type LetterMail } from "./letter";
import { sessionInvitationMail, type SessionInvitationMail } from "./invitation";
import { actionAssignedMail, actionDigestMail, actionDue1Mail, actionDue7Mail, actionOverdueMail, type ActionMail, type DigestMail } from "./actions";
import {
  invitationMail,
  proposalAcceptedMail,
  proposalDeclinedMail,
  proposalSubmittedMail,
  proposalWaitlistedMail,
  type InvitationMail,
  type ProposalMail,
} from "./proposals";

export interface MailTemplates {
  "sign-in": SignInMail;
  "registration-received": RegistrationMail;
  "registration-confirmed": RegistrationMail;
  "registration-waitlisted": RegistrationMail;
  "registration-promoted": RegistrationMail;
  "registration-declined": RegistrationMail;
  "registration-cancelled": RegistrationMail;
  "proposal-submitted": ProposalMail;
  "proposal-accepted": ProposalMail;
  "proposal-declined": ProposalMail;
  "proposal-waitlisted": ProposalMail;
  "facilitator-invitation": InvitationMail;
  "agenda-changed": AgendaMail;
  "session-invitation": SessionInvitationMail;
  "action-assigned": ActionMail;
  "action-due-7d": ActionMail;
  "action-due-1d": ActionMail;
  "action-overdue": ActionMail;
  "action-digest": DigestMail;
  "group-message": GroupMessageMail;
  "letter-approved": LetterMail;
  "letter-declined": LetterMail;
  "support-decided": SupportDecisionMail;
}
export type TemplateName = keyof MailTemplates;

const templates: { [K in TemplateName]: (t: TFunction, data: MailTemplates[K]) => RenderedMail } = {
  "sign-in": signInMail,
  "registration-received": registrationReceivedMail,
  "registration-confirmed": registrationConfirmedMail,
  "registration-waitlisted": registrationWaitlistedMail,
  "registration-promoted": registrationPromotedMail,
  "registration-declined": registrationDeclinedMail,
  "registration-cancelled": registrationCancelledMail,
  "proposal-submitted": proposalSubmittedMail,
  "proposal-accepted": proposalAcceptedMail,
  "proposal-declined": proposalDeclinedMail,
  "proposal-waitlisted": proposalWaitlistedMail,
  "facilitator-invitation": invitationMail,
  "agenda-changed": agendaChangedMail,
  "session-invitation": sessionInvitationMail,
  "action-assigned": actionAssignedMail,
  "action-due-7d": actionDue7Mail,
  "action-due-1d": actionDue1Mail,
  "action-overdue": actionOverdueMail,
  "action-digest": actionDigestMail,
  "group-message": groupMessageMail,
  "letter-approved": letterApprovedMail,
  "letter-declined": letterDeclinedMail,
  "support-decided": supportDecidedMail,
};

/** Every template's name, for lists that offer them (an organizer's filter). */
export const TEMPLATE_NAMES = Object.keys(templates) as TemplateName[];

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}

/** Templates whose body holds a secret (a sign-in link) or sensitive answers (support amounts): organizers never see their bodies. */
export const SECRET_TEMPLATES: ReadonlySet<TemplateName> = new Set(["sign-in", "facilitator-invitation", "support-decided"]);

/**
 * Templates sent to many people at once, which may wait behind mail a person is waiting for
 * (sign-in, invitations, registration and proposal status): the sender sends every other
 * template first. A new bulk template is one more line here.
 */
export const BULK_TEMPLATES: ReadonlySet<TemplateName> = new Set<TemplateName>([
  "agenda-changed",
  "action-due-7d",
  "action-due-1d",
  "action-overdue",
  "action-digest",
  "group-message",
]);

export function renderTemplate<K extends TemplateName>(t: TFunction, name: K, data: MailTemplates[K]): RenderedMail {
  return templates[name](t, data);
}
