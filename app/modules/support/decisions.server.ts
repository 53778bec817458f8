// Organizers' side of travel support: the convening's budget, and the one function that decides a request.
import type { SupportStatus } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { appLink } from "../../platform/env.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { formatMoney } from "../../lib/money";
import { SupportError } from "./errors";
import { supportRequestOf } from "./requests.server";
import type { BudgetInput, SupportDecisionInput } from "./schema";

/** Sets (or changes) a convening's budget. */
export async function setSupportBudget(db: Executor, input: { conveningId: number; organizerId: number; budget: BudgetInput; now?: Date }): Promise<void> {
  const now = (input.now ?? new Date()).toISOString();
  await inTransaction(db, async (trx) => {
    const values = { amount_cents: input.budget.amount, currency: input.budget.currency, updated_by: input.organizerId, updated_at: now };
    await trx.insertInto("support_budgets").values({ convening_id: input.conveningId, ...values }).onConflict((oc) => oc.column("convening_id").doUpdateSet(values)).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "support.budget_set", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { currency: input.budget.currency }, now: input.now });
  });
}

/**
 * The one function that decides a request (waiting → granted | partly_granted | declined; a
 * decided request may be decided again): writes the amounts granted per kind, the audit row and
 * the mail to the person, in one transaction. In part, every kind needs an amount no larger than asked.
 */
export async function decideSupport(db: Executor, input: SupportDecisionInput & { conveningId: number; organizerId: number; now?: Date }): Promise<SupportStatus> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("support_requests").select(["id", "registration_id", "status"]).where("id", "=", input.requestId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!row) throw new SupportError("not_found", 404);
    const request = (await supportRequestOf(trx, row.registration_id))!;
    if (request.erased) throw new SupportError("erased", 409);

    for (const item of request.items) {
      let granted: number | null;
      if (input.outcome === "granted") granted = item.requestedCents;
      else if (input.outcome === "declined") granted = null;
      else {
        const amount = input.granted[item.kind];
        if (amount === undefined) throw new SupportError("amount_missing", 400);
        if (item.requestedCents !== null && amount > item.requestedCents) throw new SupportError("too_much", 400);
        granted = amount;
      }
      await trx.updateTable("support_request_items").set({ granted_cents: granted }).where("request_id", "=", row.id).where("kind", "=", item.kind).execute();
    }
    await trx
      .updateTable("support_requests")
      .set({ status: input.outcome, message: input.message, decided_at: now.toISOString(), decided_by: input.organizerId, changed_after_decision: 0 })
      .where("id", "=", row.id)
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "support.decided", subjectType: "registration", subjectId: row.registration_id, conveningId: input.conveningId, details: { from: row.status, to: input.outcome }, now });

    const person = await trx
      .selectFrom("registrations")
      .innerJoin("people", "people.id", "registrations.person_id")
      .innerJoin("convenings", "convenings.id", "registrations.convening_id")
      .select(["people.id as personId", "people.email", "registrations.display_name", "convenings.title", "convenings.slug", "convenings.locale"])
      .where("registrations.id", "=", row.registration_id)
      .executeTakeFirstOrThrow();
    const decided = (await supportRequestOf(trx, row.registration_id))!;
    await queueMail(trx, {
      to: person.email,
      personId: person.personId,
      conveningId: input.conveningId,
      template: "support-decided",
      data: {
        name: person.display_name,
        convening: person.title,
        link: appLink(`/convenings/${person.slug}/register`),
        outcome: input.outcome,
        items: decided.items.map((i) => ({
          kind: i.kind,
          requested: i.requestedCents === null ? null : formatMoney(i.requestedCents, i.currency, person.locale),
          granted: i.grantedCents === null ? null : formatMoney(i.grantedCents, i.currency, person.locale),
        })),
        message: input.message,
      },
      now,
    });
    return input.outcome;
  });
}
