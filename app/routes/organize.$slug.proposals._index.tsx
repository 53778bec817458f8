import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CONSTITUENCIES, PROPOSAL_STATUSES, SESSION_FORMATS } from "../../db/schema";
import { CountTable } from "../components/count-table";
import { CsrfInput } from "../components/csrf";
import { SelectField, TextareaField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningStaff } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { rankingFiltersSchema } from "../modules/proposals/filters";
import { countPendingDecisions, decideProposals } from "../modules/proposals/decisions.server";
import { acceptedBalance, listForReviewer, rankProposals } from "../modules/proposals/review.server";
import { batchDecisionSchema, PROPOSAL_LIMITS } from "../modules/proposals/schema";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { DecisionSummary } from "../components/proposals/decision-summary";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening, organizer, reviewer } = await requireConveningStaff(request, params.slug);
  const db = getDb();
  const [tracks, t] = await Promise.all([listTracks(db, convening.id), i18nServer.getFixedT(request)]);
  const base = {
    title: t("organizeProposals.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
  };
  if (!organizer) {
    return { ...base, organizer: false as const, queue: await listForReviewer(db, convening.id, reviewer!), ranking: [], balance: null, filters: {}, pending: 0 };
  }
  const filters = rankingFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  // Releasing covers every pending decision of the convening, whatever the filters show.
  const [ranking, balance, pending] = await Promise.all([rankProposals(db, convening.id, filters), acceptedBalance(db, convening.id), countPendingDecisions(db, convening.id)]);
  return { ...base, organizer: true as const, queue: [], ranking, balance, filters, pending };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening, organizer } = await requireConveningStaff(request, params.slug);
  if (!organizer) throw new Response("Forbidden", { status: 403 });
  const form = await readForm(request);
  const db = getDb();
  // Releasing is its own page (proposals/release), where organizers first see every mail it sends.
  return formAction(form, batchDecisionSchema, async (v) => data({ ok: true as const, outcome: await decideProposals(db, { conveningId: convening.id, organizerId: user.id, ...v }) }));
}

export default function OrganizerProposals() {
  const { convening, tracks, organizer, queue, ranking, balance, filters, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const batch = useRef<HTMLFormElement>(null);
  // A decision applies to the proposals ticked for it, with its own message: once applied, the
  // ticks, the decision and the message are cleared so that the next decision starts afresh.
  // (Without JavaScript the answer is a new page, which starts empty anyway.)
  useEffect(() => {
    if (actionData?.ok) batch.current?.reset();
  }, [actionData]);
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  const score = (v: number | null) => (v === null ? "–" : v.toFixed(2));

  if (!organizer) {
    return (
      <>
        <h1>{t("organizeProposals.reviewHeading", { convening: convening.title })}</h1>
        <p>{t("organizeProposals.reviewIntro")}</p>
        {queue.length === 0 ? (
          <p>{t("organizeProposals.nothingToReview")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("organizeProposals.col.title")}</th>
                  <th scope="col">{t("organizeProposals.col.track")}</th>
                  <th scope="col">{t("organizeProposals.col.format")}</th>
                  <th scope="col">{t("organizeProposals.col.yourReview")}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/organize/${convening.slug}/proposals/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>{trackName.get(p.primary_track_id)}</td>
                    <td>{t(`format.${p.format}`)}</td>
                    <td>{p.reviewed ? t("organizeProposals.reviewed") : t("organizeProposals.toReview")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
  }

  return (
    <>
      <h1>{t("organizeProposals.heading", { convening: convening.title })}</h1>
      <p>
        <Link to={`/organize/${convening.slug}/proposals/settings`}>{t("organizeProposals.settingsLink")}</Link>
      </p>
      {actionData?.ok ? <DecisionSummary outcome={actionData.outcome} /> : null}
      {actionData && !actionData.ok ? (
        <div className="notice notice--error" role="alert">
          <p>{t(actionData.message as "errors.invalid")}</p>
          {actionData.detail ? <p>{t("decisions14.refusedProposal", { title: actionData.detail })}</p> : null}
        </div>
      ) : null}

      {balance ? (
        <section aria-labelledby="balance-heading">
          <h2 id="balance-heading">{t("organizeProposals.balance")}</h2>
          <p>{t("organizeProposals.crossTrack", { count: balance.crossTrack })}</p>
          <div className="breakdown">
            <CountTable caption={t("organizeRegistrations.byTrack")} rows={tracks.map((tr) => ({ key: String(tr.id), label: tr.name, count: balance.byTrack.find((b) => b.trackId === tr.id)?.count ?? 0 }))} />
            <CountTable
              caption={t("organizeProposals.byProposerConstituency")}
              rows={[...CONSTITUENCIES, null].map((c) => ({ key: c ?? "none", label: c ? t(`constituency.${c}`) : t("organizeRegistrations.notGiven"), count: balance.byConstituency.find((b) => b.constituency === c)?.count ?? 0 }))}
            />
          </div>
        </section>
      ) : null}

      <h2>{t("organizeProposals.ranking")}</h2>
      <Form method="get" className="filters-form">
        <SelectField name="track" label={t("organizeRegistrations.filter.track")} defaultValue={"track" in filters && filters.track ? String(filters.track) : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]} />
        <SelectField name="format" label={t("proposal.field.format")} defaultValue={"format" in filters ? (filters.format ?? "") : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))]} />
        <SelectField name="status" label={t("organizeRegistrations.filter.status")} defaultValue={"status" in filters ? (filters.status ?? "") : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...PROPOSAL_STATUSES.filter((s) => s !== "draft").map((s) => ({ value: s, label: t(`proposalStatus.${s}`) }))]} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>

      <Form method="post" id="batch" ref={batch} autoComplete="off">
        <CsrfInput />
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t("organizeProposals.col.select")}</span>
                </th>
                <th scope="col">{t("organizeProposals.col.title")}</th>
                <th scope="col">{t("organizeProposals.col.status")}</th>
                <th scope="col">{t("organizeProposals.col.score")}</th>
                <th scope="col">{t("organizeProposals.col.reviews")}</th>
                <th scope="col">{t("organizeProposals.col.spread")}</th>
                <th scope="col">{t("organizeProposals.col.interest")}</th>
                <th scope="col">{t("organizeProposals.col.track")}</th>
                <th scope="col">{t("organizeProposals.col.format")}</th>
                <th scope="col">{t("organizeProposals.col.proposer")}</th>
              </tr>
            </thead>
            <tbody>
              {ranking.map((p) => (
                <tr key={p.id}>
                  <td>
                    <input type="checkbox" name="ids" value={p.id} id={`select-${p.id}`} aria-label={t("organizeProposals.selectOne", { title: p.title })} />
                  </td>
                  <td>
                    <Link to={`/organize/${convening.slug}/proposals/${p.id}`}>{p.title}</Link>
                    {p.trackIds.length > 1 ? <span className="muted"> · {t("sessions.crossTrack")}</span> : null}
                  </td>
                  <td>{t(`proposalStatus.${p.status}`)}</td>
                  <td>{score(p.score)}</td>
                  <td>{p.reviews}</td>
                  <td>{score(p.spread)}</td>
                  <td>{p.interest}</td>
                  <td>{p.trackIds.map((id) => trackName.get(id)).join(", ")}</td>
                  <td>
                    {t(`format.${p.format}`)}, {t("proposal.minutes", { count: p.lengthMinutes })}
                  </td>
                  <td>
                    {p.proposer ?? ""}
                    {p.proposerConstituency ? <div className="muted">{t(`constituency.${p.proposerConstituency as "other"}`)}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset className="panel">
          <legend>{t("organizeProposals.decideSelected")}</legend>
          <SelectField
            name="decision"
            label={t("organizeProposals.decision")}
            options={[
              { value: "", label: t("decisions14.chooseDecision") },
              { value: "accepted", label: t("organizeProposals.decisionAccept") },
              { value: "waitlisted", label: t("organizeProposals.decisionWaitlist") },
              { value: "declined", label: t("organizeProposals.decisionDecline") },
              { value: "undecided", label: t("organizeProposals.decisionUndo") },
            ]}
          />
          <TextareaField name="message" label={t("organizeProposals.message")} hint={t("organizeProposals.messageHint")} maxLength={PROPOSAL_LIMITS.message} />
          <button type="submit" name="intent" value="decide" className="button">
            {t("organizeProposals.apply")}
          </button>
        </fieldset>
      </Form>

      <section aria-labelledby="release-heading" className="cta">
        <h2 id="release-heading">{t("organizeProposals.releaseHeading")}</h2>
        <p>{t("organizeProposals.releaseIntro", { count: pending })}</p>
        {pending > 0 ? (
          <p>
            <Link to={`/organize/${convening.slug}/proposals/release`} className="button">
              {t("decisions14.release.link")}
            </Link>
          </p>
        ) : null}
        <p>
          <Link to="/organize/mail?status=queued">{t("organizeProposals.seeOutbox")}</Link>
        </p>
      </section>
    </>
  );
}
