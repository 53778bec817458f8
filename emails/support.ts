// The mail telling a person what organizers decided on their travel-support request.
import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface SupportDecisionMail {
  name: string;
  convening: string;
  link: string;
  outcome: "granted" | "partly_granted" | "declined";
  /** amounts already formatted in the convening's language; null where none (erased or not granted) */
  items: Array<{ kind: "travel" | "lodging" | "per_diem" | "visa_fees"; requested: string | null; granted: string | null }>;
  message: string | null;
}

export function supportDecidedMail(t: TFunction, data: SupportDecisionMail) {
  const vars = { convening: data.convening, name: data.name };
  const blocks: MailBlock[] = [{ p: t("mail.greeting", vars) }, { p: t(`travelSupport.mail.body.${data.outcome}`, vars) }];
  if (data.outcome !== "declined") {
    for (const item of data.items) {
      blocks.push({ p: t("travelSupport.mail.item", { kind: t(`travelSupport.kind.${item.kind}`), granted: item.granted ?? t("travelSupport.none"), requested: item.requested ?? t("travelSupport.none") }) });
    }
  }
  if (data.message) blocks.push({ p: t("travelSupport.mail.message", { message: data.message }) });
  blocks.push({ link: { href: data.link, label: t("mail.registration.view") } });
  return renderMail(t, t("travelSupport.mail.subject", vars), blocks);
}
