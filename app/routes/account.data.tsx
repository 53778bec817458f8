import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../modules/i18n/i18next.server";
import { titleMeta } from "../utils/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { allowIncompleteProfile: true });
  const t = await i18nServer.getFixedT(request);
  return { title: t("myData.title") };
}

export default function MyData() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("myData.heading")}</h1>
      <p>{t("myData.intro")}</p>
      <p>
        <a className="button" href="/account/data.json" download>
          {t("myData.download")}
        </a>
      </p>
    </div>
  );
}
