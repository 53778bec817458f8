// What a bulk action did, as the page's address carries it back after the redirect (so the page
// can say it, and a reload says it again without doing it again). Client-safe: the page reads it too.
import type { RegistrationStatus } from "../../../db/schema";
import type { RegistrationErrorCode } from "../../modules/registration/errors";
import type { BulkDecision } from "../../modules/registration/schema";

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

export const isOutcome = (value: string): value is BulkOutcome => (BULK_OUTCOMES as readonly string[]).includes(value);

export interface BulkResult {
  decision: BulkDecision;
  /** the registrations by what happened to them, in the order they were taken */
  outcomes: Partial<Record<BulkOutcome, number[]>>;
}

export interface BulkResult {
  decision: BulkDecision;
  /** the registrations by what happened to them, in the order they were taken */
  outcomes: Partial<Record<BulkOutcome, number[]>>;
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
