import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface ActionMail {
  name: string;
  title: string;
  due: string;
  convening: string;
  link: string;
  /** where to turn these mails off */
  preferences: string;
}

export interface DigestMail {
  name: string;
  items: Array<{ title: string; due: string; status: string }>;
  link: string;
  preferences: string;
}

function actionMail(kind: "assigned" | "due7" | "due1" | "overdue") {
  return (t: TFunction, data: ActionMail) => {
    const vars = { title: data.title, due: data.due, convening: data.convening, name: data.name };
    const blocks: MailBlock[] = [
      { p: t("mail.greeting", vars) },
      { p: t(`mail.action.${kind}.body`, vars) },
      { link: { href: data.link, label: t("mail.action.view") } },
    ];
    if (kind !== "assigned") blocks.push({ p: t("mail.action.unsubscribe", { link: data.preferences }) });
    return renderMail(t, t(`mail.action.${kind}.subject`, vars), blocks);
  };
}

export const actionAssignedMail = actionMail("assigned");
export const actionDue7Mail = actionMail("due7");
export const actionDue1Mail = actionMail("due1");
export const actionOverdueMail = actionMail("overdue");

export function actionDigestMail(t: TFunction, data: DigestMail) {
  return renderMail(t, t("mail.action.digest.subject", { count: data.items.length }), [
    { p: t("mail.greeting", { name: data.name }) },
    { p: t("mail.action.digest.body", { count: data.items.length }) },
    ...data.items.map((i) => ({ p: t("mail.action.digest.line", i) })),
    { link: { href: data.link, label: t("mail.action.view") } },
    { p: t("mail.action.unsubscribe", { link: data.preferences }) },
  ]);
}
