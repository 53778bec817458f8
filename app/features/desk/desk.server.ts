// The check-in desk's view model: who may use it, the entries it finds and its counts. Entries
// carry only what the door needs (chosen name, pronouns, status, attendance, arrival, the needs
// the desk acts on), never full names, addresses, free-text needs, dietary or support answers:
// volunteers and organizers see the same entry, so nothing here is a sensitive read.
import { sql } from "kysely";
import type { Attendance, RegistrationStatus } from "../../../db/schema";
import type { Executor } from "../../platform/db.server";
import { isOrganizerOf, type RoleGrant } from "../../modules/auth/permissions";
import { isDeskVolunteer } from "../../modules/auth/desk-volunteers.server";
import { normalizeCheckInCode } from "../../modules/registration/check-in-code";
import { deskName } from "../../modules/names/names.server";
import { DESK_FLAGS, type DeskFlag } from "./schema";

export const DESK_RESULTS = 25;

export interface DeskEntry {
  registrationId: number;
  /** null: a deleted account ("a participant") */
  name: string | null;
  pronouns: string | null;
  status: RegistrationStatus;
  attendance: Attendance;
  arrivedAt: string | null;
  code: string;
  flags: DeskFlag[];
  interpretation: string[];
}

/** Who is at the desk: an organizer of the convening, one of its desk volunteers, or nobody allowed. */
export async function deskRole(db: Executor, conveningId: number, user: { id: number; roles: readonly RoleGrant[] }): Promise<"organizer" | "volunteer" | null> {
  if (isOrganizerOf(user.roles, conveningId)) return "organizer";
  return (await isDeskVolunteer(db, conveningId, user.id)) ? "volunteer" : null;
}

function entryQuery(db: Executor, conveningId: number) {
  return db
    .selectFrom("registrations")
    .innerJoin("people", "people.id", "registrations.person_id")
    .select([
      "registrations.id",
      "registrations.display_name",
      "registrations.pronouns",
      "registrations.status",
      "registrations.attendance",
      "registrations.attended_at",
      "registrations.check_in_code",
      "registrations.interpretation",
      "registrations.access_needs",
      "people.deleted_at",
    ])
    .where("registrations.convening_id", "=", conveningId);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entryQuery>["execute"]>>[number];

function toEntry(row: EntryRow): DeskEntry {
  // The access needs are read only to pick the desk's flags; the list itself never leaves here.
  const needs = JSON.parse(row.access_needs) as string[];
  return {
    registrationId: row.id,
    name: deskName({ registeredName: row.display_name, deleted: row.deleted_at !== null }),
    pronouns: row.deleted_at ? null : row.pronouns,
    status: row.status,
    attendance: row.attendance,
    arrivedAt: row.attended_at,
    code: row.check_in_code,
    flags: DESK_FLAGS.filter((f) => needs.includes(f)),
    interpretation: JSON.parse(row.interpretation) as string[],
  };
}

/**
 * The entries whose chosen name contains the words typed (in any case), or whose check-in code is
 * what was typed; confirmed first, then by name. Nothing is searched for fewer than two characters.
 */
export async function searchDesk(db: Executor, conveningId: number, typed: string): Promise<DeskEntry[]> {
  const words = typed.trim().replace(/\s+/g, " ");
  if (words.length < 2) return [];
  const code = normalizeCheckInCode(words);
  const pattern = `%${words.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await entryQuery(db, conveningId)
    .where("people.deleted_at", "is", null)
    .where((eb) => {
      const byName = sql<boolean>`lower(registrations.display_name) like ${pattern} escape '\\'`;
      return code ? eb.or([byName, eb("registrations.check_in_code", "=", code)]) : byName;
    })
    .orderBy((eb) => eb.case().when("registrations.status", "=", "confirmed").then(0).else(1).end())
    .orderBy("registrations.display_name")
    .orderBy("registrations.id")
    .limit(DESK_RESULTS)
    .execute();
  return rows.map(toEntry);
}

/** The entry with this check-in code (as typed or read from a QR code), or null. */
export async function deskEntryByCode(db: Executor, conveningId: number, typed: string): Promise<DeskEntry | null> {
  const code = normalizeCheckInCode(typed);
  if (!code) return null;
  const row = await entryQuery(db, conveningId).where("registrations.check_in_code", "=", code).executeTakeFirst();
  return row ? toEntry(row) : null;
}

export async function deskEntry(db: Executor, conveningId: number, registrationId: number): Promise<DeskEntry | null> {
  const row = await entryQuery(db, conveningId).where("registrations.id", "=", registrationId).executeTakeFirst();
  return row ? toEntry(row) : null;
}

/** Arrived and expected at the door: confirmed registrations coming in person. */
export async function deskCounts(db: Executor, conveningId: number): Promise<{ arrived: number; expected: number }> {
  const row = await db
    .selectFrom("registrations")
    .select((eb) => [eb.fn.countAll<number>().as("expected"), eb.fn.count<number>("registrations.attended_at").as("arrived")])
    .where("convening_id", "=", conveningId)
    .where("status", "=", "confirmed")
    .where("attendance", "=", "in_person")
    .executeTakeFirstOrThrow();
  return { arrived: Number(row.arrived), expected: Number(row.expected) };
}
