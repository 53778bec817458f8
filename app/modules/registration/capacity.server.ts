// The capacity rule: the convening's lock, taken before places are counted, the count of in-person
// places, and a person's place on the waitlist.
import type { Attendance, Registration } from "../../../db/schema";
import type { Executor, Trx } from "../../platform/db.server";
import { RegistrationError } from "./errors";

export type ConveningRow = {
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
export async function lockConvening(trx: Trx, conveningId: number): Promise<ConveningRow> {
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

export async function confirmedInPerson(trx: Executor, conveningId: number): Promise<number> {
  const row = await trx
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", conveningId)
    .where("status", "=", "confirmed")
    .where("attendance", "=", "in_person")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasPlace(trx: Executor, convening: Pick<ConveningRow, "id" | "capacity_in_person">, attendance: Attendance): Promise<boolean> {
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
