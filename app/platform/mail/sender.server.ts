// Drains the outbox: claims due mail, sends it, marks it sent, or schedules a retry with
// backoff. A claim is a lease, so a sender that dies mid-way releases its mail for another.
import { SECRET_TEMPLATES, type TemplateName } from "../../../emails/index";
import type { Executor } from "../db.server";
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

export async function deliverDueMail(
  db: Executor,
  transport: MailTransport,
  options: { from: string; now?: () => Date; batch?: number },
): Promise<DrainResult> {
  const clock = options.now ?? (() => new Date());
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  const startedAt = clock().toISOString();

  // Mail whose sender died while holding it goes back to the queue.
  await db
    .updateTable("mail_outbox")
    .set({ status: "queued", locked_until: null })
    .where("status", "=", "sending")
    .where("locked_until", "<", startedAt)
    .execute();

  const due = await db
    .selectFrom("mail_outbox")
    .select("id")
    .where("status", "=", "queued")
    .where("next_attempt_at", "<=", startedAt)
    .orderBy("id")
    .limit(options.batch ?? 100)
    .execute();

  for (const { id } of due) {
    const now = clock();
    const claimed = await db
      .updateTable("mail_outbox")
      .set({ status: "sending", locked_until: new Date(now.getTime() + LEASE_MS).toISOString() })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue; // another sender took it

    const mail = await db.selectFrom("mail_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
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
      // When the server cannot be reached, the rest of the batch would fail the same way.
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
