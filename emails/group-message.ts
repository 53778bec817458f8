// A message organizers wrote to a group of a convening's registrants: their subject as written,
// a greeting by the name the person registered under, their text paragraph by paragraph.
import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface GroupMessageMail {
  /** the recipient's name for this convening (the one organizers see) */
  name: string;
  convening: string;
  subject: string;
  /** plain text; a blank line starts a new paragraph */
  body: string;
}

export function groupMessageMail(t: TFunction, data: GroupMessageMail) {
  const paragraphs = data.body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const blocks: MailBlock[] = [
    { p: t("mail.greeting", { name: data.name }) },
    ...paragraphs.map((p) => ({ p })),
    { p: t("groupMail.mail.signature", { convening: data.convening }) },
  ];
  return renderMail(t, data.subject, blocks);
}
