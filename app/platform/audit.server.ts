// The audit log: who did what to which record. Details name fields, never their values.
import type { Executor } from "./db.server";

export interface AuditInput {
  actorId: number | null;
  action: string;
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

/** The audit log for organizers: newest first, read-only. Entries name who acted by their public name. */
export async function listAudit(db: Executor, options: { action?: string; limit?: number } = {}) {
  let query = db
    .selectFrom("audit_log")
    .leftJoin("people", "people.id", "audit_log.actor_id")
    .leftJoin("convenings", "convenings.id", "audit_log.convening_id")
    .select(["audit_log.id", "audit_log.action", "audit_log.subject_type", "audit_log.subject_id", "audit_log.details", "audit_log.at", "people.public_name as actor", "convenings.title as convening"])
    .orderBy("audit_log.id", "desc")
    .limit(options.limit ?? 200);
  if (options.action) query = query.where("audit_log.action", "like", `${options.action}%`);
  return query.execute();
}
