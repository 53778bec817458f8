// Proposal states, their groups and the transitions between them, defined once.
import { hasTakenPlace } from "../../lib/dates";
import type { NotNull } from "kysely";
import type { ProposalStatus } from "../../../db/schema";

export type Decision = "accepted" | "declined" | "waitlisted";
export const PENDING_OF: Record<Decision, ProposalStatus> = {
  accepted: "pending_accepted",
  declined: "pending_declined",
  waitlisted: "pending_waitlisted",
};
export const RELEASED_OF: Partial<Record<ProposalStatus, Decision>> = {
  pending_accepted: "accepted",
  pending_declined: "declined",
  pending_waitlisted: "waitlisted",
};

/** Decisions taken and held until organizers release them. */
export const HELD_STATUSES: readonly ProposalStatus[] = ["pending_accepted", "pending_declined", "pending_waitlisted"];
const PENDING = HELD_STATUSES;

/** A decision taken but not released: only the convening's organizers may know of it. */
export function isHeld(status: ProposalStatus): boolean {
  return PENDING.includes(status);
}

export const TRANSITIONS: Record<ProposalStatus, readonly ProposalStatus[]> = {
  draft: ["submitted", "withdrawn"],
  submitted: [...PENDING, "withdrawn"],
  // Until released, a decision can be changed or taken back.
  pending_accepted: ["submitted", "pending_declined", "pending_waitlisted", "accepted", "withdrawn"],
  pending_declined: ["submitted", "pending_accepted", "pending_waitlisted", "declined", "withdrawn"],
  pending_waitlisted: ["submitted", "pending_accepted", "pending_declined", "waitlisted", "withdrawn"],
  accepted: ["confirmed", "withdrawn"],
  confirmed: ["accepted", "withdrawn"],
  waitlisted: ["pending_accepted", "pending_declined", "withdrawn"],
  declined: [],
  withdrawn: [],
};

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Sessions that will take place (and can be placed on the agenda and marked by attendees). */
export const ACCEPTED_STATUSES: readonly ProposalStatus[] = ["accepted", "confirmed"];
/** The accepted set as organizers see it while deciding: released or not. */
export const ACCEPTED_OR_PENDING: readonly ProposalStatus[] = ["accepted", "confirmed", "pending_accepted"];
/** Proposals in front of reviewers. */
export const REVIEWABLE_STATUSES: readonly ProposalStatus[] = ["submitted", ...PENDING, "accepted", "confirmed", "waitlisted", "declined"];
/**
 * What the proposer may still edit (until the deadline) and withdraw. A decision not yet released
 * changes neither: the proposer must not be able to tell one was taken.
 */
export const EDITABLE_STATUSES: readonly ProposalStatus[] = ["draft", "submitted", ...PENDING];
export const WITHDRAWABLE_STATUSES: readonly ProposalStatus[] = ["draft", "submitted", ...PENDING, "accepted", "confirmed", "waitlisted"];

export function isPending(status: ProposalStatus): boolean {
  return PENDING.includes(status);
}

/** The call is open between its dates, while the convening is published and (when its dates are given) not over. */
export function isCfpOpen(convening: { cfp_opens_at: string | null; cfp_closes_at: string | null; status: string; ends_on?: string; time_zone?: string }, now: Date): boolean {
  const at = now.toISOString();
  const over = convening.ends_on !== undefined && convening.time_zone !== undefined && hasTakenPlace({ ends_on: convening.ends_on, time_zone: convening.time_zone }, now);
  return (
    !over &&
    convening.status === "published" &&
    convening.cfp_opens_at !== null &&
    convening.cfp_opens_at <= at &&
    (convening.cfp_closes_at === null || convening.cfp_closes_at > at)
  );
}

/** A weighted review total on the 1–5 scale: Σ weight·score / Σ weight. */
export function weightedScore(scores: Array<{ score: number; weight: number }>): number | null {
  const weights = scores.reduce((sum, s) => sum + s.weight, 0);
  if (weights === 0) return null;
  return scores.reduce((sum, s) => sum + s.weight * s.score, 0) / weights;
}

/** What the proposer and facilitators see: a decision not yet released still reads "submitted". */
export function statusForFacilitators(status: ProposalStatus): ProposalStatus {
  return isPending(status) ? "submitted" : status;
}

/**
 * A session as participants see it: on the agenda's way ("accepted") or still "under_review".
 * Held decisions, and released ones other than acceptance, read as under review.
 */
export type ParticipantPhase = "accepted" | "under_review";
export function participantPhase(status: ProposalStatus): ParticipantPhase {
  return ACCEPTED_STATUSES.includes(status) ? "accepted" : "under_review";
}

/**
 * What a proposal past the draft has always chosen (submitting requires it; only a draft may
 * leave it empty): queries that read only submitted proposals or sessions narrow to it.
 */
export type Chosen = { format: NotNull; length_minutes: NotNull; primary_track_id: NotNull };
