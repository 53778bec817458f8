import { useTranslation } from "react-i18next";

/** What the agenda page's last form answered: done (with the version published and mails sent) or refused. */
export interface AgendaAnswer {
  ok: boolean;
  message: string;
  detail: string | null;
  number?: number;
  mailed?: number;
}

/** The answer to the organizer's last change, above the page's sections. */
export function AgendaNotice({ answer }: { answer: AgendaAnswer | undefined }) {
  const { t } = useTranslation();
  if (!answer) return null;
  return (
    <p className={`notice ${answer.ok ? "notice--ok" : "notice--error"}`} role={answer.ok ? "status" : "alert"}>
      {t(answer.message as "errors.invalid", {
        number: "number" in answer ? answer.number : 0,
        count: "mailed" in answer ? Number(answer.mailed) : 0,
        detail: answer.detail,
      })}
    </p>
  );
}
