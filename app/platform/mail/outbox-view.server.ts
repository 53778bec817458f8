// What organizers read of the outbox: a filtered list, newest first, a page at a time, and one
// message. A message whose body holds a secret (a sign-in link, an invitation's link) is shown
// without its body: the body is never read for it, so it cannot reach a page or its data.
import { sql } from "kysely";
import { SECRET_TEMPLATES, isTemplateName } from "../../../emails/index";
import type { Executor } from "../db.server";

import type { OutboxState } from "./outbox-states";

export interface OutboxQuery {
  /** a template name */
  template?: string;
  /** queued includes mail being sent at this moment */
  state?: OutboxState;
  /** part of the address, or of the recipient's name (shown or full) */
  recipient?: string;
  /** the page after this id (older mail) */
  before?: number;
  limit?: number;
}

/** LIKE pattern that matches `text` anywhere, with its own % and _ taken literally. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listOutbox(db: Executor, query: OutboxQuery) {
  const limit = query.limit ?? 50;
  let q = db
    .selectFrom("mail_outbox")
    .leftJoin("people", "people.id", "mail_outbox.person_id")
    .select([
      "mail_outbox.id",
      "mail_outbox.to_address",
      "mail_outbox.template",
      "mail_outbox.subject",
      "mail_outbox.status",
      "mail_outbox.attempts",
      "mail_outbox.next_attempt_at",
      "mail_outbox.sent_at",
      "mail_outbox.error",
      "mail_outbox.created_at",
    ])
    .orderBy("mail_outbox.id", "desc")
    .limit(limit + 1);
  if (query.template) q = q.where("mail_outbox.template", "=", query.template);
  if (query.state === "queued") q = q.where("mail_outbox.status", "in", ["queued", "sending"]);
  else if (query.state) q = q.where("mail_outbox.status", "=", query.state);
  if (query.before) q = q.where("mail_outbox.id", "<", query.before);
  if (query.recipient) {
    const pattern = containing(query.recipient);
    const like = (column: "mail_outbox.to_address" | "people.public_name" | "people.full_name") => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    q = q.where((eb) => eb.or([like("mail_outbox.to_address"), like("people.public_name"), like("people.full_name")]));
  }
  const rows = await q.execute();
  const mails = rows.slice(0, limit);
  return { mails, older: rows.length > limit ? mails.at(-1)!.id : null };
}

/** Why a mail failed, in a few kinds an organizer can act on, read from the server's answer. */
export type FailureKind = "recipientRefused" | "unreachable" | "temporary" | "refused";

export function failureKind(error: string): FailureKind {
  if (/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNRESET|connect|Connection (timeout|closed)|Greeting never received/i.test(error)) return "unreachable";
  if (/recipient|RCPT|\b55[0-3]\b|\b5\.1\.\d\b/i.test(error) && /\b5\d\d\b/.test(error)) return "recipientRefused";
  if (/\b4\d\d\b/.test(error)) return "temporary";
  return "refused";
}

/** One message for an organizer: everything but the body when its template holds a secret. */
export async function outboxMessage(db: Executor, id: number) {
  const mail = await db
    .selectFrom("mail_outbox")
    .leftJoin("people", "people.id", "mail_outbox.person_id")
    .select([
      "mail_outbox.id",
      "mail_outbox.to_address",
      "mail_outbox.template",
      "mail_outbox.subject",
      "mail_outbox.status",
      "mail_outbox.attempts",
      "mail_outbox.next_attempt_at",
      "mail_outbox.sent_at",
      "mail_outbox.error",
      "mail_outbox.created_at",
      "people.public_name as recipient_name",
    ])
    .where("mail_outbox.id", "=", id)
    .executeTakeFirst();
  if (!mail) return null;
  const secret = !isTemplateName(mail.template) || SECRET_TEMPLATES.has(mail.template);
  const body = secret ? undefined : await db.selectFrom("mail_outbox").select("text_body").where("id", "=", id).executeTakeFirst();
  return {
    ...mail,
    secret,
    text: body?.text_body ?? null,
    failure: mail.error ? failureKind(mail.error) : null,
  };
}
