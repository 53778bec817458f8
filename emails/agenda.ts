import type { TFunction } from "i18next";
import { renderMail, type MailBlock } from "./layout";

export interface AgendaMail {
  name: string;
  convening: string;
  version: number;
  first: boolean;
  link: string;
  /** the recipient's own sessions that changed, already formatted in the convening's zone */
  sessions: Array<{ title: string; kind: "added" | "moved" | "renamed" | "cancelled"; when: string; room: string }>;
}

export function agendaChangedMail(t: TFunction, data: AgendaMail) {
  const vars = { convening: data.convening, version: data.version, name: data.name };
  const blocks: MailBlock[] = [
    { p: t("mail.greeting", vars) },
    { p: data.first ? t("mail.agenda.publishedBody", vars) : t("mail.agenda.changedBody", vars) },
    ...data.sessions.map((s) => ({
      p: s.kind === "cancelled" ? t("mail.agenda.lineCancelled", { title: s.title }) : t(`mail.agenda.line.${s.kind}`, { title: s.title, when: s.when, room: s.room }),
    })),
    { link: { href: data.link, label: t("mail.agenda.view") } },
  ];
  return renderMail(t, data.first ? t("mail.agenda.publishedSubject", vars) : t("mail.agenda.changedSubject", vars), blocks);
}
