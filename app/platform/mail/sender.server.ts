// Drains the outbox: claims due mail, sends it, marks it sent, or schedules a retry with
// backoff. A claim is a lease, so a sender that dies mid-way releases its mail for another.
import { SECRET_TEMPLATES, type TemplateName } from "../../../emails/index";
import { kindOf, type Executor } from "../db.server";
import type { MailTransport } from "./transport.server";

export const MAX_ATTEMPTS = 8;
export const LEASE_MS = 2 * 60 * 1000;

/** Delay before the next try after `attempts` failures: 30 s, 1 min, 2 min … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Claims the one due mail that should go next (transactional before bulk, then the longest due),
 * as a lease, in one statement. Each mail is claimed afresh, so one queued while a long bulk
 * backlog is being sent goes out next. On PostgreSQL a row another sender is claiming at this
 * moment is skipped (FOR UPDATE SKIP LOCKED) rather than waited for; SQLite runs one write at a
 * time, so the statement alone is enough. The status check makes a claim that lost a race empty.
 */
async function claimNext(db: Executor, now: Date) {
  const next = db
    .selectFrom("mail_outbox")
    .select("id")
    .where("status", "=", "queued")
    .where("next_attempt_at", "<=", now.toISOString())
    .orderBy("priority")
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(1);
  return db
    .updateTable("mail_outbox")
    .set({ status: "sending", locked_until: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where("id", "=", kindOf(db) === "postgres" ? next.forUpdate().skipLocked() : next)
    .where("status", "=", "queued")
    .returningAll()
    .executeTakeFirst();
}

/**
 * Sends due mail, one claim at a time, until none is due (mail queued meanwhile included), at
 * most `batch` mails, or until `signal` aborts; stops at the first failure to reach the server.
 */
export async function deliverDueMail(
  db: Executor,
  transport: MailTransport,
  options: { from: string; now?: () => Date; batch?: number; signal?: AbortSignal },
): Promise<DrainResult> {
  const clock = options.now ?? (() => new Date());
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  const limit = options.batch ?? Infinity;

  // Mail whose sender died while holding it goes back to the queue.
  await db
    .updateTable("mail_outbox")
    .set({ status: "queued", locked_until: null })
    .where("status", "=", "sending")
    .where("locked_until", "<", clock().toISOString())
    .execute();

  for (let tried = 0; tried < limit && !options.signal?.aborted; tried++) {
    const mail = await claimNext(db, clock());
    if (!mail) break;
    const id = mail.id;
    try {
      await transport.send({
        id: mail.id,
        from: options.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        calendar: mail.ics && mail.ics_method ? { method: mail.ics_method, content: mail.ics } : null,
        unsubscribe: mail.unsubscribe_url,
      });
      const secret = SECRET_TEMPLATES.has(mail.template as TemplateName);
      await db
        .updateTable("mail_outbox")
        .set({
          status: "sent",
          sent_at: clock().toISOString(),
          attempts: mail.attempts + 1,
          locked_until: null,
          error: null,
          // A sign-in link is useless to keep and dangerous to show: drop it once delivered.
          ...(secret ? { text_body: "", html_body: "" } : {}),
        })
        .where("id", "=", id)
        .execute();
      result.sent += 1;
    } catch (error) {
      const attempts = mail.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable("mail_outbox")
        .set({
          status: failed ? "failed" : "queued",
          attempts,
          locked_until: null,
          error: describeError(error),
          next_attempt_at: new Date(clock().getTime() + backoffMs(attempts)).toISOString(),
        })
        .where("id", "=", id)
        .execute();
      if (failed) result.failed += 1;
      else result.retrying += 1;
      // When the server cannot be reached, the rest would fail the same way.
      if (isConnectionError(error)) break;
    }
  }
  return result;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNECTION" || code === "ETIMEDOUT" || code === "ESOCKET" || code === "ECONNREFUSED" || code === "EDNS";
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}
