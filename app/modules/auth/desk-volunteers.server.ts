// Desk volunteers: people an organizer names to check participants in at a convening's door.
// They see the check-in desk of that convening and nothing else of /organize.
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { findOrCreatePerson } from "../people/people.server";

export interface DeskVolunteer {
  personId: number;
  email: string;
  addedAt: string;
}

/** Names the person with this address a desk volunteer of the convening, creating the account if needed. */
export async function addDeskVolunteer(
  db: Executor,
  input: { conveningId: number; email: string; actorId: number; now?: Date },
): Promise<{ personId: number; added: boolean }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const person = await findOrCreatePerson(trx, input.email, now);
    const existing = await trx.selectFrom("desk_volunteers").select("id").where("convening_id", "=", input.conveningId).where("person_id", "=", person.id).executeTakeFirst();
    if (existing) return { personId: person.id, added: false };
    await trx.insertInto("desk_volunteers").values({ convening_id: input.conveningId, person_id: person.id, added_by: input.actorId, created_at: now.toISOString() }).execute();
    await writeAudit(trx, { actorId: input.actorId, action: "desk.volunteer_added", subjectType: "person", subjectId: person.id, conveningId: input.conveningId, now });
    return { personId: person.id, added: true };
  });
}

/** Takes the desk from a volunteer of the convening; nothing happens for someone who is not one. */
export async function removeDeskVolunteer(db: Executor, input: { conveningId: number; personId: number; actorId: number; now?: Date }): Promise<{ removed: boolean }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const result = await trx.deleteFrom("desk_volunteers").where("convening_id", "=", input.conveningId).where("person_id", "=", input.personId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return { removed: false };
    await writeAudit(trx, { actorId: input.actorId, action: "desk.volunteer_removed", subjectType: "person", subjectId: input.personId, conveningId: input.conveningId, now });
    return { removed: true };
  });
}

export async function isDeskVolunteer(db: Executor, conveningId: number, personId: number): Promise<boolean> {
  const row = await db.selectFrom("desk_volunteers").select("id").where("convening_id", "=", conveningId).where("person_id", "=", personId).executeTakeFirst();
  return row !== undefined;
}

/** The convening's desk volunteers, for its organizers, in the order they were named. */
export async function listDeskVolunteers(db: Executor, conveningId: number): Promise<DeskVolunteer[]> {
  const rows = await db
    .selectFrom("desk_volunteers")
    .innerJoin("people", "people.id", "desk_volunteers.person_id")
    .select(["people.id as personId", "people.email", "desk_volunteers.created_at as addedAt"])
    .where("desk_volunteers.convening_id", "=", conveningId)
    .orderBy("desk_volunteers.id")
    .execute();
  return rows;
}
