// The audit log: who did what to which record. Details name fields, never their values.
import type { Executor } from "../../utils/db.server";

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
