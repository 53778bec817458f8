// Domain code queues mail here, inside its own transaction; the sender delivers it later.
import { renderTemplate, type MailTemplates, type TemplateName } from "../../../emails/index";
import { inTransaction, onCommit, type Executor } from "../db.server";
import { writeAudit } from "../audit.server";
import { withUnsubscribe } from "../../../emails/layout";
import { fixedT } from "../i18n/i18next.server";
import { unsubscribeLink, type MailTopic } from "./unsubscribe.server";

// The sender that delivers mail soon after it is queued (the server's job runner), if any runs
// in this process; otherwise the next round of jobs, or another process, delivers it.
let nudgeSender: () => void = () => {};
const nudge = () => nudgeSender();

/** Tells the outbox whom to nudge when mail is waiting; returns how to stop. */
export function whenMailWaits(fn: () => void): () => void {
  nudgeSender = fn;
  return () => {
    if (nudgeSender === fn) nudgeSender = () => {};
  };
}

/** Mail is waiting in db's work: the sender is nudged once that work is committed. */
export function mailWaiting(db: Executor): void {
  onCommit(db, nudge);
}

export interface QueueMailInput<K extends TemplateName> {
  to: string;
  template: K;
  data: MailTemplates[K];
  personId?: number | null;
  conveningId?: number | null;
  /** A key that makes queueing idempotent: a second mail with the same key is dropped. */
  dedupeKey?: string;
  language?: string;
  now?: Date;
  /** an iCalendar invitation sent as a text/calendar part and an .ics attachment */
  calendar?: { method: "REQUEST" | "CANCEL"; content: string };
  /** a non-essential mail of this topic carries an unsubscribe link (in the body and the List-Unsubscribe header) */
  topic?: MailTopic;
}

/** The outbox row of a mail: rendered now, in the recipient's language, with its unsubscribe link if it may carry one. */
function outboxRow<K extends TemplateName>(input: QueueMailInput<K>) {
  const now = (input.now ?? new Date()).toISOString();
  const t = fixedT(input.language);
  const unsubscribe = input.topic && input.personId ? unsubscribeLink(input.personId, input.topic) : null;
  const plain = renderTemplate(t, input.template, input.data);
  const rendered = unsubscribe ? withUnsubscribe(t, plain, unsubscribe) : plain;
  return {
    to_address: input.to,
    person_id: input.personId ?? null,
    convening_id: input.conveningId ?? null,
    template: input.template,
    subject: rendered.subject,
    text_body: rendered.text,
    html_body: rendered.html,
    next_attempt_at: now,
    dedupe_key: input.dedupeKey ?? null,
    created_at: now,
    ics: input.calendar?.content ?? null,
    ics_method: input.calendar?.method ?? null,
    unsubscribe_url: unsubscribe,
  };
}

/** A mail exactly as queueMail would store and send it (subject and bodies), without queueing it: for previews. */
export function renderQueuedMail<K extends TemplateName>(input: QueueMailInput<K>): { subject: string; text: string; html: string } {
  const row = outboxRow(input);
  return { subject: row.subject, text: row.text_body, html: row.html_body };
}

/** Queues one mail; returns its id, or null when a mail with the same dedupe key exists. */
export async function queueMail<K extends TemplateName>(db: Executor, input: QueueMailInput<K>): Promise<number | null> {
  const row = await db
    .insertInto("mail_outbox")
    .values(outboxRow(input))
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (row) mailWaiting(db);
  return row?.id ?? null;
}

/** Rows per statement when queueing many mails: well under the databases' limits on parameters. */
const BATCH = 200;

/**
 * Queues many mails in a few statements (a published agenda may mail thousands of people inside
 * one transaction); mails whose dedupe key exists are dropped. Returns how many were queued.
 */
export async function queueMails<K extends TemplateName>(db: Executor, inputs: Array<QueueMailInput<K>>): Promise<number> {
  let queued = 0;
  for (let i = 0; i < inputs.length; i += BATCH) {
    const rows = await db
      .insertInto("mail_outbox")
      .values(inputs.slice(i, i + BATCH).map(outboxRow))
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .returning("id")
      .execute();
    queued += rows.length;
  }
  if (queued > 0) mailWaiting(db);
  return queued;
}

export type OutboxFilter = "all" | "queued" | "sent" | "failed";

export async function listOutbox(db: Executor, filter: OutboxFilter, limit = 200) {
  let query = db
    .selectFrom("mail_outbox")
    .select([
      "id",
      "to_address",
      "template",
      "subject",
      "status",
      "attempts",
      "next_attempt_at",
      "sent_at",
      "error",
      "created_at",
    ])
    .orderBy("id", "desc")
    .limit(limit);
  if (filter === "queued") query = query.where("status", "in", ["queued", "sending"]);
  else if (filter !== "all") query = query.where("status", "=", filter);
  return query.execute();
}

export async function outboxCounts(db: Executor) {
  const rows = await db
    .selectFrom("mail_outbox")
    .select((eb) => ["status", eb.fn.countAll<number>().as("count")])
    .groupBy("status")
    .execute();
  const counts = { queued: 0, sent: 0, failed: 0 };
  for (const row of rows) {
    const key = row.status === "sending" ? "queued" : row.status;
    counts[key] += Number(row.count);
  }
  return counts;
}

/** Sends a failed mail again (an organizer asked): back in the queue with fresh attempts, audited. False when it is not failed. */
export async function retryMail(db: Executor, input: { id: number; actorId: number | null; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable("mail_outbox")
      .set({ status: "queued", attempts: 0, next_attempt_at: now.toISOString(), locked_until: null })
      .where("id", "=", input.id)
      .where("status", "=", "failed")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await writeAudit(trx, { actorId: input.actorId, action: "mail.retried", subjectType: "mail", subjectId: input.id, now });
    mailWaiting(trx);
    return true;
  });
}
