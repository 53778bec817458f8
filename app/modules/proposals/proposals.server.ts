// The call for proposals from the proposer's side, and every change of a proposal's state:
// one function (setProposalState) checks the transition and writes the row, the audit entry and
// the mail in the caller's transaction.
import type { TemplateName } from "../../../emails/index";
import type { Proposal, ProposalStatus, SessionFormat } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { randomToken, sha256 } from "../../platform/crypto.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { normalizeEmail } from "../people/people.server";
import { writeAudit } from "../../platform/audit.server";
import { facilitatorNameOf } from "../names/names.server";
import { namesChanged } from "../people/people.server";
import type { DraftInput, ProposalInput } from "./schema";
import { ProposalError } from "./errors";
import { canTransition, EDITABLE_STATUSES, isCfpOpen, isHeld, PENDING_OF, RELEASED_OF, WITHDRAWABLE_STATUSES, type Decision } from "./states";

interface CfpConvening {
  id: number;
  slug: string;
  title: string;
  status: string;
  cfp_opens_at: string | null;
  cfp_closes_at: string | null;
  cfp_formats: string;
  cfp_lengths: string;
}

async function cfpConvening(db: Executor, conveningId: number): Promise<CfpConvening> {
  const row = await db
    .selectFrom("convenings")
    .select(["id", "slug", "title", "status", "cfp_opens_at", "cfp_closes_at", "cfp_formats", "cfp_lengths"])
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

const DECISION_MAIL: Record<Decision, TemplateName> = {
  accepted: "proposal-accepted",
  declined: "proposal-declined",
  waitlisted: "proposal-waitlisted",
};

/** The people who facilitate a proposal and have said yes: the proposer and accepted co-facilitators. */
async function activeFacilitators(trx: Executor, proposalId: number) {
  return trx
    .selectFrom("facilitators")
    .innerJoin("people", "people.id", "facilitators.person_id")
    .select(["people.id", "people.email", "people.public_name"])
    .where("facilitators.proposal_id", "=", proposalId)
    .where("facilitators.status", "=", "accepted")
    .execute();
}

/**
 * The one function that changes a proposal's state. Mail goes out on submission (to the proposer)
 * and when a decision is released (to every facilitator); pending decisions mail nobody.
 */
export async function setProposalState(
  trx: Trx,
  proposal: Proposal,
  to: ProposalStatus,
  options: { actorId: number | null; now: Date; message?: string | null },
): Promise<Proposal> {
  if (!canTransition(proposal.status, to)) throw new ProposalError("invalid_transition", 409);
  const released = RELEASED_OF[proposal.status] === to ? (to as Decision) : null;
  // Holding a decision (or taking a held one back) leaves the proposal's last change where it was:
  // its facilitators see updated_at, and it must not tell them a decision was taken.
  const held = isHeld(to) || (isHeld(proposal.status) && !released);
  const updated = await trx
    .updateTable("proposals")
    .set({
      status: to,
      ...(held ? {} : { updated_at: options.now.toISOString() }),
      ...(to === "submitted" && proposal.status === "draft" ? { submitted_at: options.now.toISOString() } : {}),
      ...(options.message !== undefined ? { decision_message: options.message } : {}),
    })
    .where("id", "=", proposal.id)
    // Guard against a concurrent change: the row must still be in the state we checked.
    .where("status", "=", proposal.status)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new ProposalError("invalid_transition", 409);
  await writeAudit(trx, {
    actorId: options.actorId,
    action: released ? "proposal.released" : "proposal.state_changed",
    subjectType: "proposal",
    subjectId: proposal.id,
    conveningId: proposal.convening_id,
    details: { from: proposal.status, to },
    now: options.now,
  });

  if (to === "submitted" && proposal.status === "draft" && proposal.proposer_id !== null) {
    await sendInvitations(trx, updated, proposal.proposer_id, options.now);
  }
  const template = to === "submitted" && proposal.status === "draft" ? "proposal-submitted" : released ? DECISION_MAIL[released] : null;
  if (template) {
    const convening = await trx.selectFrom("convenings").select(["title", "slug"]).where("id", "=", proposal.convening_id).executeTakeFirstOrThrow();
    const recipients = template === "proposal-submitted" ? (await activeFacilitators(trx, proposal.id)).filter((f) => f.id === proposal.proposer_id) : await activeFacilitators(trx, proposal.id);
    for (const person of recipients) {
      await queueMail(trx, {
        to: person.email,
        personId: person.id,
        conveningId: proposal.convening_id,
        template,
        data: {
          name: person.public_name ?? "",
          title: updated.title,
          convening: convening.title,
          link: appLink(`/convenings/${convening.slug}/proposals/${proposal.id}`),
          message: released ? updated.decision_message : undefined,
        },
        // A decision is released once: a second run of the same release cannot mail twice.
        dedupeKey: released ? `proposal:${proposal.id}:${released}:${person.id}` : undefined,
        now: options.now,
      });
    }
  }
  return updated;
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

async function setTracks(trx: Trx, proposalId: number, primary: number, linked: number[]): Promise<void> {
  await trx.deleteFrom("proposal_tracks").where("proposal_id", "=", proposalId).execute();
  const others = [...new Set(linked)].filter((id) => id !== primary);
  await trx
    .insertInto("proposal_tracks")
    .values([{ proposal_id: proposalId, track_id: primary, is_primary: 1 }, ...others.map((track_id) => ({ proposal_id: proposalId, track_id, is_primary: 0 }))])
    .execute();
}

/**
 * Keeps the co-facilitator invitations in line with the addresses on the form: dropped ones are
 * withdrawn, new ones recorded. Invitations are mailed only once the proposal is submitted: a
 * draft is the proposer's alone.
 */
async function syncInvitations(trx: Trx, proposal: Proposal, emails: string[], proposerId: number, now: Date): Promise<void> {
  const proposer = await trx.selectFrom("people").select("email").where("id", "=", proposerId).executeTakeFirstOrThrow();
  const wanted = [...new Set(emails.map(normalizeEmail))].filter((e) => e !== proposer.email);
  const existing = await trx
    .selectFrom("facilitators")
    .leftJoin("people", "people.id", "facilitators.person_id")
    .select(["facilitators.id", "facilitators.email", "facilitators.status", "people.email as personEmail"])
    .where("facilitators.proposal_id", "=", proposal.id)
    .where("facilitators.role", "=", "co")
    .execute();
  const known = new Set(existing.map((f) => f.email ?? f.personEmail));
  const dropped = existing.filter((f) => f.status === "invited" && f.email !== null && !wanted.includes(f.email));
  if (dropped.length) await trx.deleteFrom("facilitators").where("id", "in", dropped.map((f) => f.id)).execute();

  for (const email of wanted.filter((e) => !known.has(e))) {
    await trx
      .insertInto("facilitators")
      .values({ proposal_id: proposal.id, person_id: null, email, role: "co", status: "invited", invite_token_hash: null, created_at: now.toISOString() })
      .execute();
  }
  if (proposal.status !== "draft") await sendInvitations(trx, proposal, proposerId, now);
}

/** Mails every recorded invitation of a submitted proposal that has not been sent yet. */
async function sendInvitations(trx: Trx, proposal: Proposal, proposerId: number, now: Date): Promise<void> {
  const unsent = await trx
    .selectFrom("facilitators")
    .select(["id", "email"])
    .where("proposal_id", "=", proposal.id)
    .where("status", "=", "invited")
    .where("invite_token_hash", "is", null)
    .execute();
  if (unsent.length === 0) return;
  const inviter = await facilitatorNameOf(trx, proposal.id, proposerId);
  const convening = await trx.selectFrom("convenings").select(["title", "slug"]).where("id", "=", proposal.convening_id).executeTakeFirstOrThrow();
  for (const { id, email } of unsent) {
    if (!email) continue;
    const token = randomToken(32);
    await trx.updateTable("facilitators").set({ invite_token_hash: sha256(token) }).where("id", "=", id).execute();
    await queueMail(trx, {
      to: email,
      conveningId: proposal.convening_id,
      template: "facilitator-invitation",
      data: {
        inviter,
        title: proposal.title,
        abstract: proposal.abstract,
        convening: convening.title,
        link: appLink(`/convenings/${convening.slug}/invitations/${token}`),
      },
      dedupeKey: `facilitator:${id}:invitation`,
      now,
    });
    await writeAudit(trx, { actorId: proposerId, action: "facilitator.invited", subjectType: "proposal", subjectId: proposal.id, conveningId: proposal.convening_id, now });
  }
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

function fieldValues(input: DraftInput) {
  return {
    title: input.title,
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
    const formats = offeredFormats(convening);
    const lengths = offeredLengths(convening);
    const primary = input.answers.primaryTrack ?? (await trx.selectFrom("tracks").select("id").where("convening_id", "=", convening.id).orderBy("position").executeTakeFirstOrThrow()).id;
    const proposal = await trx
      .insertInto("proposals")
      .values({
        ...fieldValues(input.answers),
        convening_id: convening.id,
        proposer_id: input.proposerId,
        status: "draft",
        format: input.answers.format ?? formats[0]!,
        length_minutes: input.answers.length ?? lengths[0]!,
        primary_track_id: primary,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setTracks(trx, proposal.id, primary, input.answers.linkedTracks ?? []);
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
        ...(input.answers.format ? { format: input.answers.format } : {}),
        ...(input.answers.length ? { length_minutes: input.answers.length } : {}),
        ...(input.answers.primaryTrack ? { primary_track_id: input.answers.primaryTrack } : {}),
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

/** Organizers decide in batch; decisions stay pending (and unmailed) until released. */
export async function decideProposals(
  db: Executor,
  input: { conveningId: number; organizerId: number; ids: number[]; decision: Decision | "undecided"; message?: string | null; now?: Date },
): Promise<{ changed: number; skipped: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const proposals = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", input.conveningId).where("id", "in", input.ids).execute();
    if (proposals.length !== new Set(input.ids).size) throw new ProposalError("not_found", 404);
    const to: ProposalStatus = input.decision === "undecided" ? "submitted" : PENDING_OF[input.decision];
    let changed = 0;
    for (const proposal of proposals) {
      if (proposal.status === to) continue;
      if (!canTransition(proposal.status, to)) throw new ProposalError("invalid_transition", 409);
      await setProposalState(trx, proposal, to, { actorId: input.organizerId, now, message: input.decision === "undecided" ? null : (input.message ?? null) });
      changed += 1;
    }
    return { changed, skipped: proposals.length - changed };
  });
}

/** Releases every pending decision of the convening: states become final and the mails are queued. */
export async function countPendingDecisions(db: Executor, conveningId: number): Promise<number> {
  const row = await db
    .selectFrom("proposals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", conveningId)
    .where("status", "in", ["pending_accepted", "pending_declined", "pending_waitlisted"])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function releaseDecisions(db: Executor, input: { conveningId: number; organizerId: number; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const pending = await trx
      .selectFrom("proposals")
      .selectAll()
      .where("convening_id", "=", input.conveningId)
      .where("status", "in", ["pending_accepted", "pending_declined", "pending_waitlisted"])
      .orderBy("id")
      .execute();
    for (const proposal of pending) {
      await setProposalState(trx, proposal, RELEASED_OF[proposal.status]!, { actorId: input.organizerId, now });
    }
    await confirmReadyProposals(trx, input.conveningId, now);
    return pending.length;
  });
}

/**
 * An accepted session is confirmed once every facilitator who said yes holds a confirmed
 * registration; it falls back to accepted if one of them stops being registered.
 */
export async function confirmReadyProposals(db: Executor, conveningId: number, now: Date): Promise<number> {
  return inTransaction(db, async (trx) => {
    const sessions = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", conveningId).where("status", "in", ["accepted", "confirmed"]).execute();
    if (sessions.length === 0) return 0;
    const unregistered = await trx
      .selectFrom("facilitators")
      .select("facilitators.proposal_id")
      .where("facilitators.proposal_id", "in", sessions.map((s) => s.id))
      .where("facilitators.status", "=", "accepted")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("registrations")
              .select("registrations.id")
              .whereRef("registrations.person_id", "=", "facilitators.person_id")
              .where("registrations.convening_id", "=", conveningId)
              .where("registrations.status", "=", "confirmed"),
          ),
        ),
      )
      .execute();
    const missing = new Set(unregistered.map((r) => r.proposal_id));
    let changed = 0;
    for (const session of sessions) {
      const ready = !missing.has(session.id);
      if (ready && session.status === "accepted") {
        await setProposalState(trx, session, "confirmed", { actorId: null, now });
        changed += 1;
      } else if (!ready && session.status === "confirmed") {
        await setProposalState(trx, session, "accepted", { actorId: null, now });
        changed += 1;
      }
    }
    return changed;
  });
}

/** A co-facilitator answers the invitation from the mail; accepting links it to their account. */
export async function respondToInvitation(
  db: Executor,
  input: { token: string; personId: number; accept: boolean; now?: Date },
): Promise<{ proposalId: number; conveningId: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const invitation = await trx
      .selectFrom("facilitators")
      .innerJoin("proposals", "proposals.id", "facilitators.proposal_id")
      .select(["facilitators.id", "facilitators.status", "facilitators.proposal_id", "proposals.convening_id", "proposals.status as proposalStatus"])
      .where("facilitators.invite_token_hash", "=", sha256(input.token))
      .executeTakeFirst();
    if (!invitation) throw new ProposalError("not_found", 404);
    if (invitation.status !== "invited" || invitation.proposalStatus === "withdrawn") throw new ProposalError("invitation_used", 409);
    const already = await trx
      .selectFrom("facilitators")
      .select("id")
      .where("proposal_id", "=", invitation.proposal_id)
      .where("person_id", "=", input.personId)
      .executeTakeFirst();
    if (already && input.accept) throw new ProposalError("invitation_used", 409);
    await trx
      .updateTable("facilitators")
      .set({
        status: input.accept ? "accepted" : "declined",
        person_id: input.accept ? input.personId : null,
        // The address was only needed to deliver the invitation.
        email: null,
        invite_token_hash: null,
        responded_at: now.toISOString(),
      })
      .where("id", "=", invitation.id)
      .execute();
    await writeAudit(trx, {
      actorId: input.personId,
      action: input.accept ? "facilitator.accepted" : "facilitator.declined",
      subjectType: "proposal",
      subjectId: invitation.proposal_id,
      conveningId: invitation.convening_id,
      now,
    });
    return { proposalId: invitation.proposal_id, conveningId: invitation.convening_id };
  });
}

export async function invitationByToken(db: Executor, token: string) {
  const row = await db
    .selectFrom("facilitators")
    .innerJoin("proposals", "proposals.id", "facilitators.proposal_id")
    .innerJoin("convenings", "convenings.id", "proposals.convening_id")
    .select([
      "facilitators.status",
      "proposals.id",
      "proposals.proposer_id",
      "proposals.title",
      "proposals.abstract",
      "proposals.status as proposalStatus",
      "convenings.slug",
      "convenings.title as conveningTitle",
    ])
    .where("facilitators.invite_token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row) return undefined;
  // The person invited sees the proposer as the public would: by label or chosen name only.
  const inviter = row.proposer_id !== null ? await facilitatorNameOf(db, row.id, row.proposer_id) : null;
  return { status: row.status, title: row.title, abstract: row.abstract, proposalStatus: row.proposalStatus, slug: row.slug, conveningTitle: row.conveningTitle, inviter };
}

/** A facilitator chooses to appear under a label of their own instead of their name, for this session. */
export async function setAnonymousLabel(db: Executor, input: { proposalId: number; personId: number; label: string | null }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable("facilitators")
      .set({ anonymous_label: input.label })
      .where("proposal_id", "=", input.proposalId)
      .where("person_id", "=", input.personId)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await namesChanged(trx, input.personId);
    return true;
  });
}
