// A registrant's travel-support request: saved with the registration (in its transaction),
// read back by its owner, chosen by the table's filter, erased on the retention date.
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Database, SupportKind, SupportStatus } from "../../../db/schema";
import type { Executor, Trx } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { FILTER_STATUS, type SupportFilter, type SupportRequestInput } from "./schema";

export interface SupportItem {
  kind: SupportKind;
  currency: string;
  requestedCents: number | null;
  grantedCents: number | null;
}

export interface SupportRequestView {
  id: number;
  registrationId: number;
  status: SupportStatus;
  reason: string | null;
  message: string | null;
  changedAfterDecision: boolean;
  requestedAt: string;
  decidedAt: string | null;
  erased: boolean;
  items: SupportItem[];
}

const KIND_ORDER: Record<SupportKind, number> = { travel: 0, lodging: 1, per_diem: 2, visa_fees: 3 };

/** The requests of some registrations with their items, by registration id. Two queries. */
export async function supportRequestsByRegistration(db: Executor, registrationIds: number[]): Promise<Map<number, SupportRequestView>> {
  const out = new Map<number, SupportRequestView>();
  if (registrationIds.length === 0) return out;
  const requests = await db.selectFrom("support_requests").selectAll().where("registration_id", "in", registrationIds).execute();
  const items = requests.length
    ? await db.selectFrom("support_request_items").selectAll().where("request_id", "in", requests.map((r) => r.id)).execute()
    : [];
  for (const r of requests) {
    out.set(r.registration_id, {
      id: r.id,
      registrationId: r.registration_id,
      status: r.status,
      reason: r.reason,
      message: r.message,
      changedAfterDecision: r.changed_after_decision === 1,
      requestedAt: r.requested_at,
      decidedAt: r.decided_at,
      erased: r.erased_at !== null,
      items: items
        .filter((i) => i.request_id === r.id)
        .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind])
        .map((i) => ({ kind: i.kind, currency: i.currency, requestedCents: i.requested_cents === null ? null : Number(i.requested_cents), grantedCents: i.granted_cents === null ? null : Number(i.granted_cents) })),
    });
  }
  return out;
}

/** One registration's request, for its owner (their own words and the decision), or null. */
export async function supportRequestOf(db: Executor, registrationId: number): Promise<SupportRequestView | null> {
  return (await supportRequestsByRegistration(db, [registrationId])).get(registrationId) ?? null;
}

function sameRequest(a: SupportRequestView, b: SupportRequestInput): boolean {
  if ((a.reason ?? "") !== b.reason || a.items.length !== b.items.length) return false;
  return b.items.every((i) => a.items.some((x) => x.kind === i.kind && x.currency === i.currency && x.requestedCents === i.cents));
}

/**
 * Saves what the registration form asks for, inside the registration's transaction. A new
 * request waits; an edit before a decision replaces it; an edit after one replaces it and waits
 * again, marked as changed for the organizers. Answering "no" withdraws it. Unchanged, nothing
 * is written (editing other answers does not reopen a decision).
 */
export async function saveSupportRequest(
  trx: Trx,
  input: { registrationId: number; conveningId: number; personId: number; request: SupportRequestInput | null; now: Date },
): Promise<void> {
  const existing = await supportRequestOf(trx, input.registrationId);
  if (!input.request) {
    if (!existing) return;
    await trx.deleteFrom("support_request_items").where("request_id", "=", existing.id).execute();
    await trx.deleteFrom("support_requests").where("id", "=", existing.id).execute();
    await writeAudit(trx, { action: "support.withdrawn", actorId: input.personId, subjectType: "registration", subjectId: input.registrationId, conveningId: input.conveningId, now: input.now });
    return;
  }
  const request = input.request;
  if (existing && sameRequest(existing, request)) return;
  let requestId: number;
  if (existing) {
    const decided = existing.status !== "waiting";
    await trx
      .updateTable("support_requests")
      .set({
        status: "waiting",
        reason: request.reason,
        requested_at: input.now.toISOString(),
        changed_after_decision: decided || existing.changedAfterDecision ? 1 : 0,
        erased_at: null,
      })
      .where("id", "=", existing.id)
      .execute();
    await trx.deleteFrom("support_request_items").where("request_id", "=", existing.id).execute();
    requestId = existing.id;
    await writeAudit(trx, { action: "support.changed", details: { from: existing.status }, actorId: input.personId, subjectType: "registration", subjectId: input.registrationId, conveningId: input.conveningId, now: input.now });
  } else {
    const row = await trx
      .insertInto("support_requests")
      .values({ registration_id: input.registrationId, convening_id: input.conveningId, status: "waiting", reason: request.reason, requested_at: input.now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    requestId = row.id;
    await writeAudit(trx, { action: "support.requested", actorId: input.personId, subjectType: "registration", subjectId: input.registrationId, conveningId: input.conveningId, now: input.now });
  }
  if (request.items.length) {
    await trx
      .insertInto("support_request_items")
      .values(request.items.map((i) => ({ request_id: requestId, kind: i.kind, currency: i.currency, requested_cents: i.cents, granted_cents: null })))
      .execute();
  }
}

/** The registrations table's support filter, as a where-clause on "registrations". */
export function supportFilterWhere(eb: ExpressionBuilder<Database, "registrations">, filter: SupportFilter): Expression<SqlBool> {
  const request = eb.selectFrom("support_requests").select("support_requests.id").whereRef("support_requests.registration_id", "=", "registrations.id");
  if (filter === "none") return eb.not(eb.exists(request));
  if (filter === "asked") return eb.exists(request);
  return eb.exists(request.where("support_requests.status", "=", FILTER_STATUS[filter]));
}

/** The retention job's part: amounts, reasons and messages of a convening's requests go; kinds and decisions stay. */
export async function eraseSupportAnswers(trx: Trx, conveningId: number, now: Date): Promise<number> {
  const ids = trx.selectFrom("support_requests").select("id").where("convening_id", "=", conveningId);
  await trx.updateTable("support_request_items").set({ requested_cents: null, granted_cents: null }).where("request_id", "in", ids).execute();
  const result = await trx.updateTable("support_requests").set({ reason: null, message: null, erased_at: now.toISOString() }).where("convening_id", "=", conveningId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A deleted account's requests go with its registrations. */
export async function deleteSupportOf(trx: Trx, personId: number): Promise<void> {
  const ids = trx.selectFrom("support_requests").select("support_requests.id").where("registration_id", "in", trx.selectFrom("registrations").select("id").where("person_id", "=", personId));
  await trx.deleteFrom("support_request_items").where("request_id", "in", ids).execute();
  await trx.deleteFrom("support_requests").where("registration_id", "in", trx.selectFrom("registrations").select("id").where("person_id", "=", personId)).execute();
}

/** A person's requests for their data download: their own words, amounts and the decisions. */
export async function supportForExport(db: Executor, personId: number) {
  const regs = await db.selectFrom("registrations").innerJoin("convenings", "convenings.id", "registrations.convening_id").select(["registrations.id", "convenings.title"]).where("registrations.person_id", "=", personId).execute();
  const requests = await supportRequestsByRegistration(db, regs.map((r) => r.id));
  return regs.flatMap((r) => {
    const s = requests.get(r.id);
    if (!s) return [];
    return [{
      convening: r.title,
      status: s.status,
      reason: s.reason,
      message: s.message,
      requestedAt: s.requestedAt,
      decidedAt: s.decidedAt,
      items: s.items.map((i) => ({ kind: i.kind, currency: i.currency, requested: i.requestedCents === null ? null : i.requestedCents / 100, granted: i.grantedCents === null ? null : i.grantedCents / 100 })),
    }];
  });
}

/** A convening's budget, or null when none is set. */
export async function supportBudget(db: Executor, conveningId: number): Promise<{ cents: number; currency: string } | null> {
  const row = await db.selectFrom("support_budgets").select(["amount_cents", "currency"]).where("convening_id", "=", conveningId).executeTakeFirst();
  return row ? { cents: Number(row.amount_cents), currency: row.currency } : null;
}

/**
 * The requests of a convening's registrations that still take part (not cancelled or declined),
 * oldest first, with the person behind each (for names) and their full name from the profile.
 */
export async function conveningSupportRequests(db: Executor, conveningId: number) {
  const rows = await db
    .selectFrom("support_requests")
    .innerJoin("registrations", "registrations.id", "support_requests.registration_id")
    .innerJoin("people", "people.id", "registrations.person_id")
    .select(["registrations.id as registrationId", "registrations.person_id as personId", "registrations.status as registrationStatus", "people.full_name as fullName"])
    .where("support_requests.convening_id", "=", conveningId)
    .where("registrations.status", "not in", ["cancelled", "declined"])
    .orderBy("support_requests.requested_at")
    .orderBy("support_requests.id")
    .execute();
  const requests = await supportRequestsByRegistration(db, rows.map((r) => r.registrationId));
  return rows.map((r) => ({ ...r, request: requests.get(r.registrationId)! }));
}
