// Review: who may review what (their tracks; never their own organization's proposals nor one
// they facilitate), scores per criterion, and the organizers' ranking. The conflict rules are
// part of every query, so a proposal a reviewer may not review is never loaded for them.
import type { Chosen } from "./states";
import type { ExpressionBuilder } from "kysely";
import type { Database, ProposalStatus, SessionFormat } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { withLists } from "../../lib/json-lists";
import { ProposalError } from "./errors";
import { PROPOSAL_LISTS } from "./schema";
import { ACCEPTED_OR_PENDING, REVIEWABLE_STATUSES, weightedScore } from "./states";

export interface Reviewer {
  personId: number;
  organizationId: number | null;
  trackIds: number[];
}

export async function reviewerFor(db: Executor, conveningId: number, personId: number): Promise<Reviewer | null> {
  const [roles, person] = await Promise.all([
    db.selectFrom("roles").select("track_id").where("person_id", "=", personId).where("convening_id", "=", conveningId).where("role", "=", "reviewer").execute(),
    db.selectFrom("people").select("organization_id").where("id", "=", personId).executeTakeFirst(),
  ]);
  const trackIds = roles.map((r) => r.track_id).filter((id): id is number => id !== null);
  if (trackIds.length === 0 || !person) return null;
  return { personId, organizationId: person.organization_id, trackIds };
}

/** The conditions under which a reviewer may see and score a proposal, as SQL on "proposals". */
function reviewableBy(reviewer: Reviewer) {
  return (eb: ExpressionBuilder<Database, "proposals">) =>
    eb.and([
      eb("proposals.status", "in", [...REVIEWABLE_STATUSES]),
      eb.exists(
        eb.selectFrom("proposal_tracks").select("proposal_tracks.track_id").whereRef("proposal_tracks.proposal_id", "=", "proposals.id").where("proposal_tracks.track_id", "in", reviewer.trackIds),
      ),
      eb.not(
        eb.exists(
          eb
            .selectFrom("facilitators")
            .leftJoin("people", "people.id", "facilitators.person_id")
            .select("facilitators.id")
            .whereRef("facilitators.proposal_id", "=", "proposals.id")
            .where((f) =>
              f.or([
                f("facilitators.person_id", "=", reviewer.personId),
                ...(reviewer.organizationId !== null ? [f("people.organization_id", "=", reviewer.organizationId)] : []),
              ]),
            ),
        ),
      ),
    ]);
}

export async function listForReviewer(db: Executor, conveningId: number, reviewer: Reviewer) {
  const rows = await db
    .selectFrom("proposals")
    .leftJoin("reviews", (join) => join.onRef("reviews.proposal_id", "=", "proposals.id").on("reviews.reviewer_id", "=", reviewer.personId))
    .select(["proposals.id", "proposals.title", "proposals.format", "proposals.length_minutes", "proposals.primary_track_id", "reviews.id as reviewId"]).$narrowType<Chosen>()
    .where("proposals.convening_id", "=", conveningId)
    .where(reviewableBy(reviewer))
    .orderBy("proposals.id")
    .execute();
  return rows.map((r) => ({ ...r, reviewed: r.reviewId !== null }));
}

/** A proposal as its convening's organizers see it: any but a draft. */
export async function proposalForOrganizer(db: Executor, conveningId: number, proposalId: number) {
  const row = await db.selectFrom("proposals").selectAll().where("convening_id", "=", conveningId).where("id", "=", proposalId).where("status", "!=", "draft").executeTakeFirst();
  return row && withLists(row, PROPOSAL_LISTS);
}

/** The tracks a proposal is linked to besides its primary one. */
export async function linkedTrackIds(db: Executor, proposalId: number): Promise<number[]> {
  const rows = await db.selectFrom("proposal_tracks").select("track_id").where("proposal_id", "=", proposalId).where("is_primary", "=", 0).execute();
  return rows.map((r) => r.track_id);
}

export async function proposalForReviewer(db: Executor, conveningId: number, proposalId: number, reviewer: Reviewer) {
  const row = await db
    .selectFrom("proposals")
    .selectAll("proposals")
    .where("proposals.convening_id", "=", conveningId)
    .where("proposals.id", "=", proposalId)
    .where(reviewableBy(reviewer))
    .executeTakeFirst();
  return row && withLists(row, PROPOSAL_LISTS);
}

export async function listCriteria(db: Executor, conveningId: number) {
  return db.selectFrom("review_criteria").select(["id", "name", "description", "weight"]).where("convening_id", "=", conveningId).orderBy("position").orderBy("id").execute();
}

export async function ownReview(db: Executor, proposalId: number, reviewerId: number) {
  const review = await db.selectFrom("reviews").select(["id", "comment"]).where("proposal_id", "=", proposalId).where("reviewer_id", "=", reviewerId).executeTakeFirst();
  if (!review) return null;
  const scores = await db.selectFrom("review_scores").select(["criterion_id", "score"]).where("review_id", "=", review.id).execute();
  return { comment: review.comment, scores: Object.fromEntries(scores.map((s) => [s.criterion_id, s.score])) as Record<number, number> };
}

/** Saves (or replaces) a reviewer's scores and comment, after checking in SQL that they may review it. */
export async function saveReview(
  db: Executor,
  input: { conveningId: number; proposalId: number; reviewer: Reviewer; scores: Record<number, number>; comment: string | null; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    const proposal = await proposalForReviewer(trx, input.conveningId, input.proposalId, input.reviewer);
    if (!proposal) throw new ProposalError("not_found", 404);
    const criteria = await listCriteria(trx, input.conveningId);
    for (const criterion of criteria) {
      const score = input.scores[criterion.id];
      if (score === undefined || !Number.isInteger(score) || score < 1 || score > 5) throw new ProposalError("incomplete", 400);
    }
    const review = await trx
      .insertInto("reviews")
      .values({ proposal_id: proposal.id, reviewer_id: input.reviewer.personId, comment: input.comment ?? "", created_at: now.toISOString(), updated_at: now.toISOString() })
      .onConflict((oc) => oc.columns(["proposal_id", "reviewer_id"]).doUpdateSet({ comment: input.comment ?? "", updated_at: now.toISOString() }))
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.deleteFrom("review_scores").where("review_id", "=", review.id).execute();
    if (criteria.length) {
      await trx
        .insertInto("review_scores")
        .values(criteria.map((c) => ({ review_id: review.id, criterion_id: c.id, score: input.scores[c.id]! })))
        .execute();
    }
    await writeAudit(trx, { actorId: input.reviewer.personId, action: "review.saved", subjectType: "proposal", subjectId: proposal.id, conveningId: input.conveningId, now });
  });
}

export interface RankingFilters {
  track?: number;
  format?: SessionFormat;
  status?: ProposalStatus;
}

export interface RankedProposal {
  id: number;
  title: string;
  status: ProposalStatus;
  format: SessionFormat;
  lengthMinutes: number;
  primaryTrackId: number;
  trackIds: number[];
  proposer: string | null;
  proposerConstituency: string | null;
  reviews: number;
  score: number | null;
  spread: number | null;
  interest: number;
}

/** Proposals ranked by weighted review score (unscored last), with review count, spread and interest. */
export async function rankProposals(db: Executor, conveningId: number, filters: RankingFilters): Promise<RankedProposal[]> {
  let query = db
    .selectFrom("proposals")
    .leftJoin("people", "people.id", "proposals.proposer_id")
    .select([
      "proposals.id",
      "proposals.title",
      "proposals.status",
      "proposals.format",
      "proposals.length_minutes",
      "proposals.primary_track_id",
      "people.public_name",
      "people.constituency",
    ])
    .$narrowType<Chosen>()
    .where("proposals.convening_id", "=", conveningId)
    .where("proposals.status", "not in", ["draft", "withdrawn"]);
  if (filters.status) query = query.where("proposals.status", "=", filters.status);
  if (filters.format) query = query.where("proposals.format", "=", filters.format);
  if (filters.track) {
    const track = filters.track;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom("proposal_tracks").select("proposal_tracks.track_id").whereRef("proposal_tracks.proposal_id", "=", "proposals.id").where("proposal_tracks.track_id", "=", track)),
    );
  }
  const proposals = await query.execute();
  if (proposals.length === 0) return [];
  const ids = proposals.map((p) => p.id);
  const [scores, tracks, interest] = await Promise.all([
    db
      .selectFrom("review_scores")
      .innerJoin("reviews", "reviews.id", "review_scores.review_id")
      .innerJoin("review_criteria", "review_criteria.id", "review_scores.criterion_id")
      .select(["reviews.proposal_id", "reviews.id as reviewId", "review_scores.score", "review_criteria.weight"])
      .where("reviews.proposal_id", "in", ids)
      .execute(),
    db.selectFrom("proposal_tracks").select(["proposal_id", "track_id"]).where("proposal_id", "in", ids).execute(),
    db.selectFrom("interests").select((eb) => ["proposal_id", eb.fn.countAll<number>().as("n")]).where("proposal_id", "in", ids).groupBy("proposal_id").execute(),
  ]);
  const byReview = new Map<number, { proposalId: number; parts: Array<{ score: number; weight: number }> }>();
  for (const s of scores) {
    const entry = byReview.get(s.reviewId) ?? { proposalId: s.proposal_id, parts: [] };
    entry.parts.push({ score: s.score, weight: s.weight });
    byReview.set(s.reviewId, entry);
  }
  const totals = new Map<number, number[]>();
  for (const { proposalId, parts } of byReview.values()) {
    const total = weightedScore(parts);
    if (total !== null) totals.set(proposalId, [...(totals.get(proposalId) ?? []), total]);
  }
  const trackMap = new Map<number, number[]>();
  for (const t of tracks) trackMap.set(t.proposal_id, [...(trackMap.get(t.proposal_id) ?? []), t.track_id]);
  const interestMap = new Map(interest.map((i) => [i.proposal_id, Number(i.n)]));

  const ranked = proposals.map((p): RankedProposal => {
    const list = totals.get(p.id) ?? [];
    return {
      id: p.id,
      title: p.title,
      status: p.status,
      format: p.format,
      lengthMinutes: p.length_minutes,
      primaryTrackId: p.primary_track_id,
      trackIds: trackMap.get(p.id) ?? [],
      proposer: p.public_name,
      proposerConstituency: p.constituency,
      reviews: list.length,
      score: list.length ? list.reduce((a, b) => a + b, 0) / list.length : null,
      spread: list.length ? Math.max(...list) - Math.min(...list) : null,
      interest: interestMap.get(p.id) ?? 0,
    };
  });
  return ranked.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.reviews - a.reviews || a.id - b.id);
}

/** The accepted set (released or pending) by primary track and by the proposer's constituency. */
export async function acceptedBalance(db: Executor, conveningId: number) {
  const base = db
    .selectFrom("proposals")
    .leftJoin("people", "people.id", "proposals.proposer_id")
    .where("proposals.convening_id", "=", conveningId)
    .where("proposals.status", "in", [...ACCEPTED_OR_PENDING]);
  const [byTrack, byConstituency, crossTrack] = await Promise.all([
    base.select((eb) => ["proposals.primary_track_id", eb.fn.countAll<number>().as("n")]).groupBy("proposals.primary_track_id").execute(),
    base.select((eb) => ["people.constituency", eb.fn.countAll<number>().as("n")]).groupBy("people.constituency").execute(),
    base
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where((eb) => eb.exists(eb.selectFrom("proposal_tracks").select("proposal_tracks.track_id").whereRef("proposal_tracks.proposal_id", "=", "proposals.id").where("proposal_tracks.is_primary", "=", 0)))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    byTrack: byTrack.map((r) => ({ trackId: r.primary_track_id, count: Number(r.n) })),
    byConstituency: byConstituency.map((r) => ({ constituency: r.constituency, count: Number(r.n) })),
    crossTrack: Number(crossTrack.n),
  };
}

/** All reviews of one proposal, for organizers. */
export async function reviewsOf(db: Executor, proposalId: number) {
  const reviews = await db
    .selectFrom("reviews")
    .leftJoin("people", "people.id", "reviews.reviewer_id")
    .select(["reviews.id", "reviews.comment", "reviews.updated_at", "people.public_name as reviewer"])
    .where("reviews.proposal_id", "=", proposalId)
    .orderBy("reviews.id")
    .execute();
  if (reviews.length === 0) return [];
  const scores = await db
    .selectFrom("review_scores")
    .innerJoin("review_criteria", "review_criteria.id", "review_scores.criterion_id")
    .select(["review_scores.review_id", "review_scores.criterion_id", "review_scores.score", "review_criteria.weight"])
    .where("review_scores.review_id", "in", reviews.map((r) => r.id))
    .execute();
  return reviews.map((r) => {
    const mine = scores.filter((s) => s.review_id === r.id);
    return { ...r, scores: Object.fromEntries(mine.map((s) => [s.criterion_id, s.score])) as Record<number, number>, total: weightedScore(mine) };
  });
}
