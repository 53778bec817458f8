import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "../modules/auth/session.server";
import { getPublicConvening } from "../modules/convenings/convenings.server";
import { i18nServer } from "../modules/i18n/i18next.server";
import { ownProposals } from "../modules/proposals/sessions.server";
import { isCfpOpen, statusForFacilitators } from "../modules/proposals/states";
import { getDb } from "../utils/db.server";
import { formatInstant } from "../utils/format";
import { titleMeta } from "../utils/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const [proposals, t] = await Promise.all([ownProposals(db, convening.id, user.id), i18nServer.getFixedT(request)]);
  return {
    title: t("proposals.title"),
    slug: convening.slug,
    open: isCfpOpen(convening, new Date()),
    closesAt: convening.cfp_closes_at ? formatInstant(convening.cfp_closes_at, convening.time_zone, convening.locale) : null,
    opensAt: convening.cfp_opens_at && convening.cfp_opens_at > new Date().toISOString() ? formatInstant(convening.cfp_opens_at, convening.time_zone, convening.locale) : null,
    // Decisions not yet released must not show: the proposer sees "submitted" until then.
    proposals: proposals.map((p) => ({ ...p, status: statusForFacilitators(p.status) })),
  };
}

export default function Proposals() {
  const { slug, open, closesAt, opensAt, proposals } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("proposals.heading")}</h1>
      <p>{t("proposals.intro")}</p>
      <div className="cta">
        {open ? (
          <>
            <p>{closesAt ? t("proposals.openUntil", { at: closesAt }) : t("proposals.open")}</p>
            <p>
              <Link className="button" to={`/convenings/${slug}/proposals/new`}>
                {t("proposals.new")}
              </Link>
            </p>
          </>
        ) : (
          <p>{opensAt ? t("proposals.opensAt", { at: opensAt }) : t("proposals.closed")}</p>
        )}
      </div>
      <h2>{t("proposals.yours")}</h2>
      {proposals.length === 0 ? (
        <p>{t("proposals.none")}</p>
      ) : (
        <ul className="cards">
          {proposals.map((p) => (
            <li key={p.id} className="card">
              <h3>
                <Link to={`/convenings/${slug}/proposals/${p.id}`}>{p.title}</Link>
              </h3>
              <p>
                <span className="status">{t(`proposalStatus.${p.status}`)}</span> · {t(`format.${p.format}`)} · {t("proposal.minutes", { count: p.length_minutes })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
