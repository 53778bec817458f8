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

export interface MailTemplates {
  "sign-in": SignInMail;
  "registration-received": RegistrationMail;
  "registration-confirmed": RegistrationMail;
  "registration-waitlisted": RegistrationMail;
  "registration-promoted": RegistrationMail;
  "registration-declined": RegistrationMail;
  "registration-cancelled": RegistrationMail;
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
};

/** Templates whose body holds a secret (a sign-in link): organizers never see their bodies. */
export const SECRET_TEMPLATES: ReadonlySet<TemplateName> = new Set(["sign-in"]);

export function renderTemplate<K extends TemplateName>(t: TFunction, name: K, data: MailTemplates[K]): RenderedMail {
  return templates[name](t, data);
}
