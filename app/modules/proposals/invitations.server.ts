// Co-facilitators: the invitations a proposer records on the form, mailed once the proposal is
// submitted, and the invited person's answer.
import type { Proposal } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { randomToken, sha256 } from "../../platform/crypto.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import { normalizeEmail } from "../people/people.server";
import { facilitatorNameOf } from "../names/names.server";
import { ProposalError } from "./errors";

/**
 * Keeps the co-facilitator invitations in line with the addresses on the form: dropped ones are
 * withdrawn, new ones recorded. Invitations are mailed only once the proposal is submitted: a
 * draft is the proposer's alone.
 */
export async function syncInvitations(trx: Trx, proposal: Proposal, emails: string[], proposerId: number, now: Date): Promise<void> {
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
export async function sendInvitations(trx: Trx, proposal: Proposal, proposerId: number, now: Date): Promise<void> {
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
