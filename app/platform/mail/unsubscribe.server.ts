// Unsubscribe links: every non-essential mail carries a link that turns its kind of mail off at
// once, without signing in. The link is signed with the app secret, so it names only a person's id
// and a topic and cannot be forged for someone else.
import type { TemplateName } from "../../../emails/index";
import { inTransaction, type Executor } from "../db.server";
import { appLink } from "../env.server";
import { keyedHash, safeEqual } from "../crypto.server";
import { writeAudit } from "../audit.server";

export const MAIL_TOPICS = ["reminders", "digest", "agenda", "messages"] as const;
export type MailTopic = (typeof MAIL_TOPICS)[number];

/** The mails of each topic; mail not listed here (sign-in, registration and proposal decisions, invitations) is essential. */
export const TOPIC_TEMPLATES: Record<MailTopic, TemplateName[]> = {
  reminders: ["action-due-7d", "action-due-1d", "action-overdue"],
  digest: ["action-digest"],
  agenda: ["agenda-changed"],
  // Only the group messages not marked essential carry its link (and are dropped when it is turned off).
  messages: ["group-message"],
};

const TOPIC_COLUMN = { reminders: "reminders_off", digest: "digest_off", agenda: "agenda_mail_off", messages: "messages_off" } as const;

function signature(personId: number, topic: MailTopic): string {
  return keyedHash(`unsubscribe:${personId}:${topic}`).slice(0, 32);
}

export function unsubscribeToken(personId: number, topic: MailTopic): string {
  return `${personId}-${topic}-${signature(personId, topic)}`;
}

export function unsubscribeLink(personId: number, topic: MailTopic): string {
  return appLink(`/unsubscribe/${unsubscribeToken(personId, topic)}`);
}

/** The person and topic a token stands for, or null when it is not one we signed. */
export function readUnsubscribeToken(token: string): { personId: number; topic: MailTopic } | null {
  const match = /^([1-9][0-9]{0,9})-([a-z]+)-([0-9a-f]{32})$/.exec(token);
  if (!match) return null;
  const personId = Number(match[1]);
  const topic = match[2] as MailTopic;
  if (!Number.isSafeInteger(personId) || !MAIL_TOPICS.includes(topic)) return null;
  return safeEqual(match[3]!, signature(personId, topic)) ? { personId, topic } : null;
}

export async function isSubscribed(db: Executor, personId: number, topic: MailTopic): Promise<boolean | null> {
  const row = await db.selectFrom("people").select(TOPIC_COLUMN[topic]).where("id", "=", personId).where("deleted_at", "is", null).executeTakeFirst();
  if (!row) return null;
  return (row as Record<string, number>)[TOPIC_COLUMN[topic]] === 0;
}

/** Turns a topic off (dropping its mail still in the queue) or back on. Returns false for an unknown or deleted person. */
export async function setSubscription(db: Executor, input: { personId: number; topic: MailTopic; subscribed: boolean; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable("people")
      .set({ [TOPIC_COLUMN[input.topic]]: input.subscribed ? 0 : 1, updated_at: now.toISOString() })
      .where("id", "=", input.personId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    if (!input.subscribed) {
      await trx
        .deleteFrom("mail_outbox")
        .where("person_id", "=", input.personId)
        .where("template", "in", TOPIC_TEMPLATES[input.topic])
        // A mail of the topic sent as essential (a group message about a venue change) has no link and stays.
        .where("unsubscribe_url", "is not", null)
        .where("status", "in", ["queued", "failed"])
        .execute();
    }
    await writeAudit(trx, {
      actorId: input.personId,
      action: input.subscribed ? "mail.subscribed" : "mail.unsubscribed",
      subjectType: "person",
      subjectId: input.personId,
      details: { topic: input.topic },
      now,
    });
    return true;
  });
}
