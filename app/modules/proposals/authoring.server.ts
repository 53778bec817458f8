// The call for proposals from the proposer's side: writing a proposal (a draft or submitted at
// once), editing it until the deadline, withdrawing it; and the formats and lengths on offer.
import type { Proposal, SessionFormat } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import type { DraftInput, ProposalInput } from "./schema";
import { ProposalError } from "./errors";
import { syncInvitations } from "./invitations.server";
import { setProposalState } from "./state.server";
import { EDITABLE_STATUSES, isCfpOpen, WITHDRAWABLE_STATUSES } from "./states";

interface CfpConvening {
  id: number;
  slug: string;
  title: string;
  status: string;
  cfp_opens_at: string | null;
  cfp_closes_at: string | null;
  cfp_formats: string;
  cfp_lengths: string;
  ends_on: string;
  time_zone: string;
}

async function cfpConvening(db: Executor, conveningId: number): Promise<CfpConvening> {
  const row = await db
    .selectFrom("convenings")
    .select(["id", "slug", "title", "status", "cfp_opens_at", "cfp_closes_at", "cfp_formats", "cfp_lengths", "ends_on", "time_zone"])
    .where("id", "=", conveningId)
    .executeTakeFirst();
  if (!row) throw new ProposalError("not_found", 404);
  return row;
}

export function offeredFormats(convening: { cfp_formats: string }): SessionFormat[] {
  return JSON.parse(convening.cfp_formats) as SessionFormat[];
}

export function offeredLengths(convening: { cfp_lengths: string }): number[] {
  return JSON.parse(convening.cfp_lengths) as number[];
}

async function checkOffer(trx: Executor, convening: CfpConvening, input: DraftInput): Promise<void> {
  if (input.format !== undefined && !offeredFormats(convening).includes(input.format)) throw new ProposalError("unknown_format", 400);
  if (input.length !== undefined && !offeredLengths(convening).includes(input.length)) throw new ProposalError("unknown_length", 400);
  const trackIds = [...new Set([...(input.primaryTrack ? [input.primaryTrack] : []), ...(input.linkedTracks ?? [])])];
  if (trackIds.length > 0) {
    const found = await trx.selectFrom("tracks").select("id").where("convening_id", "=", convening.id).where("id", "in", trackIds).execute();
    if (found.length !== trackIds.length) throw new ProposalError("unknown_track", 400);
  }
}

/** A proposal's tracks: its primary one (a draft may not have chosen it yet) and the others it links to. */
async function setTracks(trx: Trx, proposalId: number, primary: number | null, linked: number[]): Promise<void> {
  await trx.deleteFrom("proposal_tracks").where("proposal_id", "=", proposalId).execute();
  const others = [...new Set(linked)].filter((id) => id !== primary);
  const rows = [...(primary !== null ? [{ proposal_id: proposalId, track_id: primary, is_primary: 1 }] : []), ...others.map((track_id) => ({ proposal_id: proposalId, track_id, is_primary: 0 }))];
  if (rows.length > 0) await trx.insertInto("proposal_tracks").values(rows).execute();
}

function isComplete(input: DraftInput): input is ProposalInput {
  return (
    input.abstract !== undefined &&
    input.format !== undefined &&
    input.length !== undefined &&
    input.primaryTrack !== undefined &&
    input.linkedTracks !== undefined &&
    input.languages !== undefined &&
    input.needs !== undefined &&
    input.coFacilitators !== undefined
  );
}

/** The answers as columns: what a draft has not chosen (format, length, primary track) stays empty, never a default. */
function fieldValues(input: DraftInput) {
  return {
    title: input.title,
    format: input.format ?? null,
    length_minutes: input.length ?? null,
    primary_track_id: input.primaryTrack ?? null,
    abstract: input.abstract ?? "",
    description: input.description ?? "",
    languages: JSON.stringify(input.languages ?? []),
    audience_size: input.audienceSize ?? null,
    needs: JSON.stringify(input.needs ?? []),
  };
}

/**
 * Creates a proposal as a draft, or submits it at once. A draft needs only a title; a
 * submission needs every required field (checked by the schema before this is called).
 */
export async function createProposal(
  db: Executor,
  input: { conveningId: number; proposerId: number; answers: DraftInput; submit: boolean; now?: Date },
): Promise<Proposal> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await cfpConvening(trx, input.conveningId);
    if (!isCfpOpen(convening, now)) throw new ProposalError("closed", 409);
    await checkOffer(trx, convening, input.answers);
    if (input.submit && !isComplete(input.answers)) throw new ProposalError("incomplete", 400);
    const proposal = await trx
      .insertInto("proposals")
      .values({
        ...fieldValues(input.answers),
        convening_id: convening.id,
        proposer_id: input.proposerId,
        status: "draft",
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setTracks(trx, proposal.id, proposal.primary_track_id, input.answers.linkedTracks ?? []);
    await trx
      .insertInto("facilitators")
      .values({ proposal_id: proposal.id, person_id: input.proposerId, email: null, role: "proposer", status: "accepted", created_at: now.toISOString(), responded_at: now.toISOString() })
      .execute();
    await writeAudit(trx, { actorId: input.proposerId, action: "proposal.created", subjectType: "proposal", subjectId: proposal.id, conveningId: convening.id, now });
    await syncInvitations(trx, proposal, input.answers.coFacilitators ?? [], input.proposerId, now);
    return input.submit ? setProposalState(trx, proposal, "submitted", { actorId: input.proposerId, now }) : proposal;
  });
}

/** The proposer edits a draft or a submitted proposal until the deadline, and may submit a draft. */
export async function updateProposal(
  db: Executor,
  input: { conveningId: number; proposalId: number; personId: number; answers: DraftInput; submit: boolean; now?: Date },
): Promise<Proposal> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const convening = await cfpConvening(trx, input.conveningId);
    const proposal = await trx
      .selectFrom("proposals")
      .selectAll()
      .where("id", "=", input.proposalId)
      .where("convening_id", "=", convening.id)
      .where("proposer_id", "=", input.personId)
      .executeTakeFirst();
    if (!proposal) throw new ProposalError("not_found", 404);
    if (!isCfpOpen(convening, now)) throw new ProposalError("closed", 409);
    if (!EDITABLE_STATUSES.includes(proposal.status)) throw new ProposalError("not_editable", 409);
    const complete = isComplete(input.answers);
    if ((input.submit || proposal.status !== "draft") && !complete) throw new ProposalError("incomplete", 400);
    await checkOffer(trx, convening, input.answers);
    const updated = await trx
      .updateTable("proposals")
      .set({
        ...fieldValues(input.answers),
        updated_at: now.toISOString(),
      })
      .where("id", "=", proposal.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await setTracks(trx, proposal.id, updated.primary_track_id, input.answers.linkedTracks ?? []);
    await syncInvitations(trx, updated, input.answers.coFacilitators ?? [], input.personId, now);
    await writeAudit(trx, { actorId: input.personId, action: "proposal.edited", subjectType: "proposal", subjectId: proposal.id, conveningId: convening.id, now });
    return input.submit && updated.status === "draft" ? setProposalState(trx, updated, "submitted", { actorId: input.personId, now }) : updated;
  });
}

export async function withdrawProposal(db: Executor, input: { conveningId: number; proposalId: number; personId: number; now?: Date }): Promise<Proposal> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const proposal = await trx
      .selectFrom("proposals")
      .selectAll()
      .where("id", "=", input.proposalId)
      .where("convening_id", "=", input.conveningId)
      .where("proposer_id", "=", input.personId)
      .executeTakeFirst();
    if (!proposal) throw new ProposalError("not_found", 404);
    if (!WITHDRAWABLE_STATUSES.includes(proposal.status)) throw new ProposalError("invalid_transition", 409);
    return setProposalState(trx, proposal, "withdrawn", { actorId: input.personId, now });
  });
}
