import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import type { ProfileInput } from "./schema";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Finds the person with this address, creating an account on first sign-in. */
export async function findOrCreatePerson(
  db: Executor,
  email: string,
  now = new Date(),
): Promise<{ id: number; created: boolean }> {
  const address = normalizeEmail(email);
  const inserted = await db
    .insertInto("people")
    .values({ email: address, created_at: now.toISOString(), updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) {
    await writeAudit(db, { actorId: inserted.id, action: "account.created", subjectType: "person", subjectId: inserted.id, now });
    return { id: inserted.id, created: true };
  }
  const existing = await db.selectFrom("people").select("id").where("email", "=", address).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findOrCreateOrganization(db: Executor, name: string, now = new Date()): Promise<number> {
  const nameKey = name.trim().replace(/\s+/g, " ").toLowerCase();
  const inserted = await db
    .insertInto("organizations")
    .values({ name: name.trim().replace(/\s+/g, " "), name_key: nameKey, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("name_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const row = await db.selectFrom("organizations").select("id").where("name_key", "=", nameKey).executeTakeFirstOrThrow();
  return row.id;
}

export async function getProfile(db: Executor, personId: number) {
  const row = await db
    .selectFrom("people")
    .leftJoin("organizations", "organizations.id", "people.organization_id")
    .select([
      "people.id",
      "people.email",
      "people.full_name",
      "people.public_name",
      "people.pronouns",
      "people.constituency",
      "people.country",
      "people.languages",
      "people.profile_completed_at",
      "organizations.name as organization",
    ])
    .where("people.id", "=", personId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...row, languages: JSON.parse(row.languages) as string[] };
}

export async function updateProfile(db: Executor, personId: number, input: ProfileInput, now = new Date()) {
  await inTransaction(db, async (trx) => {
    const organizationId = input.organization ? await findOrCreateOrganization(trx, input.organization, now) : null;
    await trx
      .updateTable("people")
      .set((eb) => ({
        public_name: input.publicName,
        full_name: input.fullName ?? null,
        pronouns: input.pronouns ?? null,
        organization_id: organizationId,
        constituency: input.constituency ?? null,
        country: input.country ?? null,
        languages: JSON.stringify(input.languages),
        updated_at: now.toISOString(),
        profile_completed_at: eb.fn.coalesce("profile_completed_at", eb.val(now.toISOString())),
      }))
      .where("id", "=", personId)
      .execute();
    await namesChanged(trx, personId);
    await writeAudit(trx, { actorId: personId, action: "profile.updated", subjectType: "person", subjectId: personId, now });
  });
}

/** Marks every convening where this person facilitates as having changed names, so cached calendars are rebuilt. */
export async function namesChanged(db: Executor, personId: number): Promise<void> {
  await db
    .updateTable("convenings")
    .set((eb) => ({ names_version: eb("names_version", "+", 1) }))
    .where((eb) =>
      eb(
        "id",
        "in",
        eb.selectFrom("facilitators").innerJoin("proposals", "proposals.id", "facilitators.proposal_id").select("proposals.convening_id").where("facilitators.person_id", "=", personId),
      ),
    )
    .execute();
}
