import { useTranslation } from "react-i18next";
import type { SessionFormat } from "../../db/schema";

/** "Workshop · 90 minutes"; a draft that has not chosen says so instead of showing a default. */
export function SessionShape({ format, minutes }: { format: SessionFormat | null; minutes: number | null }) {
  const { t } = useTranslation();
  return (
    <>
      {format ? t(`format.${format}`) : t("forms14.draft.noFormat")} · {minutes ? t("proposal.minutes", { count: minutes }) : t("forms14.draft.noLength")}
    </>
  );
}
