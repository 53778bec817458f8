// The audit log: who did what to which record. Details name fields, never their values.
import type { Executor } from "./db.server";

/**
 * Every action the app writes to the log, once: writeAudit takes only these, and the audit page
 * gives each a sentence (a test fails when one has none).
 */
export const AUDIT_ACTIONS = [
  "account.created",
  "account.deleted",
  "profile.updated",
  "person.data_exported",
  "auth.signed_in",
  "role.granted",
  "role.revoked",
  "mail.retried",
  "mail.subscribed",
  "mail.unsubscribed",
  "convening.created",
  "convening.setup_copied",
  "convening.published",
  "convening.closed",
  "convening.reopened",
  "convening.registration_settings",
  "convening.cfp_settings",
  "registration.submitted",
  "registration.updated",
  "registration.approved",
  "registration.confirmed",
  "registration.promoted",
  "registration.moved",
  "registration.declined",
  "registration.cancelled",
  "registration.attended",
  "registration.not-attended",
  "registration.sensitive_viewed",
  "registration.exported",
  "registration.exported_sensitive",
  "registrations.sensitive_erased",
  "registration_question.added",
  "registration_question.edited",
  "registration_question.moved",
  "registration_question.retired",
  "registration_question.restored",
  "registration_question.removed",
  "proposal.created",
  "proposal.edited",
  "proposal.state_changed",
  "proposal.released",
  "proposal.decision_message_changed",
  "facilitator.invited",
  "facilitator.accepted",
  "facilitator.declined",
  "facilitation.named",
  "facilitation.anonymous",
  "criterion.added",
  "criterion.removed",
  "review.saved",
  "agenda.room_added",
  "agenda.slot_added",
  "agenda.fixed_item_added",
  "agenda.room_removed",
  "agenda.slot_removed",
  "agenda.fixed_removed",
  "agenda.placed",
  "agenda.unplaced",
  "agenda.pinned",
  "agenda.unpinned",
  "agenda.suggestion_accepted",
  "agenda.suggestion_started",
  "agenda.suggestion_stopped",
  "agenda.suggestion_discarded",
  "agenda.published",
  "agenda.alone_set",
  "agenda.alone_cleared",
  "action.created",
  "action.edited",
  "action.updated",
  "action.status_changed",
  "action.owner_added",
  "group_message.queued",
  "desk.volunteer_added",
  "desk.volunteer_removed",
  "badges.exported",
  "letter.template_saved",
  "letter.requested",
  "letter.approved",
  "letter.declined",
  "letter.details_viewed",
  "support.requested",
  "support.changed",
  "support.withdrawn",
  "support.decided",
  "support.budget_set",
  "support.viewed",
  "support.exported",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export interface AuditInput {
  actorId: number | null;
  action: AuditAction;
  subjectType: string;
  subjectId: number | null;
  conveningId?: number | null;
  details?: Record<string, unknown>;
  now?: Date;
}

export async function writeAudit(db: Executor, entry: AuditInput): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      convening_id: entry.conveningId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      at: (entry.now ?? new Date()).toISOString(),
    })
    .execute();
}

export interface AuditFilters {
  /** part of the acting person's name (full or public) or email address */
  actor?: string;
  action?: AuditAction;
  /** instants (ISO), from inclusive, to exclusive */
  from?: string;
  to?: string;
  /** the last entry of the page before: the next page starts after it */
  after?: { at: string; id: number };
}

export const AUDIT_PAGE_SIZE = 50;

/**
 * A page of the audit log for organizers, newest first in true time order (by time, then by id
 * for entries of the same instant), filtered in SQL; `next` is where the following page starts,
 * or null on the last one. Pages follow each other by the last entry shown, never by an offset,
 * so entries written meanwhile neither repeat nor skip one.
 */
export async function listAudit(db: Executor, filters: AuditFilters = {}, limit = AUDIT_PAGE_SIZE) {
  let query = db
    .selectFrom("audit_log")
    .leftJoin("people", "people.id", "audit_log.actor_id")
    .leftJoin("convenings", "convenings.id", "audit_log.convening_id")
    .select([
      "audit_log.id",
      "audit_log.action",
      "audit_log.subject_type",
      "audit_log.subject_id",
      "audit_log.convening_id",
      "audit_log.details",
      "audit_log.at",
      "audit_log.actor_id",
      "people.full_name as actor_full_name",
      "people.public_name as actor_public_name",
      "people.email as actor_email",
      "convenings.title as convening",
    ]);
  if (filters.action) query = query.where("audit_log.action", "=", filters.action);
  if (filters.from) query = query.where("audit_log.at", ">=", filters.from);
  if (filters.to) query = query.where("audit_log.at", "<", filters.to);
  if (filters.actor) {
    const like = `%${filters.actor.toLowerCase()}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["people.full_name"]), "like", eb.val(like)),
        eb(eb.fn("lower", ["people.public_name"]), "like", eb.val(like)),
        eb("people.email", "like", like),
      ]),
    );
  }
  const after = filters.after;
  if (after) query = query.where((eb) => eb.or([eb("audit_log.at", "<", after.at), eb.and([eb("audit_log.at", "=", after.at), eb("audit_log.id", "<", after.id)])]));
  const rows = await query.orderBy("audit_log.at", "desc").orderBy("audit_log.id", "desc").limit(limit + 1).execute();
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
}
