// The answer to a request for a visa invitation letter: approved (download it) or declined (with the organizers' message).
import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface LetterMail {
  /** the name the person registered under */
  name: string;
  convening: string;
  link: string;
  message: string | null;
}

function letterMail(kind: "approved" | "declined") {
  return (t: TFunction, data: LetterMail) => {
    const vars = { convening: data.convening, name: data.name };
    const blocks: MailBlock[] = [{ p: t("mail.greeting", vars) }, { p: t(`badgesLetters.mail.${kind}.body`, vars) }];
    if (data.message) blocks.push({ p: t("badgesLetters.mail.message", { message: data.message }) });
    blocks.push({ link: { href: data.link, label: t(`badgesLetters.mail.${kind}.link`) } });
    return renderMail(t, t(`badgesLetters.mail.${kind}.subject`, vars), blocks);
  };
}

export const letterApprovedMail = letterMail("approved");
export const letterDeclinedMail = letterMail("declined");
