import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { i18nServer } from "../platform/i18n/i18next.server";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18nServer.getFixedT(request);
  return { title: t("myData.deletedTitle") };
}

export default function AccountDeleted() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("myData.deletedTitle")}</h1>
      <p>{t("myData.deletedBody")}</p>
    </div>
  );
}
