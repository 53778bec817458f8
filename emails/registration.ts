import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface RegistrationMail {
  name: string;
  convening: string;
  link: string;
  /** waitlist position, for the waitlisted mail */
  position?: number;
  /** an organizer's message, for the declined mail */
  message?: string | null;
  /** the check-in code and the desk's address it opens, for the confirmed and promoted mails */
  checkIn?: { code: string; url: string };
}

type Kind = "received" | "confirmed" | "waitlisted" | "promoted" | "declined" | "cancelled";

function registrationMail(kind: Kind) {
  return (t: TFunction, data: RegistrationMail) => {
    const vars = { convening: data.convening, name: data.name, position: data.position ?? 0 };
    const blocks: MailBlock[] = [
      { p: t("mail.greeting", vars) },
      { p: t(`mail.registration.${kind}.body`, vars) },
    ];
    if (kind === "declined" && data.message) blocks.push({ p: t("mail.registration.declined.message", { message: data.message }) });
    if ((kind === "confirmed" || kind === "promoted") && data.checkIn) {
      blocks.push(
        { p: t("checkInDesk.mail.text", { code: data.checkIn.code }) },
        { qr: { text: data.checkIn.url, label: t("checkInDesk.mail.alt", { code: data.checkIn.code }) } },
        { code: data.checkIn.code },
        { p: t("checkInDesk.mail.link", { url: data.checkIn.url }) },
      );
    }
    blocks.push({ link: { href: data.link, label: t("mail.registration.view") } });
    return renderMail(t, t(`mail.registration.${kind}.subject`, vars), blocks);
  };
}

export const registrationReceivedMail = registrationMail("received");
export const registrationConfirmedMail = registrationMail("confirmed");
export const registrationWaitlistedMail = registrationMail("waitlisted");
export const registrationPromotedMail = registrationMail("promoted");
export const registrationDeclinedMail = registrationMail("declined");
export const registrationCancelledMail = registrationMail("cancelled");
