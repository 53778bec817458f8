// Mail to a group: organizers choose registrants of a convening with the registrations table's
// filters (and "facilitators only"), see how many it reaches and each mail as it will be sent,
// then queue it: one outbox row per person, in the same transaction as the message's row and its
// audit entry. A message not marked essential leaves out those who turned these messages off and
// carries their unsubscribe link; an essential one (venue, safety, the day's schedule) reaches
// everyone in the group, without a link.
import { sql } from "kysely";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { randomToken, sha256 } from "../../platform/crypto.server";
import { queueMails, renderQueuedMail, type QueueMailInput } from "../../platform/mail/outbox.server";
import { filtered } from "../registration/queries.server";
import { ACTIVE_STATUSES } from "../registration/states";
import { participantName } from "../names/names.server";
import { ACCEPTED_STATUSES } from "../proposals/states";
import { MessagesError } from "./errors";
import { GROUP_FILTER_FIELDS, type GroupFilters, type GroupMessageInput } from "./schema";

/** How many of the group's mails a preview shows in full. */
export const PREVIEW_MAILS = 3;

interface Member {
  personId: number;
  email: string;
  /** the name they registered under, which organizers see */
  name: string;
  /** turned non-essential group messages off */
  off: boolean;
}

/** Everyone the filters choose among the convening's registrants (deleted accounts never), by name. */
async function groupMembers(db: Executor, conveningId: number, filters: GroupFilters): Promise<Member[]> {
  const { facilitators, support, ...rest } = filters;
  // A group message's yes/no on support: asked for it (whatever the decision), or not.
  const choice = { ...rest, support: support === "yes" ? ("asked" as const) : support === "no" ? ("none" as const) : undefined };
  const query = db
    .selectFrom("registrations")
    .innerJoin("people", "people.id", "registrations.person_id")
    .select(["registrations.person_id", "registrations.display_name", "people.email", "people.messages_off"])
    .where("people.deleted_at", "is", null);
  let q = filtered(query, conveningId, choice);
  // Without a status chosen: everyone taking part, not those declined or cancelled.
  if (!choice.status) q = q.where("registrations.status", "in", [...ACTIVE_STATUSES]);
  if (facilitators) {
    // Facilitating a session that will take place: accepted (or confirmed), never a decision still held.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("facilitators")
          .innerJoin("proposals", "proposals.id", "facilitators.proposal_id")
          .select("facilitators.id")
          .whereRef("facilitators.person_id", "=", "registrations.person_id")
          .whereRef("proposals.convening_id", "=", "registrations.convening_id")
          .where("facilitators.status", "=", "accepted")
          .where("proposals.status", "in", [...ACCEPTED_STATUSES]),
      ),
    );
  }
  const rows = await q.orderBy(sql`lower(registrations.display_name)`).orderBy("registrations.id").execute();
  const organizer = { id: null, organizer: true, registration: null };
  return rows.map((r) => ({
    personId: r.person_id,
    email: r.email,
    name: participantName({ personId: r.person_id, name: r.display_name, listed: false, deleted: false }, organizer) ?? r.display_name,
    off: r.messages_off !== 0,
  }));
}

export interface Group {
  /** those the message goes to */
  recipients: Member[];
  /** how many the filters chose who turned these messages off (only for a message that is not essential) */
  leftOut: number;
}

/** Whom a message with these filters reaches now. */
export async function resolveGroup(db: Executor, conveningId: number, filters: GroupFilters, essential: boolean): Promise<Group> {
  if (filters.track !== undefined) {
    const track = await db.selectFrom("tracks").select("id").where("id", "=", filters.track).where("convening_id", "=", conveningId).executeTakeFirst();
    if (!track) throw new MessagesError("unknown_track", 400);
  }
  const members = await groupMembers(db, conveningId, filters);
  const recipients = essential ? members : members.filter((m) => !m.off);
  return { recipients, leftOut: members.length - recipients.length };
}

/** The filters as stored with the message: only those chosen, in a fixed order. */
function chosenFilters(input: GroupMessageInput): Partial<GroupFilters> {
  const out: Record<string, unknown> = {};
  for (const field of GROUP_FILTER_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== false) out[field] = value;
  }
  return out as Partial<GroupFilters>;
}

/**
 * What a preview showed: the message and exactly whom it reached. Queueing compares it with the
 * group as it is then and refuses when they differ, rather than quietly sending to a group that
 * grew or shrank since (a registration confirmed, someone unsubscribed, the text edited): the
 * organizer decided on the people counted in front of them, so they see the new count first.
 */
function fingerprint(conveningId: number, input: GroupMessageInput, recipients: Member[]): string {
  return sha256(
    JSON.stringify({
      conveningId,
      filters: chosenFilters(input),
      subject: input.subject,
      body: input.body,
      essential: input.essential,
      people: recipients.map((r) => r.personId).sort((a, b) => a - b),
    }),
  );
}

async function conveningTitle(db: Executor, conveningId: number): Promise<string> {
  return (await db.selectFrom("convenings").select("title").where("id", "=", conveningId).executeTakeFirstOrThrow()).title;
}

function mailOf(conveningId: number, convening: string, input: GroupMessageInput, member: Member, messageId: number | null, now: Date): QueueMailInput<"group-message"> {
  return {
    to: member.email,
    personId: member.personId,
    conveningId,
    template: "group-message",
    data: { name: member.name, convening, subject: input.subject, body: input.body },
    dedupeKey: messageId === null ? undefined : `group:${messageId}:${member.personId}`,
    // No language is stored for a person yet: the mail is written in the app's language.
    topic: input.essential ? undefined : "messages",
    now,
  };
}

export interface GroupPreview {
  count: number;
  leftOut: number;
  essential: boolean;
  /** the first few mails, exactly as they will be queued */
  mails: Array<{ name: string; subject: string; text: string }>;
  /** ties the queue form to this preview: a second submission of it queues nothing more */
  token: string;
  fingerprint: string;
}

/** How many a message reaches and the first mails as each person will receive them; nothing is written. */
export async function previewGroupMessage(db: Executor, input: { conveningId: number; message: GroupMessageInput; now?: Date }): Promise<GroupPreview> {
  const now = input.now ?? new Date();
  const group = await resolveGroup(db, input.conveningId, input.message, input.message.essential);
  const convening = await conveningTitle(db, input.conveningId);
  return {
    count: group.recipients.length,
    leftOut: group.leftOut,
    essential: input.message.essential,
    mails: group.recipients.slice(0, PREVIEW_MAILS).map((member) => {
      const mail = renderQueuedMail(mailOf(input.conveningId, convening, input.message, member, null, now));
      return { name: member.name, subject: mail.subject, text: mail.text };
    }),
    token: randomToken(24),
    fingerprint: fingerprint(input.conveningId, input.message, group.recipients),
  };
}

export interface QueuedGroupMessage {
  id: number;
  count: number;
  /** the same preview was queued before: nothing more was queued now */
  repeated: boolean;
}

/**
 * The one function that sends a group message: checks the group is still the one previewed,
 * writes the message, its audit entry and one mail per person, in one transaction.
 */
export async function queueGroupMessage(
  db: Executor,
  input: { conveningId: number; organizerId: number; message: GroupMessageInput; token: string; fingerprint: string; now?: Date },
): Promise<QueuedGroupMessage> {
  const now = input.now ?? new Date();
  const { message, conveningId } = input;
  return inTransaction(db, async (trx) => {
    const earlier = async () => {
      const row = await trx.selectFrom("group_messages").select(["id", "convening_id", "recipients"]).where("preview_token", "=", input.token).executeTakeFirst();
      if (row && row.convening_id !== conveningId) throw new MessagesError("group_changed", 409);
      return row ? { id: row.id, count: row.recipients, repeated: true } : null;
    };
    const before = await earlier();
    if (before) return before;
    const group = await resolveGroup(trx, conveningId, message, message.essential);
    if (group.recipients.length === 0) throw new MessagesError("nobody", 409);
    if (fingerprint(conveningId, message, group.recipients) !== input.fingerprint) throw new MessagesError("group_changed", 409);
    const inserted = await trx
      .insertInto("group_messages")
      .values({
        convening_id: conveningId,
        filter: JSON.stringify(chosenFilters(message)),
        subject: message.subject,
        body: message.body,
        essential: message.essential ? 1 : 0,
        recipients: group.recipients.length,
        left_out: group.leftOut,
        preview_token: input.token,
        queued_by: input.organizerId,
        queued_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column("preview_token").doNothing())
      .returning("id")
      .executeTakeFirst();
    // Another submission of the same preview got there first (a double click).
    if (!inserted) return (await earlier())!;
    const convening = await conveningTitle(trx, conveningId);
    await queueMails(
      trx,
      group.recipients.map((member) => mailOf(conveningId, convening, message, member, inserted.id, now)),
    );
    await writeAudit(trx, {
      actorId: input.organizerId,
      action: "group_message.queued",
      subjectType: "group_message",
      subjectId: inserted.id,
      conveningId,
      details: { count: group.recipients.length, leftOut: group.leftOut, essential: message.essential },
      now,
    });
    return { id: inserted.id, count: group.recipients.length, repeated: false };
  });
}

/** The convening's group messages, newest first, for its organizers. */
export async function listGroupMessages(db: Executor, conveningId: number, limit = 100) {
  const rows = await db
    .selectFrom("group_messages")
    .leftJoin("people", "people.id", "group_messages.queued_by")
    .select([
      "group_messages.id",
      "group_messages.subject",
      "group_messages.essential",
      "group_messages.recipients",
      "group_messages.left_out",
      "group_messages.queued_at",
      "people.public_name as queued_by_name",
      "people.deleted_at as queued_by_deleted",
    ])
    .where("group_messages.convening_id", "=", conveningId)
    .orderBy("group_messages.queued_at", "desc")
    .orderBy("group_messages.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    essential: r.essential === 1,
    recipients: r.recipients,
    leftOut: r.left_out,
    queuedAt: r.queued_at,
    queuedBy: r.queued_by_deleted ? null : r.queued_by_name,
  }));
}
