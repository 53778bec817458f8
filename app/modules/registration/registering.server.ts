// A person's own registration: registering (or again after cancelling), editing the answers,
// cancelling. Each takes the convening's lock first, so places are counted and taken in one step.
import type { Registration, RegistrationStatus } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import type { RegistrationInput } from "./schema";
import type { QuestionValues } from "./questions";
import { ACTIVE_STATUSES, isWindowOpen } from "./states";
import { RegistrationError } from "./errors";
import { confirmedInPerson, hasPlace, lockConvening } from "./capacity.server";
import { setRegistrationStatus } from "./status.server";
import { fillFromWaitlist, joinWaitlist } from "./waitlist.server";
import { saveAnswers } from "./questions.server";
import { randomInt } from "node:crypto";
import { CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH } from "./check-in-code";

/** A check-in code no other registration of the convening holds (the caller holds the convening's lock). */
async function newCheckInCode(trx: Executor, conveningId: number): Promise<string> {
  for (;;) {
    let code = "";
    for (let i = 0; i < CHECK_IN_CODE_LENGTH; i++) code += CHECK_IN_ALPHABET[randomInt(CHECK_IN_ALPHABET.length)];
    const clash = await trx.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).where("check_in_code", "=", code).executeTakeFirst();
    if (!clash) return code;
  }
}
import { saveSupportRequest } from "../support/requests.server";

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
    // Kept as a flag for the counts and group mail; the request itself (and its reason) lives in support_requests.
    support_requested: input.support ? 1 : 0,
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
  input: { conveningId: number; personId: number; answers: RegistrationInput & QuestionValues; now?: Date },
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
        .values({ ...values, convening_id: convening.id, person_id: input.personId, status, check_in_code: await newCheckInCode(trx, convening.id), created_at: now.toISOString() })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await setTracks(trx, row.id, input.answers.tracks);
    await saveAnswers(trx, { conveningId: convening.id, registrationId: row.id, values: input.answers, now });
    await saveSupportRequest(trx, { registrationId: row.id, conveningId: convening.id, personId: input.personId, request: input.answers.support ?? null, now });
    return setRegistrationStatus(trx, row, status, { actorId: input.personId, reason: "submitted", now }, existing ? existing.status : null);
  });
}

/** The person edits their answers while registration is open. A change of attendance may take or free a place. */
export async function updateRegistration(
  db: Executor,
  input: { conveningId: number; personId: number; answers: RegistrationInput & QuestionValues; now?: Date },
): Promise<Registration> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await lockConvening(trx, input.conveningId);
    if (!isWindowOpen(convening, now)) throw new RegistrationError("closed", 409);
    await checkTracks(trx, convening.id, input.answers.tracks);
    const existing = await activeRegistration(trx, convening.id, input.personId);
    if (!existing) throw new RegistrationError("not_registered", 404);
    let row = await trx.updateTable("registrations").set(rowValues(input.answers, now)).where("id", "=", existing.id).returningAll().executeTakeFirstOrThrow();
    await setTracks(trx, row.id, input.answers.tracks);
    await saveAnswers(trx, { conveningId: convening.id, registrationId: row.id, values: input.answers, now });
    await saveSupportRequest(trx, { registrationId: row.id, conveningId: convening.id, personId: input.personId, request: input.answers.support ?? null, now });
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
    const existing = await activeRegistration(trx, convening.id, input.personId);
    if (!existing) throw new RegistrationError("not_registered", 404);
    const row = await setRegistrationStatus(trx, existing, "cancelled", { actorId: input.personId, reason: "cancelled", now });
    await fillFromWaitlist(trx, convening, null, now);
    return row;
  });
}

/** A person's registration for a convening that is still taking part (not cancelled or declined). */
function activeRegistration(db: Executor, conveningId: number, personId: number) {
  return db.selectFrom("registrations").selectAll().where("convening_id", "=", conveningId).where("person_id", "=", personId).where("status", "in", [...ACTIVE_STATUSES]).executeTakeFirst();
}
