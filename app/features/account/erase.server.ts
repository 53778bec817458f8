// Erasing personal data: a person deleting their own account, and the retention job that erases
// sensitive registration answers once a convening's retention date has passed.
import { DateTime } from "luxon";
import type { Executor } from "../../platform/db.server";
import { inTransaction } from "../../platform/db.server";
import { cancelRegistration } from "../../modules/registration/registering.server";
import { ACTIVE_STATUSES } from "../../modules/registration/states";
import { writeAudit } from "../../platform/audit.server";
import { namesChanged } from "../../modules/people/people.server";
import { eraseSensitiveAnswers } from "../../modules/registration/questions.server";
import { eraseLetterDetails } from "../../modules/registration/letters.server";
import { deleteSupportOf, eraseSupportAnswers } from "../../modules/support/requests.server";

export const DEFAULT_RETENTION_DAYS = 90;

/** The address a deleted account keeps: unique, and not an address anyone can receive mail at. */
export function erasedEmail(personId: number): string {
  return `deleted-${personId}@erased.invalid`;
}

/**
 * Deletes a person's account, irreversibly. Their personal data is erased (address, names,
 * profile, registrations with every answer, interest marks, feeds, sign-in sessions, roles and
 * desk duties,
 * unsent mail, labels); the agenda stays whole: sessions they facilitated keep their place with
 * "a facilitator" shown instead of a name, action items stay with their other owners, and the
 * audit log keeps its rows (which hold ids, never names). A place they held goes to the waitlist.
 */
export async function deleteAccount(db: Executor, personId: number, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const person = await trx.selectFrom("people").select(["id", "email", "deleted_at"]).where("id", "=", personId).executeTakeFirst();
    if (!person || person.deleted_at) return false;

    // Give up held places first, so the waitlist moves on as for any cancellation.
    const active = await trx.selectFrom("registrations").select("convening_id").where("person_id", "=", personId).where("status", "in", [...ACTIVE_STATUSES]).execute();
    for (const { convening_id } of active) await cancelRegistration(trx, { conveningId: convening_id, personId, now });

    await namesChanged(trx, personId);
    await trx
      .deleteFrom("letter_requests")
      .where("registration_id", "in", (eb) => eb.selectFrom("registrations").select("id").where("person_id", "=", personId))
      .execute();
    await deleteSupportOf(trx, personId);
    await trx.deleteFrom("registrations").where("person_id", "=", personId).execute();
    await trx.deleteFrom("interests").where("person_id", "=", personId).execute();
    await trx.deleteFrom("feed_tokens").where("person_id", "=", personId).execute();
    await trx.deleteFrom("sessions").where("person_id", "=", personId).execute();
    await trx.deleteFrom("login_tokens").where("email", "=", person.email).execute();
    await trx.deleteFrom("roles").where("person_id", "=", personId).execute();
    await trx.deleteFrom("desk_volunteers").where("person_id", "=", personId).execute();
    await trx.deleteFrom("facilitation_labels").where("person_id", "=", personId).execute();
    await trx.deleteFrom("unavailability").where("person_id", "=", personId).execute();
    await trx.deleteFrom("action_owners").where("person_id", "=", personId).execute();
    // Invitations others sent to this address, not yet answered, and their own drafts go.
    await trx.deleteFrom("facilitators").where("status", "=", "invited").where("email", "=", person.email).execute();
    await trx.deleteFrom("proposals").where("proposer_id", "=", personId).where("status", "=", "draft").execute();
    await trx.updateTable("facilitators").set({ anonymous_label: null, email: null }).where("person_id", "=", personId).execute();
    // Mail: nothing more goes to them; what was sent keeps only that it was sent.
    await trx
      .deleteFrom("mail_outbox")
      .where((eb) => eb.or([eb("person_id", "=", personId), eb("to_address", "=", person.email)]))
      .where("status", "!=", "sent")
      .execute();
    await trx
      .updateTable("mail_outbox")
      .set({ to_address: erasedEmail(personId), subject: "", text_body: "", html_body: "", ics: null, unsubscribe_url: null })
      .where((eb) => eb.or([eb("person_id", "=", personId), eb("to_address", "=", person.email)]))
      .execute();
    await trx
      .updateTable("people")
      .set({
        email: erasedEmail(personId),
        full_name: null,
        public_name: null,
        pronouns: null,
        organization_id: null,
        constituency: null,
        country: null,
        languages: "[]",
        profile_completed_at: null,
        reminders_off: 1,
        digest_off: 1,
        agenda_mail_off: 1,
        messages_off: 1,
        deleted_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .where("id", "=", personId)
      .execute();
    await writeAudit(trx, { actorId: personId, action: "account.deleted", subjectType: "person", subjectId: personId, now });
    return true;
  });
}

/** The day after which a convening's sensitive answers are erased: the organizers' choice, or 90 days after it ends. */
export function retentionDate(convening: { ends_on: string; retention_on: string | null }): string {
  return convening.retention_on ?? DateTime.fromISO(convening.ends_on, { zone: "utc" }).plus({ days: DEFAULT_RETENTION_DAYS }).toISODate()!;
}

/** The sensitive answers of a registration; what stays (status, attendance, tracks, constituency, country, whether support was asked) keeps the counts. */
export const ERASED_ANSWERS = {
  access_needs: "[]",
  access_other: null,
  dietary: null,
  support_reason: null,
  emergency_contact: null,
} as const;

/**
 * The retention job: for each convening whose retention date has passed (in its own time zone),
 * erases the sensitive answers of every registration and the passport details of every visa
 * letter request once, and records it. Idempotent.
 */
export async function eraseExpiredAnswers(db: Executor, now = new Date()): Promise<number[]> {
  const convenings = await db.selectFrom("convenings").select(["id", "ends_on", "retention_on", "time_zone"]).where("sensitive_erased_at", "is", null).execute();
  const erased: number[] = [];
  for (const convening of convenings) {
    const today = DateTime.fromJSDate(now, { zone: convening.time_zone }).toISODate()!;
    if (today <= retentionDate(convening)) continue;
    const done = await inTransaction(db, async (trx) => {
      // Claimed first, so that with several processes only one erases and records it.
      const claimed = await trx.updateTable("convenings").set({ sensitive_erased_at: now.toISOString() }).where("id", "=", convening.id).where("sensitive_erased_at", "is", null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      const result = await trx.updateTable("registrations").set(ERASED_ANSWERS).where("convening_id", "=", convening.id).executeTakeFirst();
      const answers = await eraseSensitiveAnswers(trx, convening.id);
      const letters = await eraseLetterDetails(trx, convening.id, now);
      // Support: amounts, reasons and messages go; which kinds were asked and the decisions stay.
      const support = await eraseSupportAnswers(trx, convening.id, now);
      await writeAudit(trx, {
        actorId: null,
        action: "registrations.sensitive_erased",
        subjectType: "convening",
        subjectId: convening.id,
        conveningId: convening.id,
        details: { registrations: Number(result.numUpdatedRows), answers, letterRequests: letters, supportRequests: support },
        now,
      });
      return true;
    });
    if (done) erased.push(convening.id);
  }
  return erased;
}
