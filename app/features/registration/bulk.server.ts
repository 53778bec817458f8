// An organizer's decision on many registrations at once (the table's bulk actions). Each row goes
// through the single-row path, decideRegistration, in its own transaction: audited, mailed through
// the outbox, its sessions confirmed, and counted against capacity under the convening's lock, so
// two organizers deciding at once never give more places than there are.
import type { RegistrationStatus } from "../../../db/schema";
import { decideRegistration } from "../../modules/registration/decisions.server";
import { RegistrationError, type RegistrationErrorCode } from "../../modules/registration/errors";
import type { BulkDecision } from "../../modules/registration/schema";
import type { Executor } from "../../platform/db.server";
import { withSessionsConfirmed } from "./sessions.server";

/** What happened to one person: the status they now have (or "attended"), or why nothing changed. */
export const BULK_OUTCOMES = [
  "confirmed",
  "waitlisted",
  "declined",
  "attended",
  "invalid_transition",
  "place_free",
  "nobody_waiting",
  "not_yet",
  "full",
  "not_found",
] as const satisfies ReadonlyArray<RegistrationStatus | "attended" | RegistrationErrorCode>;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

const isOutcome = (value: string): value is BulkOutcome => (BULK_OUTCOMES as readonly string[]).includes(value);

export interface BulkResult {
  decision: BulkDecision;
  /** the registrations by what happened to them, in the order they were taken */
  outcomes: Partial<Record<BulkOutcome, number[]>>;
}

/**
 * Decides each registration in turn, oldest first (by id: the order they arrived), so that when
 * approving more people than there are places, the earliest get them and the rest join the
 * waitlist, exactly as approving them one by one would.
 */
export async function decideRegistrations(
  db: Executor,
  input: { conveningId: number; organizerId: number; ids: number[]; decision: BulkDecision; message?: string | null; now?: Date },
): Promise<BulkResult> {
  const outcomes: BulkResult["outcomes"] = {};
  for (const registrationId of [...new Set(input.ids)].sort((a, b) => a - b)) {
    let outcome: BulkOutcome;
    try {
      const row = await withSessionsConfirmed(
        db,
        input.conveningId,
        (trx) =>
          decideRegistration(trx, {
            conveningId: input.conveningId,
            registrationId,
            organizerId: input.organizerId,
            decision: input.decision,
            message: input.decision === "decline" ? (input.message ?? null) : null,
            now: input.now,
          }),
        input.now,
      );
      const after = input.decision === "attended" ? "attended" : row.status;
      // A decision leaves a registration confirmed, waitlisted or declined; anything else would be a bug.
      if (!isOutcome(after)) throw new Error(`a bulk ${input.decision} left registration ${registrationId} ${after}`);
      outcome = after;
    } catch (error) {
      if (!(error instanceof RegistrationError) || !isOutcome(error.code)) throw error;
      outcome = error.code;
    }
    (outcomes[outcome] ??= []).push(registrationId);
  }
  return { decision: input.decision, outcomes };
}

const RESULT_PREFIX = "o.";

/** The result as query parameters of the page the organizer is sent back to (so the page can say what was done). */
export function bulkResultParams(result: BulkResult, into: URLSearchParams): URLSearchParams {
  const params = withoutBulkResult(into);
  params.set("done", result.decision);
  for (const outcome of BULK_OUTCOMES) {
    const ids = result.outcomes[outcome];
    if (ids?.length) params.set(`${RESULT_PREFIX}${outcome}`, ids.join(","));
  }
  return params;
}

/** The page's parameters without a bulk result (for its links and forms). */
export function withoutBulkResult(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const key of [...out.keys()]) if (key === "done" || key.startsWith(RESULT_PREFIX)) out.delete(key);
  return out;
}

/** A result read back from the page's parameters; whatever does not parse is left out. */
export function readBulkResult(params: URLSearchParams, decisions: readonly BulkDecision[]): BulkResult | null {
  const decision = params.get("done");
  if (!decisions.includes(decision as BulkDecision)) return null;
  const outcomes: BulkResult["outcomes"] = {};
  let count = 0;
  for (const outcome of BULK_OUTCOMES) {
    const ids = (params.get(`${RESULT_PREFIX}${outcome}`) ?? "")
      .split(",")
      .map(Number)
      .filter((n) => Number.isSafeInteger(n) && n > 0)
      .slice(0, 100 - count);
    count += ids.length;
    if (ids.length) outcomes[outcome] = ids;
  }
  return { decision: decision as BulkDecision, outcomes };
}
