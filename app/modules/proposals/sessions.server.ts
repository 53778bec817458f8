// Sessions as participants see them: accepted proposals (and, when organizers open interest
// early, submitted ones), their facilitators by the name they chose, and interest marks.
import type { Chosen } from "./states";
import type { ProposalStatus } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { ACTIVE_STATUSES } from "../registration/states";
import { ACCEPTED_STATUSES, HELD_STATUSES, participantPhase, statusForFacilitators } from "./states";
import { facilitatorNames } from "../names/names.server";
import { ProposalError } from "./errors";
import { canSeeEarlySessions } from "./policy";

/** Proposals participants may see and mark: accepted ones, and submitted ones too when interest opens early. */
export function markableStatuses(interestOpen: boolean): ProposalStatus[] {
  return interestOpen
    ? [...ACCEPTED_STATUSES, "submitted", ...HELD_STATUSES, "waitlisted"]
    : [...ACCEPTED_STATUSES];
}

export async function listSessions(db: Executor, conveningId: number, interestOpen: boolean, viewerId: number | null) {
  const rows = await db
    .selectFrom("proposals")
    .select(["id", "title", "abstract", "format", "length_minutes", "primary_track_id", "status"]).$narrowType<Chosen>()
    .where("convening_id", "=", conveningId)
    .where("status", "in", markableStatuses(interestOpen))
    .orderBy("title")
    .execute();
  const ids = rows.map((r) => r.id);
  const [tracks, names, marks] = await Promise.all([
    ids.length ? db.selectFrom("proposal_tracks").select(["proposal_id", "track_id"]).where("proposal_id", "in", ids).execute() : [],
    facilitatorNames(db, ids),
    viewerId && ids.length ? db.selectFrom("interests").select("proposal_id").where("person_id", "=", viewerId).where("proposal_id", "in", ids).execute() : [],
  ]);
  const marked = new Set(marks.map((m) => m.proposal_id));
  // A view model: the status itself stays on the server, so a held decision reaches no participant.
  return rows.map(({ status, ...r }) => ({
    ...r,
    phase: participantPhase(status),
    trackIds: tracks.filter((t) => t.proposal_id === r.id).map((t) => t.track_id),
    facilitators: names.get(r.id) ?? [],
    marked: marked.has(r.id),
  }));
}

export async function getSession(db: Executor, conveningId: number, proposalId: number, interestOpen: boolean) {
  const row = await db
    .selectFrom("proposals")
    .select(["id", "title", "abstract", "description", "format", "length_minutes", "primary_track_id", "languages", "status"]).$narrowType<Chosen>()
    .where("convening_id", "=", conveningId)
    .where("id", "=", proposalId)
    .where("status", "in", markableStatuses(interestOpen))
    .executeTakeFirst();
  if (!row) return undefined;
  const [tracks, names] = await Promise.all([
    db.selectFrom("proposal_tracks").select(["track_id", "is_primary"]).where("proposal_id", "=", row.id).orderBy("is_primary", "desc").execute(),
    facilitatorNames(db, [row.id]),
  ]);
  const { status, ...shown } = row;
  return { ...shown, phase: participantPhase(status), languages: JSON.parse(row.languages) as string[], trackIds: tracks.map((t) => t.track_id), facilitators: names.get(row.id) ?? [] };
}

/** A registered participant marks (or unmarks) a session they want to attend. */
export async function setInterest(
  db: Executor,
  input: { conveningId: number; personId: number; proposalId: number; interested: boolean; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    const convening = await trx.selectFrom("convenings").select("interest_open").where("id", "=", input.conveningId).executeTakeFirst();
    if (!convening) throw new ProposalError("not_found", 404);
    const registered = await trx
      .selectFrom("registrations")
      .select("status")
      .where("convening_id", "=", input.conveningId)
      .where("person_id", "=", input.personId)
      .where("status", "in", [...ACTIVE_STATUSES])
      .executeTakeFirst();
    // Sessions opened early are for confirmed participants only (canSeeEarlySessions): nobody marks what they may not see.
    const early = convening.interest_open === 1 && registered !== undefined && canSeeEarlySessions({ organizer: false, registration: registered.status }, { interestOpen: true });
    const proposal = await trx
      .selectFrom("proposals")
      .select("id")
      .where("id", "=", input.proposalId)
      .where("convening_id", "=", input.conveningId)
      .where("status", "in", markableStatuses(early))
      .executeTakeFirst();
    if (!proposal) throw new ProposalError("not_found", 404);
    if (!registered) throw new ProposalError("not_registered", 403);
    if (input.interested) {
      await trx
        .insertInto("interests")
        .values({ person_id: input.personId, proposal_id: proposal.id, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(["person_id", "proposal_id"]).doNothing())
        .execute();
    } else {
      await trx.deleteFrom("interests").where("person_id", "=", input.personId).where("proposal_id", "=", proposal.id).execute();
    }
  });
}

/** The proposer's own proposals. */
export async function ownProposals(db: Executor, conveningId: number, personId: number) {
  const rows = await db
    .selectFrom("proposals")
    .select(["id", "title", "status", "format", "length_minutes"])
    .where("convening_id", "=", conveningId)
    .where((eb) =>
      eb.or([
        eb("proposer_id", "=", personId),
        eb.exists(eb.selectFrom("facilitators").select("facilitators.id").whereRef("facilitators.proposal_id", "=", "proposals.id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted")),
      ]),
    )
    .orderBy("id", "desc")
    .execute();
  // A held decision shows as the status before it until organizers release it.
  return rows.map((r) => ({ ...r, status: statusForFacilitators(r.status) }));
}

/** One proposal for its proposer (drafts included) or an accepted co-facilitator, with co-facilitator invitations. */
export async function proposalForFacilitator(db: Executor, conveningId: number, proposalId: number, personId: number) {
  const proposal = await db
    .selectFrom("proposals")
    .selectAll()
    .where("convening_id", "=", conveningId)
    .where("id", "=", proposalId)
    .where((eb) =>
      eb.or([
        eb("proposer_id", "=", personId),
        eb.and([
          eb("status", "!=", "draft"),
          eb.exists(eb.selectFrom("facilitators").select("facilitators.id").whereRef("facilitators.proposal_id", "=", "proposals.id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted")),
        ]),
      ]),
    )
    .executeTakeFirst();
  if (!proposal) return undefined;
  const [tracks, facilitators] = await Promise.all([
    db.selectFrom("proposal_tracks").select(["track_id", "is_primary"]).where("proposal_id", "=", proposal.id).execute(),
    db
      .selectFrom("facilitators")
      .leftJoin("people", "people.id", "facilitators.person_id")
      .select(["facilitators.id", "facilitators.role", "facilitators.status", "facilitators.email", "facilitators.person_id", "facilitators.anonymous_label", "people.public_name", "people.email as personEmail"])
      .where("facilitators.proposal_id", "=", proposal.id)
      .orderBy("facilitators.id")
      .execute(),
  ]);
  return {
    ...proposal,
    languages: JSON.parse(proposal.languages) as string[],
    needs: JSON.parse(proposal.needs) as string[],
    linkedTrackIds: tracks.filter((t) => !t.is_primary).map((t) => t.track_id),
    facilitators,
  };
}
