// Visa invitation letters: the convening's template, a participant's request with passport
// details (sensitive), an organizer's decision (requested → approved | declined, one function),
// and what the letter says once approved. Passport details are read only by organizers who read
// sensitive answers, each read audited, and set to null on the retention date.
import { DateTime } from "luxon";
import type { LetterRequest } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { appLink } from "../../platform/env.server";
import { formatDay, formatDayRange } from "../../lib/format";
import { isCalendarDate } from "../../lib/forms";
import { LetterError } from "./letter-errors";
import { fillLetter, unknownPlaceholders, type LetterDecisionInput, type LetterRequestInput, type LetterTemplateInput } from "./letter-schema";
import { ACTIVE_STATUSES } from "./states";

/** The convening's letter template, or undefined before an organizer writes one. */
export async function getLetterTemplate(db: Executor, conveningId: number) {
  return db.selectFrom("letter_templates").selectAll().where("convening_id", "=", conveningId).executeTakeFirst();
}

/** Writes (or rewrites) the convening's letter template; a placeholder not on the list is refused and nothing changes. */
export async function saveLetterTemplate(db: Executor, input: { conveningId: number; organizerId: number; template: LetterTemplateInput; now?: Date }): Promise<void> {
  const unknown = unknownPlaceholders(input.template.body);
  if (unknown.length > 0) throw new LetterError("unknown_placeholder", 400, unknown.join(", "));
  const at = (input.now ?? new Date()).toISOString();
  const values = { letterhead: input.template.letterhead, signer_name: input.template.signerName, signer_role: input.template.signerRole, body: input.template.body, updated_by: input.organizerId, updated_at: at };
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("letter_templates")
      .values({ convening_id: input.conveningId, ...values })
      .onConflict((oc) => oc.column("convening_id").doUpdateSet(values))
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "letter.template_saved", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, now: input.now });
  });
}

/** The person's own request at this convening, without erased details (null fields), or undefined. */
export async function ownLetterRequest(db: Executor, conveningId: number, personId: number) {
  return db
    .selectFrom("letter_requests")
    .innerJoin("registrations", "registrations.id", "letter_requests.registration_id")
    .selectAll("letter_requests")
    .where("letter_requests.convening_id", "=", conveningId)
    .where("registrations.person_id", "=", personId)
    .executeTakeFirst();
}

/**
 * A participant asks for a letter, or changes a request not yet approved (a declined one is asked
 * again). Needs a taking-part registration and the convening's template.
 */
export async function requestLetter(db: Executor, input: { conveningId: number; personId: number; details: LetterRequestInput; now?: Date }): Promise<LetterRequest> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const birth = input.details.birthDate ?? null;
  if (birth !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(birth) || !isCalendarDate(birth) || birth >= at.slice(0, 10) || birth < "1900-01-01")) throw new LetterError("birth_date", 400);
  return inTransaction(db, async (trx) => {
    const registration = await trx
      .selectFrom("registrations")
      .select(["id", "status"])
      .where("convening_id", "=", input.conveningId)
      .where("person_id", "=", input.personId)
      .where("status", "in", [...ACTIVE_STATUSES])
      .executeTakeFirst();
    if (!registration) throw new LetterError("not_registered", 409);
    if (!(await getLetterTemplate(trx, input.conveningId))) throw new LetterError("no_template", 409);
    // After the retention date nothing sensitive is taken in any more.
    const convening = await trx.selectFrom("convenings").select("sensitive_erased_at").where("id", "=", input.conveningId).executeTakeFirstOrThrow();
    if (convening.sensitive_erased_at !== null) throw new LetterError("erased", 409);
    const details = {
      passport_name: input.details.passportName,
      nationality: input.details.nationality,
      passport_number: input.details.passportNumber,
      birth_date: birth,
      note: input.details.note ?? null,
    };
    const existing = await trx.selectFrom("letter_requests").select(["id", "status"]).where("registration_id", "=", registration.id).executeTakeFirst();
    if (existing?.status === "approved") throw new LetterError("already_approved", 409);
    const row = existing
      ? await trx
          .updateTable("letter_requests")
          .set({ ...details, status: "requested", organizer_message: null, decided_by: null, decided_at: null, erased_at: null, updated_at: at })
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto("letter_requests")
          .values({ convening_id: input.conveningId, registration_id: registration.id, ...details, created_at: at, updated_at: at })
          .returningAll()
          .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: input.personId, action: "letter.requested", subjectType: "registration", subjectId: registration.id, conveningId: input.conveningId, details: { letterRequest: row.id, fields: ["passport_name", "nationality", "passport_number", "birth_date", "note"] }, now });
    return row;
  });
}

/** An organizer approves or declines a request still waiting (with an optional message); audited and mailed. */
export async function decideLetter(db: Executor, input: { conveningId: number; organizerId: number; decision: LetterDecisionInput; now?: Date }): Promise<LetterRequest> {
  const now = input.now ?? new Date();
  const { id, decision, message } = input.decision;
  return inTransaction(db, async (trx) => {
    const request = await trx.selectFrom("letter_requests").selectAll().where("convening_id", "=", input.conveningId).where("id", "=", id).executeTakeFirst();
    if (!request) throw new LetterError("not_found", 404);
    if (request.status !== "requested") throw new LetterError("already_decided", 409);
    const to = decision === "approve" ? "approved" : "declined";
    const row = await trx
      .updateTable("letter_requests")
      .set({ status: to, organizer_message: message ?? null, decided_by: input.organizerId, decided_at: now.toISOString(), updated_at: now.toISOString() })
      .where("id", "=", request.id)
      .where("status", "=", "requested")
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: input.organizerId, action: `letter.${to}`, subjectType: "registration", subjectId: request.registration_id, conveningId: input.conveningId, details: { letterRequest: request.id }, now });
    const who = await trx
      .selectFrom("registrations")
      .innerJoin("people", "people.id", "registrations.person_id")
      .innerJoin("convenings", "convenings.id", "registrations.convening_id")
      .select(["people.id as person_id", "people.email", "registrations.display_name", "convenings.title", "convenings.slug"])
      .where("registrations.id", "=", request.registration_id)
      .executeTakeFirstOrThrow();
    await queueMail(trx, {
      to: who.email,
      personId: who.person_id,
      conveningId: input.conveningId,
      template: to === "approved" ? "letter-approved" : "letter-declined",
      data: { name: who.display_name, convening: who.title, link: appLink(`/convenings/${who.slug}/letter`), message: message ?? null },
      dedupeKey: `letter:${request.id}:${to}:${now.toISOString()}`,
      now,
    });
    return row;
  });
}

/** How many requests wait, were approved and declined: what an organizer who may not read passport details sees. */
export async function letterRequestCounts(db: Executor, conveningId: number): Promise<Record<LetterRequest["status"], number>> {
  const rows = await db.selectFrom("letter_requests").select((eb) => ["status", eb.fn.countAll<number>().as("n")]).where("convening_id", "=", conveningId).groupBy("status").execute();
  const counts = { requested: 0, approved: 0, declined: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * The convening's requests with their passport details, for an organizer who reads sensitive
 * answers (the caller checks): waiting ones first. The read is written to the audit log.
 */
export async function letterRequestsForOrganizer(db: Executor, conveningId: number, organizerId: number) {
  const rows = await db
    .selectFrom("letter_requests")
    .innerJoin("registrations", "registrations.id", "letter_requests.registration_id")
    .select([
      "letter_requests.id",
      "letter_requests.status",
      "letter_requests.passport_name",
      "letter_requests.nationality",
      "letter_requests.passport_number",
      "letter_requests.birth_date",
      "letter_requests.note",
      "letter_requests.organizer_message",
      "letter_requests.erased_at",
      "letter_requests.created_at",
      "letter_requests.decided_at",
      "registrations.id as registration_id",
      "registrations.display_name",
    ])
    .where("letter_requests.convening_id", "=", conveningId)
    .orderBy((eb) => eb.case().when("letter_requests.status", "=", "requested").then(0).else(1).end())
    .orderBy("letter_requests.created_at")
    .orderBy("letter_requests.id")
    .execute();
  if (rows.length > 0)
    await writeAudit(db, { actorId: organizerId, action: "letter.details_viewed", subjectType: "convening", subjectId: conveningId, conveningId, details: { requests: rows.map((r) => r.id), fields: ["passport_name", "nationality", "passport_number", "birth_date", "note"] } });
  return rows;
}

export interface LetterContent {
  letterhead: string;
  date: string;
  body: string;
  signerName: string;
  signerRole: string;
  title: string;
}

/**
 * What the person's approved letter says, or undefined when there is none to give: not asked,
 * not approved, no template, or its details erased. Only the person's own request is read.
 */
export async function ownLetter(db: Executor, conveningId: number, personId: number, now = new Date()): Promise<LetterContent | undefined> {
  const row = await db
    .selectFrom("letter_requests")
    .innerJoin("registrations", "registrations.id", "letter_requests.registration_id")
    .innerJoin("convenings", "convenings.id", "letter_requests.convening_id")
    .innerJoin("letter_templates", "letter_templates.convening_id", "letter_requests.convening_id")
    .select([
      "letter_requests.passport_name",
      "letter_requests.nationality",
      "letter_requests.passport_number",
      "letter_requests.birth_date",
      "letter_requests.decided_at",
      "convenings.title",
      "convenings.starts_on",
      "convenings.ends_on",
      "convenings.venue",
      "convenings.locale",
      "convenings.time_zone",
      "letter_templates.letterhead",
      "letter_templates.signer_name",
      "letter_templates.signer_role",
      "letter_templates.body",
    ])
    .where("letter_requests.convening_id", "=", conveningId)
    .where("registrations.person_id", "=", personId)
    .where("letter_requests.status", "=", "approved")
    .where("letter_requests.erased_at", "is", null)
    .where("letter_requests.passport_name", "is not", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const locale = row.locale;
  const today = DateTime.fromJSDate(now, { zone: row.time_zone }).toISODate()!;
  return {
    letterhead: row.letterhead,
    date: formatDay(today, locale),
    signerName: row.signer_name,
    signerRole: row.signer_role,
    title: row.title,
    body: fillLetter(row.body, {
      fullName: row.passport_name ?? "",
      nationality: row.nationality ?? "",
      passportNumber: row.passport_number ?? "",
      birthDate: row.birth_date ? formatDay(row.birth_date, locale) : "",
      conveningTitle: row.title,
      dates: formatDayRange(row.starts_on, row.ends_on, locale),
      venue: row.venue,
    }),
  };
}

/** The retention job's part for letters: passport details and notes of the convening set to null. Returns how many requests. */
export async function eraseLetterDetails(db: Executor, conveningId: number, now: Date): Promise<number> {
  const result = await db
    .updateTable("letter_requests")
    .set({ passport_name: null, nationality: null, passport_number: null, birth_date: null, note: null, erased_at: now.toISOString() })
    .where("convening_id", "=", conveningId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
