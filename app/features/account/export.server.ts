// Everything held about a person, for them to download: their own data, in their own words.
import type { Executor } from "../../platform/db.server";
import { statusForFacilitators } from "../../modules/proposals/states";
import { answersOfPerson } from "../../modules/registration/questions.server";
import { supportForExport } from "../../modules/support/requests.server";

export async function personalData(db: Executor, personId: number) {
  const person = await db
    .selectFrom("people")
    .leftJoin("organizations", "organizations.id", "people.organization_id")
    .select(["people.email", "people.full_name", "people.public_name", "people.pronouns", "people.constituency", "people.country", "people.languages", "people.created_at", "people.reminders_off", "people.digest_off", "people.agenda_mail_off", "people.messages_off", "organizations.name as organization"])
    .where("people.id", "=", personId)
    .executeTakeFirst();
  if (!person) return null;
  const [registrations, proposals, facilitating, reviews, interests, actions, audit, labels, answers, letterRequests, supportRequests] = await Promise.all([
    db.selectFrom("registrations").innerJoin("convenings", "convenings.id", "registrations.convening_id").selectAll("registrations").select("convenings.title as convening").where("registrations.person_id", "=", personId).execute(),
    db.selectFrom("proposals").innerJoin("convenings", "convenings.id", "proposals.convening_id").select(["proposals.id", "proposals.title", "proposals.abstract", "proposals.description", "proposals.status", "proposals.format", "proposals.created_at", "convenings.title as convening"]).where("proposals.proposer_id", "=", personId).execute(),
    db.selectFrom("facilitators").innerJoin("proposals", "proposals.id", "facilitators.proposal_id").select(["proposals.title", "facilitators.role", "facilitators.status", "facilitators.anonymous_label"]).where("facilitators.person_id", "=", personId).execute(),
    db.selectFrom("reviews").innerJoin("proposals", "proposals.id", "reviews.proposal_id").select(["reviews.id", "proposals.title", "reviews.comment", "reviews.updated_at"]).where("reviews.reviewer_id", "=", personId).execute(),
    db.selectFrom("interests").innerJoin("proposals", "proposals.id", "interests.proposal_id").select(["proposals.title", "interests.created_at"]).where("interests.person_id", "=", personId).execute(),
    db.selectFrom("action_items").select(["id", "title", "due_on", "status"]).where((eb) => eb.exists(eb.selectFrom("action_owners").select("action_owners.id").whereRef("action_owners.action_id", "=", "action_items.id").where("action_owners.person_id", "=", personId))).execute(),
    db.selectFrom("audit_log").select(["action", "subject_type", "subject_id", "at"]).where((eb) => eb.or([eb("actor_id", "=", personId), eb.and([eb("subject_type", "=", "person"), eb("subject_id", "=", personId)])])).orderBy("id").execute(),
    db.selectFrom("facilitation_labels").innerJoin("convenings", "convenings.id", "facilitation_labels.convening_id").select(["convenings.title as convening", "facilitation_labels.label", "facilitation_labels.updated_at"]).where("facilitation_labels.person_id", "=", personId).execute(),
    answersOfPerson(db, personId),
    // Visa letter requests with the passport details given (null once erased).
    db
      .selectFrom("letter_requests")
      .innerJoin("registrations", "registrations.id", "letter_requests.registration_id")
      .innerJoin("convenings", "convenings.id", "letter_requests.convening_id")
      .select(["convenings.title as convening", "letter_requests.status", "letter_requests.passport_name", "letter_requests.nationality", "letter_requests.passport_number", "letter_requests.birth_date", "letter_requests.note", "letter_requests.organizer_message", "letter_requests.created_at", "letter_requests.decided_at", "letter_requests.erased_at"])
      .where("registrations.person_id", "=", personId)
      .orderBy("letter_requests.id")
      .execute(),
    supportForExport(db, personId),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    profile: { ...person, languages: JSON.parse(person.languages) as string[] },
    registrations,
    // Their answers to the organizers' own questions, sensitive ones included: the person's own words.
    registrationAnswers: answers,
    supportRequests,
    // A held decision shows as the status before it until organizers release it.
    proposals: proposals.map((p) => ({ ...p, status: statusForFacilitators(p.status) })),
    facilitating,
    facilitationLabels: labels,
    letterRequests,
    reviewsWritten: reviews,
    interestMarks: interests,
    actionItems: actions,
    auditEntries: audit,
  };
}
