// The one function that changes a proposal's state (setProposalState): it checks the transition
// and writes the row, the audit entry and the mail in the caller's transaction.
import type { TemplateName } from "../../../emails/index";
import type { Proposal, ProposalStatus } from "../../../db/schema";
import type { Executor, Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { queueMail } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import { ProposalError } from "./errors";
import { sendInvitations } from "./invitations.server";
import { canTransition, isHeld, RELEASED_OF, type Decision } from "./states";

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
  // A draft may leave its format, length and primary track empty; a submission may not.
  if (to === "submitted" && (proposal.format === null || proposal.length_minutes === null || proposal.primary_track_id === null)) throw new ProposalError("incomplete", 400);
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
