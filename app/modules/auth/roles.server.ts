import { inTransaction, type Executor } from "../../platform/db.server";
import { findOrCreatePerson } from "../people/people.server";
import { writeAudit } from "../../platform/audit.server";

/**
 * Makes the person with this address an organizer of every convening (creating the account if
 * needed). Site organizers are the working group's core team and read sensitive answers unless
 * added without (`readsSensitive: false`).
 */
export async function addSiteOrganizer(
  db: Executor,
  email: string,
  actorId: number | null = null,
  now = new Date(),
  options: { readsSensitive?: boolean } = {},
): Promise<{ personId: number; added: boolean }> {
  const readsSensitive = options.readsSensitive ?? true;
  return inTransaction(db, async (trx) => {
    const person = await findOrCreatePerson(trx, email, now);
    const existing = await trx
      .selectFrom("roles")
      .select("id")
      .where("person_id", "=", person.id)
      .where("role", "=", "organizer")
      .where("convening_id", "is", null)
      .executeTakeFirst();
    if (existing) return { personId: person.id, added: false };
    const { id } = await trx
      .insertInto("roles")
      .values({ person_id: person.id, convening_id: null, role: "organizer", track_id: null, reads_sensitive: readsSensitive ? 1 : 0, created_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId, action: "role.granted", subjectType: "person", subjectId: person.id, details: { role: "organizer", roleId: id, readsSensitive }, now });
    return { personId: person.id, added: true };
  });
}
