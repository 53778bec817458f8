import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, ChoiceGroup, SelectField, TextareaField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningStaff } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { decideProposals } from "../modules/proposals/decisions.server";
import { listCriteria, ownReview, proposalForReviewer, reviewsOf, saveReview } from "../modules/proposals/review.server";
import { batchDecisionSchema, PROPOSAL_LIMITS, reviewSchema } from "../modules/proposals/schema";
import { facilitatorNames } from "../modules/names/names.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { Fact } from "../components/fact";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";
import { requireParams, idParam } from "../lib/params";
import { proposalForOrganizer } from "../modules/proposals/review.server";
import { linkedTrackIds } from "../modules/proposals/review.server";
import { seesFacilitatorNames } from "../modules/proposals/policy";
import { loadViewer } from "../modules/registration/viewer.server";
import { SessionShape } from "../components/session-shape";
import type { FieldErrors } from "../lib/forms";
import { setAloneInSlot } from "../modules/agenda/format.server";
import { aloneSchema } from "../modules/agenda/schema";

export const meta = titleMeta;

async function load(request: Request, params: { slug?: string; id?: string }) {
  const staff = await requireConveningStaff(request, params.slug);
  const db = getDb();
  const { id } = requireParams(params, z.object({ id: idParam }));
  const asReviewer = staff.reviewer ? await proposalForReviewer(db, staff.convening.id, id, staff.reviewer) : undefined;
  const asOrganizer = staff.organizer
    ? await proposalForOrganizer(db, staff.convening.id, id)
    : undefined;
  const proposal = asOrganizer ?? asReviewer;
  // A reviewer with a conflict of interest (or outside their tracks) finds nothing here.
  if (!proposal) throw new Response("Not found", { status: 404 });
  return { ...staff, db, proposal, canReview: asReviewer !== undefined };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening, organizer, db, proposal, canReview } = await load(request, params);
  const anonymous = !seesFacilitatorNames(await loadViewer(db, user, convening.id), convening);
  const [tracks, criteria, mine, reviews, names, linked, t] = await Promise.all([
    listTracks(db, convening.id),
    listCriteria(db, convening.id),
    canReview ? ownReview(db, proposal.id, user.id) : Promise.resolve(null),
    organizer ? reviewsOf(db, proposal.id) : Promise.resolve([]),
    anonymous ? Promise.resolve(new Map<number, string[]>()) : facilitatorNames(db, [proposal.id]),
    linkedTrackIds(db, proposal.id),
    i18nServer.getFixedT(request),
  ]);
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  return {
    title: t("organizeProposal.title"),
    slug: convening.slug,
    organizer,
    canReview,
    anonymous,
    proposal: {
      id: proposal.id,
      title: proposal.title,
      status: proposal.status,
      abstract: proposal.abstract,
      description: proposal.description,
      format: proposal.format,
      length: proposal.length_minutes,
      primaryTrack: proposal.primary_track_id === null ? "" : (trackName.get(proposal.primary_track_id) ?? ""),
      linkedTracks: linked.map((id) => trackName.get(id) ?? ""),
      languages: proposal.languages,
      needs: proposal.needs,
      audienceSize: proposal.audience_size,
      // With anonymised review, names never reach a reviewer's page.
      facilitators: anonymous ? [] : (names.get(proposal.id) ?? []),
      decisionMessage: organizer ? proposal.decision_message : null,
      alone: proposal.alone_in_slot === 1,
    },
    criteria,
    mine,
    reviews,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening, organizer, reviewer, db, proposal, canReview } = await load(request, params);
  const form = await readForm(request);
  const here = (done: string) => redirect(`/organize/${convening.slug}/proposals/${proposal.id}?done=${done}`);
  switch (form.get("intent")) {
    case "review": {
      if (!canReview || !reviewer) throw new Response("Forbidden", { status: 403 });
      const criteria = await listCriteria(db, convening.id);
      return formAction(form, reviewSchema(criteria.map((c) => c.id)), async (v) => {
        const values = v as Record<string, unknown>;
        const scores = Object.fromEntries(criteria.map((c) => [c.id, values[`score-${c.id}`] as number]));
        await saveReview(db, { conveningId: convening.id, proposalId: proposal.id, reviewer, scores, comment: (values.comment as string | undefined) ?? null });
        return here("review");
      });
    }
    case "decide":
      if (!organizer) throw new Response("Forbidden", { status: 403 });
      form.set("ids", String(proposal.id));
      return formAction(form, batchDecisionSchema, async (v) => (await decideProposals(db, { conveningId: convening.id, organizerId: user.id, ...v }), here("decision")), { echo: { intent: "decide" } });
    case "alone":
      if (!organizer) throw new Response("Forbidden", { status: 403 });
      return formAction(form, aloneSchema, async (v) => (await setAloneInSlot(db, { conveningId: convening.id, organizerId: user.id, proposalId: proposal.id, alone: v.alone }), here("alone")));
    default:
      return invalid({ form: ["errors.invalid"] }, form);
  }
}

export default function StaffProposal() {
  const { slug, organizer, canReview, anonymous, proposal, criteria, mine, reviews } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  // A refused choice of decision shows beside it (a refusal of the whole form, in the notice above).
  const decideErrors: FieldErrors = actionData && "intent" in actionData && actionData.intent === "decide" ? actionData.errors : {};
  return (
    <>
      <p>
        <Link to={`/organize/${slug}/proposals`}>{t("organizeProposal.back")}</Link>
      </p>
      <h1>{proposal.title}</h1>
      {params.get("done") === "alone" ? (
        <p className="notice notice--ok" role="status">
          {t("solver15.alone.done")}
        </p>
      ) : params.get("done") ? (
        <p className="notice notice--ok" role="status">
          {t(`organizeProposal.done.${params.get("done") as "review"}`)}
        </p>
      ) : null}
      {errors.form ? (
        <p className="notice notice--error" role="alert">
          {errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}
      <p>
        <strong>{t(`proposalStatus.${proposal.status}`)}</strong> · <SessionShape format={proposal.format} minutes={proposal.length} />
      </p>
      <dl className="facts">
        <dt>{t("proposal.field.primaryTrack")}</dt>
        <dd>{proposal.primaryTrack}</dd>
        <Fact term={t("proposal.field.linkedTracks")}>{proposal.linkedTracks.join(", ")}</Fact>
        <dt>{t("proposal.facilitators")}</dt>
        <dd>{anonymous ? t("organizeProposal.anonymous") : proposal.facilitators.join(", ")}</dd>
        <Fact term={t("proposal.field.languages")}>{proposal.languages.join(", ")}</Fact>
        <Fact term={t("proposal.field.needs")}>{proposal.needs.map((n) => t(`need.${n as "projector"}`)).join(", ")}</Fact>
        <Fact term={t("proposal.field.audienceSize")}>{proposal.audienceSize || null}</Fact>
      </dl>
      <h2>{t("proposal.field.abstract")}</h2>
      <p>{proposal.abstract}</p>
      {proposal.description ? (
        <>
          <h2>{t("proposal.field.description")}</h2>
          <p className="prewrap">{proposal.description}</p>
        </>
      ) : null}

      {canReview ? (
        <section aria-labelledby="review-heading">
          <h2 id="review-heading">{t("organizeProposal.yourReview")}</h2>
          {criteria.length === 0 ? (
            <p>{t("cfpSettings.noCriteria")}</p>
          ) : (
            <Form method="post" className="form" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="review" />
              {criteria.map((c) => (
                <ChoiceGroup
                  key={c.id}
                  name={`score-${c.id}`}
                  type="radio"
                  legend={`${c.name} (${t("cfpSettings.weight", { weight: c.weight })})`}
                  hint={c.description || undefined}
                  required
                  errors={errors[`score-${c.id}`]}
                  selected={mine?.scores[c.id] ? [String(mine.scores[c.id])] : []}
                  options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(`organizeProposal.score${n as 1}`) }))}
                />
              ))}
              <TextareaField name="comment" label={t("organizeProposal.comment")} hint={t("account.optional")} maxLength={PROPOSAL_LIMITS.comment} defaultValue={mine?.comment ?? ""} errors={errors.comment} />
              <div>
                <button type="submit" className="button">
                  {t("organizeProposal.saveReview")}
                </button>
              </div>
            </Form>
          )}
        </section>
      ) : null}

      {organizer ? (
        <>
          <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">{t("organizeProposal.reviews", { count: reviews.length })}</h2>
            {reviews.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("organizeProposal.reviewer")}</th>
                      {criteria.map((c) => (
                        <th scope="col" key={c.id}>
                          {c.name}
                        </th>
                      ))}
                      <th scope="col">{t("organizeProposals.col.score")}</th>
                      <th scope="col">{t("organizeProposal.comment")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {reviews.map((r) => (
                      <tr key={r.id}>
                        <td>{r.reviewer ?? t("organizeProposal.formerReviewer")}</td>
                        {criteria.map((c) => (
                          <td key={c.id}>{r.scores[c.id] ?? "–"}</td>
                        ))}
                        <td>{r.total === null ? "–" : r.total.toFixed(2)}</td>
                        <td className="prewrap">{r.comment}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </section>
          <section aria-labelledby="decide-heading">
            <h2 id="decide-heading">{t("organizeProposal.decide")}</h2>
            {proposal.decisionMessage ? <p>{t("organizeProposal.currentMessage", { message: proposal.decisionMessage })}</p> : null}
            <Form method="post" className="form">
              <CsrfInput />
              <input type="hidden" name="intent" value="decide" />
              <SelectField
                name="decision"
                label={t("organizeProposals.decision")}
                errors={decideErrors.decision}
                options={[
                  { value: "accepted", label: t("organizeProposals.decisionAccept") },
                  { value: "waitlisted", label: t("organizeProposals.decisionWaitlist") },
                  { value: "declined", label: t("organizeProposals.decisionDecline") },
                  { value: "undecided", label: t("organizeProposals.decisionUndo") },
                ]}
              />
              <TextareaField name="message" label={t("organizeProposals.message")} hint={t("organizeProposals.messageHint")} maxLength={PROPOSAL_LIMITS.message} />
              <div>
                <button type="submit" className="button">
                  {t("organizeProposals.apply")}
                </button>
              </div>
            </Form>
          </section>
          <section aria-labelledby="scheduling-heading">
            <h2 id="scheduling-heading">{t("solver15.alone.heading")}</h2>
            {proposal.format === "plenary" ? (
              <p>{t("solver15.alone.plenary")}</p>
            ) : (
              <Form method="post" className="form">
                <CsrfInput />
                <input type="hidden" name="intent" value="alone" />
                <CheckboxField name="alone" label={t("solver15.alone.label")} hint={t("solver15.alone.hint")} defaultChecked={proposal.alone} errors={errors.alone} />
                <div>
                  <button type="submit" className="button">
                    {t("solver15.alone.save")}
                  </button>
                </div>
              </Form>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
