// The organizers' side of the call: its window and offer, review criteria, reviewers per track.
import type { SessionFormat } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { findOrCreatePerson } from "../people/people.server";
import { writeAudit } from "../../platform/audit.server";
import { ProposalError } from "./errors";

export async function updateCfpSettings(
  db: Executor,
  input: {
    conveningId: number;
    organizerId: number;
    opensAt: string | null;
    closesAt: string | null;
    formats: SessionFormat[];
    lengths: number[];
    reviewAnonymous: boolean;
    interestOpen: boolean;
    now?: Date;
  },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("convenings")
      .set({
        cfp_opens_at: input.opensAt,
        cfp_closes_at: input.closesAt,
        cfp_formats: JSON.stringify([...new Set(input.formats)]),
        cfp_lengths: JSON.stringify([...new Set(input.lengths)].sort((a, b) => a - b)),
        review_anonymous: input.reviewAnonymous ? 1 : 0,
        interest_open: input.interestOpen ? 1 : 0,
      })
      .where("id", "=", input.conveningId)
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "convening.cfp_settings", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, now: input.now });
  });
}

export async function addCriterion(
  db: Executor,
  input: { conveningId: number; organizerId: number; name: string; description: string | null; weight: number },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const last = await trx
      .selectFrom("review_criteria")
      .select((eb) => eb.fn.max<number>("position").as("p"))
      .where("convening_id", "=", input.conveningId)
      .executeTakeFirst();
    const { id } = await trx
      .insertInto("review_criteria")
      .values({ convening_id: input.conveningId, name: input.name, description: input.description ?? "", weight: input.weight, position: Number(last?.p ?? -1) + 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: input.organizerId, action: "criterion.added", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { criterionId: id } });
    return id;
  });
}

export async function removeCriterion(db: Executor, input: { conveningId: number; organizerId: number; criterionId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const result = await trx.deleteFrom("review_criteria").where("id", "=", input.criterionId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw new ProposalError("not_found", 404);
    await writeAudit(trx, { actorId: input.organizerId, action: "criterion.removed", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { criterionId: input.criterionId } });
  });
}

/** Makes the person with this address a reviewer of one track (creating the account if needed). */
export async function assignReviewer(
  db: Executor,
  input: { conveningId: number; organizerId: number; email: string; trackId: number; now?: Date },
): Promise<{ personId: number; added: boolean }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const track = await trx.selectFrom("tracks").select("id").where("id", "=", input.trackId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!track) throw new ProposalError("unknown_track", 400);
    const person = await findOrCreatePerson(trx, input.email, now);
    const existing = await trx
      .selectFrom("roles")
      .select("id")
      .where("person_id", "=", person.id)
      .where("convening_id", "=", input.conveningId)
      .where("role", "=", "reviewer")
      .where("track_id", "=", input.trackId)
      .executeTakeFirst();
    if (existing) return { personId: person.id, added: false };
    await trx
      .insertInto("roles")
      .values({ person_id: person.id, convening_id: input.conveningId, role: "reviewer", track_id: input.trackId, created_at: now.toISOString() })
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "role.granted", subjectType: "person", subjectId: person.id, conveningId: input.conveningId, details: { role: "reviewer", trackId: input.trackId }, now });
    return { personId: person.id, added: true };
  });
}

export async function removeReviewer(db: Executor, input: { conveningId: number; organizerId: number; roleId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const role = await trx.selectFrom("roles").select(["id", "person_id"]).where("id", "=", input.roleId).where("convening_id", "=", input.conveningId).where("role", "=", "reviewer").executeTakeFirst();
    if (!role) throw new ProposalError("not_found", 404);
    await trx.deleteFrom("roles").where("id", "=", role.id).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "role.revoked", subjectType: "person", subjectId: role.person_id, conveningId: input.conveningId, details: { role: "reviewer" } });
  });
}

/** Reviewers of a convening, for organizers: their account email is shown so the right person is assigned. */
export async function listReviewers(db: Executor, conveningId: number) {
  return db
    .selectFrom("roles")
    .innerJoin("people", "people.id", "roles.person_id")
    .select(["roles.id", "roles.track_id", "people.email", "people.public_name"])
    .where("roles.convening_id", "=", conveningId)
    .where("roles.role", "=", "reviewer")
    .orderBy("roles.track_id")
    .orderBy("people.email")
    .execute();
}
