import type { TFunction } from "i18next";
import { renderMail } from "./layout";

export interface SignInMail {
  link: string;
  code: string;
  minutes: number;
}

export function signInMail(t: TFunction, data: SignInMail) {
  return renderMail(t, t("mail.signIn.subject"), [
    { p: t("mail.signIn.intro") },
    { link: { href: data.link, label: t("mail.signIn.button") } },
    { p: t("mail.signIn.codeIntro") },
    { code: data.code },
    { p: t("mail.signIn.expiry", { minutes: data.minutes }) },
    { p: t("mail.signIn.ignore") },
  ]);
}
