// Registration for a convening: the capacity rule, the waitlist, and every state change, each in
// one transaction with its audit row and queued mail.
import type { TemplateName } from "../../../emails/index";
import type { Attendance, Registration, RegistrationStatus } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import type { RegistrationInput } from "./schema";
import { ACTIVE_STATUSES, canTransition, isWindowOpen } from "./states";
import { RegistrationError } from "./errors";

type ConveningRow = {
  id: number;
  slug: string;
  title: string;
  status: string;
  registration_opens_at: string | null;
  registration_closes_at: string | null;
  capacity_in_person: number | null;
  approval_required: number;
};

/**
 * Takes the convening's write lock before anything is read, so that counting places and taking
 * one happen as one step: a row lock on PostgreSQL, the database write lock on SQLite.
 */
async function lockConvening(trx: Trx, conveningId: number): Promise<ConveningRow> {
  await trx
    .updateTable("convenings")
    .set((eb) => ({ capacity_in_person: eb.ref("capacity_in_person") }))
    .where("id", "=", conveningId)
    .execute();
  const convening = await trx
    .selectFrom("convenings")
    .select(["id", "slug", "title", "status", "registration_opens_at", "registration_closes_at", "capacity_in_person", "approval_required"])
    .where("id", "=", conveningId)
    .executeTakeFirst();
  if (!convening) throw new RegistrationError("not_found", 404);
  return convening;
}

async function confirmedInPerson(trx: Executor, conveningId: number): Promise<number> {
  const row = await trx
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", conveningId)
    .where("status", "=", "confirmed")
    .where("attendance", "=", "in_person")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function hasPlace(trx: Executor, convening: ConveningRow, attendance: Attendance): Promise<boolean> {
  if (attendance === "remote" || convening.capacity_in_person === null) return true;
  return (await confirmedInPerson(trx, convening.id)) < convening.capacity_in_person;
}

export async function waitlistPosition(db: Executor, registration: Pick<Registration, "convening_id" | "queued_at" | "id">): Promise<number> {
  const row = await db
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", registration.convening_id)
    .where("status", "=", "waitlisted")
    .where((eb) =>
      eb.or([
        eb("queued_at", "<", registration.queued_at),
        eb.and([eb("queued_at", "=", registration.queued_at), eb("id", "<=", registration.id)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function mailFor(from: RegistrationStatus | null, to: RegistrationStatus): TemplateName {
  switch (to) {
    case "pending":
      return "registration-received";
    case "confirmed":
      return from === "waitlisted" ? "registration-promoted" : "registration-confirmed";
    case "waitlisted":
      return "registration-waitlisted";
    case "declined":
      return "registration-declined";
    case "cancelled":
      return "registration-cancelled";
  }
}

interface ChangeOptions {
  actorId: number | null;
  /** why, for the audit log: submitted, approved, promoted, declined, moved, cancelled … */
  reason: string;
  message?: string | null;
  now: Date;
}

/**
 * The one function that changes a registration's status: checks the transition, writes the row,
 * the audit entry and the mail to the participant, inside the caller's transaction.
 */
export async function setRegistrationStatus(
  trx: Trx,
  registration: Registration,
  to: RegistrationStatus,
  options: ChangeOptions,
  from: RegistrationStatus | null = registration.status,
): Promise<Registration> {
  if (from !== null && !canTransition(from, to)) throw new RegistrationError("invalid_transition", 409);
  const updated = await trx
    .updateTable("registrations")
    .set({
      status: to,
      updated_at: options.now.toISOString(),
      organizer_message: to === "declined" ? (options.message ?? null) : registration.organizer_message,
    })
    .where("id", "=", registration.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeAudit(trx, {
    actorId: options.actorId,
    action: `registration.${options.reason}`,
    subjectType: "registration",
    subjectId: registration.id,
    conveningId: registration.convening_id,
    details: { from, to },
    now: options.now,
  });
  const person = await trx.selectFrom("people").select("email").where("id", "=", registration.person_id).executeTakeFirstOrThrow();
  const convening = await trx.selectFrom("convenings").select(["title", "slug"]).where("id", "=", registration.convening_id).executeTakeFirstOrThrow();
  await queueMail(trx, {
    to: person.email,
    personId: registration.person_id,
    conveningId: registration.convening_id,
    template: mailFor(from, to),
    data: {
      name: updated.display_name,
      convening: convening.title,
      link: appLink(`/convenings/${convening.slug}/register`),
      position: to === "waitlisted" ? await waitlistPosition(trx, updated) : undefined,
      message: to === "declined" ? (options.message ?? null) : undefined,
    },
    now: options.now,
  });
  return updated;
}

/** Puts a registration at the end of the waitlist: its place in the queue starts now. */
async function joinWaitlist(trx: Trx, registration: Registration, options: ChangeOptions): Promise<Registration> {
  const requeued = await trx
    .updateTable("registrations")
    .set({ queued_at: options.now.toISOString() })
    .where("id", "=", registration.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return setRegistrationStatus(trx, requeued, "waitlisted", options);
}

/** Gives free in-person places to the waitlist, oldest first. Returns the ids promoted. */
export async function fillFromWaitlist(trx: Trx, convening: ConveningRow, actorId: number | null, now: Date): Promise<number[]> {
  let free: number;
  if (convening.capacity_in_person === null) {
    free = Number.MAX_SAFE_INTEGER;
  } else {
    free = convening.capacity_in_person - (await confirmedInPerson(trx, convening.id));
  }
  if (free <= 0) return [];
  const next = await trx
    .selectFrom("registrations")
    .selectAll()
    .where("convening_id", "=", convening.id)
    .where("status", "=", "waitlisted")
    .orderBy("queued_at")
    .orderBy("id")
    .limit(Math.min(free, 10_000))
    .execute();
  for (const registration of next) {
    await setRegistrationStatus(trx, registration, "confirmed", { actorId, reason: "promoted", now });
  }
  return next.map((r) => r.id);
}

function rowValues(input: RegistrationInput, now: Date) {
  return {
    display_name: input.displayName,
    pronouns: input.pronouns ?? null,
    organization: input.organization ?? null,
    constituency: input.constituency ?? null,
    country: input.country ?? null,
    attendance: input.attendance,
    languages: JSON.stringify(input.languages),
    interpretation: JSON.stringify(input.interpretation),
    access_needs: JSON.stringify(input.accessNeeds),
    access_other: input.accessOther ?? null,
    dietary: input.dietary ?? null,
    support_requested: input.supportRequested === "yes" ? 1 : 0,
    support_reason: input.supportRequested === "yes" ? (input.supportReason ?? null) : null,
    emergency_contact: input.emergencyContact ?? null,
    consent_directory: input.consentDirectory ? 1 : 0,
    consent_contact: input.consentContact ? 1 : 0,
    consent_photos: input.consentPhotos ? 1 : 0,
    updated_at: now.toISOString(),
  };
}

async function checkTracks(trx: Executor, conveningId: number, trackIds: number[]): Promise<void> {
  const unique = [...new Set(trackIds)];
  const found = await trx.selectFrom("tracks").select("id").where("convening_id", "=", conveningId).where("id", "in", unique).execute();
  if (found.length !== unique.length) throw new RegistrationError("unknown_track", 400);
}

async function setTracks(trx: Trx, registrationId: number, trackIds: number[]): Promise<void> {
  await trx.deleteFrom("registration_tracks").where("registration_id", "=", registrationId).execute();
  await trx
    .insertInto("registration_tracks")
    .values([...new Set(trackIds)].map((track_id) => ({ registration_id: registrationId, track_id })))
    .execute();
}

/**
 * A person registers (or registers again after cancelling). Capacity is checked and the place
 * taken in the same transaction; beyond capacity the registration joins the waitlist.
 */
export async function submitRegistration(
  db: Executor,
  input: { conveningId: number; personId: number; answers: RegistrationInput; now?: Date },
): Promise<Registration> {
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    // Read the clock only once the lock is held, so arrival times follow the order places were given.
    const now = input.now ?? new Date();
    if (!isWindowOpen(convening, now)) throw new RegistrationError("closed", 409);
    await checkTracks(trx, convening.id, input.answers.tracks);
    const existing = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("convening_id", "=", convening.id)
      .where("person_id", "=", input.personId)
      .executeTakeFirst();
    if (existing && existing.status !== "cancelled") throw new RegistrationError("already_registered", 409);

    const status: RegistrationStatus = convening.approval_required
      ? "pending"
      : (await hasPlace(trx, convening, input.answers.attendance))
        ? "confirmed"
        : "waitlisted";
    const values = { ...rowValues(input.answers, now), queued_at: now.toISOString(), attended_at: null, organizer_message: null };
    let row: Registration;
    if (existing) {
      row = await trx.updateTable("registrations").set(values).where("id", "=", existing.id).returningAll().executeTakeFirstOrThrow();
    } else {
      row = await trx
        .insertInto("registrations")
        .values({ ...values, convening_id: convening.id, person_id: input.personId, status, created_at: now.toISOString() })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await setTracks(trx, row.id, input.answers.tracks);
    return setRegistrationStatus(trx, row, status, { actorId: input.personId, reason: "submitted", now }, existing ? existing.status : null);
  });
}

/** The person edits their answers while registration is open. A change of attendance may take or free a place. */
export async function updateRegistration(
  db: Executor,
  input: { conveningId: number; personId: number; answers: RegistrationInput; now?: Date },
): Promise<Registration> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    if (!isWindowOpen(convening, now)) throw new RegistrationError("closed", 409);
    await checkTracks(trx, convening.id, input.answers.tracks);
    const existing = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("convening_id", "=", convening.id)
      .where("person_id", "=", input.personId)
      .where("status", "in", [...ACTIVE_STATUSES])
      .executeTakeFirst();
    if (!existing) throw new RegistrationError("not_registered", 404);
    let row = await trx.updateTable("registrations").set(rowValues(input.answers, now)).where("id", "=", existing.id).returningAll().executeTakeFirstOrThrow();
    await setTracks(trx, row.id, input.answers.tracks);
    await writeAudit(trx, { actorId: input.personId, action: "registration.updated", subjectType: "registration", subjectId: row.id, conveningId: convening.id, now });

    if (existing.attendance !== row.attendance) {
      if (row.status === "confirmed" && row.attendance === "in_person") {
        // Coming in person now needs a place like anyone else's: over capacity it goes to the waitlist.
        const others = (await confirmedInPerson(trx, convening.id)) - 1;
        if (convening.capacity_in_person !== null && others >= convening.capacity_in_person) {
          row = await joinWaitlist(trx, row, { actorId: input.personId, reason: "moved", now });
        }
      } else if (row.status === "waitlisted" && row.attendance === "remote") {
        row = await setRegistrationStatus(trx, row, "confirmed", { actorId: input.personId, reason: "confirmed", now });
      } else if (row.status === "confirmed" && row.attendance === "remote") {
        await fillFromWaitlist(trx, convening, input.personId, now);
      }
    }
    return row;
  });
}

/** The person cancels (at any time); a freed in-person place goes to the first on the waitlist. */
export async function cancelRegistration(db: Executor, input: { conveningId: number; personId: number; now?: Date }): Promise<Registration> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    // A declined registration stays declined: cancelling it would let the person register afresh.
    const existing = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("convening_id", "=", convening.id)
      .where("person_id", "=", input.personId)
      .where("status", "in", [...ACTIVE_STATUSES])
      .executeTakeFirst();
    if (!existing) throw new RegistrationError("not_registered", 404);
    const row = await setRegistrationStatus(trx, existing, "cancelled", { actorId: input.personId, reason: "cancelled", now });
    await fillFromWaitlist(trx, convening, null, now);
    return row;
  });
}

/** An organizer's decision on one registration. */
export async function decideRegistration(
  db: Executor,
  input: {
    conveningId: number;
    registrationId: number;
    organizerId: number;
    decision: "approve" | "decline" | "waitlist" | "confirm" | "attended" | "not-attended";
    message?: string | null;
    now?: Date;
  },
): Promise<Registration> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    const registration = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("convening_id", "=", convening.id)
      .where("id", "=", input.registrationId)
      .executeTakeFirst();
    if (!registration) throw new RegistrationError("not_found", 404);
    const actor = { actorId: input.organizerId, now };

    switch (input.decision) {
      case "approve": {
        if (!["pending", "declined"].includes(registration.status)) throw new RegistrationError("invalid_transition", 409);
        const to = (await hasPlace(trx, convening, registration.attendance)) ? "confirmed" : "waitlisted";
        return setRegistrationStatus(trx, registration, to, { ...actor, reason: "approved" });
      }
      case "confirm": {
        if (registration.status !== "waitlisted") throw new RegistrationError("invalid_transition", 409);
        if (!(await hasPlace(trx, convening, registration.attendance))) throw new RegistrationError("full", 409);
        return setRegistrationStatus(trx, registration, "confirmed", { ...actor, reason: "confirmed" });
      }
      case "waitlist": {
        if (registration.status !== "confirmed") throw new RegistrationError("invalid_transition", 409);
        // The freed place goes to the next person waiting; with nobody waiting it would come straight back.
        const waiting = await trx.selectFrom("registrations").select("id").where("convening_id", "=", convening.id).where("status", "=", "waitlisted").limit(1).executeTakeFirst();
        if (!waiting || registration.attendance === "remote") throw new RegistrationError("nobody_waiting", 409);
        const row = await joinWaitlist(trx, registration, { ...actor, reason: "moved" });
        await fillFromWaitlist(trx, convening, input.organizerId, now);
        return row;
      }
      case "decline": {
        const row = await setRegistrationStatus(trx, registration, "declined", { ...actor, reason: "declined", message: input.message ?? null });
        if (registration.status === "confirmed") await fillFromWaitlist(trx, convening, input.organizerId, now);
        return row;
      }
      case "attended":
      case "not-attended": {
        const row = await trx
          .updateTable("registrations")
          .set({ attended_at: input.decision === "attended" ? now.toISOString() : null, updated_at: now.toISOString() })
          .where("id", "=", registration.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(trx, { actorId: input.organizerId, action: `registration.${input.decision}`, subjectType: "registration", subjectId: registration.id, conveningId: convening.id, now });
        return row;
      }
    }
  });
}

/** Organizers change the window, capacity and approval; a larger capacity promotes from the waitlist at once. */
export async function updateRegistrationSettings(
  db: Executor,
  input: {
    conveningId: number;
    organizerId: number;
    opensAt: string | null;
    closesAt: string | null;
    capacity: number | null | undefined;
    approvalRequired: boolean;
    /** the day after which sensitive answers are erased; null: the default (90 days after the end) */
    retentionOn?: string | null;
    now?: Date;
  },
): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    await lockConvening(trx, input.conveningId);
    if (input.retentionOn) {
      // Sensitive answers are kept at least until the convening is over.
      const { ends_on } = await trx.selectFrom("convenings").select("ends_on").where("id", "=", input.conveningId).executeTakeFirstOrThrow();
      if (input.retentionOn <= ends_on) throw new RegistrationError("retention_before_end", 400);
    }
    await trx
      .updateTable("convenings")
      .set({
        registration_opens_at: input.opensAt,
        registration_closes_at: input.closesAt,
        capacity_in_person: input.capacity ?? null,
        approval_required: input.approvalRequired ? 1 : 0,
        ...(input.retentionOn !== undefined ? { retention_on: input.retentionOn } : {}),
      })
      .where("id", "=", input.conveningId)
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "convening.registration_settings", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, now });
    const convening = await lockConvening(trx, input.conveningId);
    await fillFromWaitlist(trx, convening, input.organizerId, now);
  });
}

/** For the job runner: fills places freed by anything the other paths did not see. */
export async function promoteFromWaitlists(db: Executor, now: Date): Promise<number> {
  const convenings = await db
    .selectFrom("registrations")
    .select("convening_id")
    .distinct()
    .where("status", "=", "waitlisted")
    .execute();
  let promoted = 0;
  for (const { convening_id } of convenings) {
    promoted += await inTransaction(db, async (trx) => {
      const convening = await lockConvening(trx, convening_id);
      return (await fillFromWaitlist(trx, convening, null, now)).length;
    });
  }
  return promoted;
}

export async function getOwnRegistration(db: Executor, conveningId: number, personId: number) {
  const registration = await db
    .selectFrom("registrations")
    .selectAll()
    .where("convening_id", "=", conveningId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  if (!registration) return undefined;
  const tracks = await db.selectFrom("registration_tracks").select("track_id").where("registration_id", "=", registration.id).execute();
  return {
    ...registration,
    trackIds: tracks.map((t) => t.track_id),
    position: registration.status === "waitlisted" ? await waitlistPosition(db, registration) : null,
  };
}
