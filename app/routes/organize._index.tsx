import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isAnyOrganizer, isSiteOrganizer } from "../modules/auth/permissions";
import { requireUser } from "../modules/auth/session.server";
import { i18nServer } from "../modules/i18n/i18next.server";
import { outboxCounts } from "../modules/mail/outbox.server";
import { getDb } from "../utils/db.server";
import { titleMeta } from "../utils/meta";

export const meta = titleMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!isAnyOrganizer(user.roles)) throw new Response("Forbidden", { status: 403 });
  const t = await i18nServer.getFixedT(request);
  const site = isSiteOrganizer(user.roles);
  return { title: t("organize.title"), site, mail: site ? await outboxCounts(getDb()) : null };
}

export default function Organize() {
  const { site, mail } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("organize.heading")}</h1>
      {site && mail ? (
        <section aria-labelledby="mail-heading" className="card">
          <h2 id="mail-heading">{t("organize.mail.heading")}</h2>
          <p>{t("organize.mailSummary", { queued: mail.queued, sent: mail.sent, failed: mail.failed })}</p>
          <p>
            <Link to="/organize/mail">{t("organize.mail.open")}</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
