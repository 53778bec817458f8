import type { TFunction } from "i18next";
import { renderMail } from "./layout";

export interface SessionInvitationMail {
  name: string;
  title: string;
  convening: string;
  kind: "new" | "update" | "cancel";
  when: string;
  room: string;
  link: string;
}

/** A facilitator's session as a calendar invitation (the calendar part travels with the mail). */
export function sessionInvitationMail(t: TFunction, data: SessionInvitationMail) {
  const vars = { title: data.title, convening: data.convening, when: data.when, room: data.room, name: data.name };
  return renderMail(t, t(`mail.sessionInvitation.${data.kind}.subject`, vars), [
    { p: t("mail.greeting", vars) },
    { p: t(`mail.sessionInvitation.${data.kind}.body`, vars) },
    { p: t("mail.sessionInvitation.calendar") },
    { link: { href: data.link, label: t("mail.sessionInvitation.view") } },
  ]);
}
