// The one function that changes a proposal's state (setProposalState): it checks the transition
// and writes the row, the audit entry and the mail in the caller's transaction.
import type { TemplateName } from "../../../emails/index";
import type { Proposal, ProposalStatus } from "../../../db/schema";
import type { Executor, Trx } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { queueMail, type QueueMailInput } from "../../platform/mail/outbox.server";
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
    .select(["people.id", "people.email", "people.public_name", "people.full_name"])
    .where("facilitators.proposal_id", "=", proposalId)
    .where("facilitators.status", "=", "accepted")
    .orderBy("facilitators.role", "desc")
    .orderBy("facilitators.id")
    .execute();
}

/** One mail a released decision sends, with whom it goes to as organizers know them. */
export interface DecisionMail {
  recipient: { personId: number; email: string; publicName: string | null; fullName: string | null };
  mail: QueueMailInput<TemplateName>;
}

/**
 * The mails releasing this held decision sends, one to each facilitator who said yes, carrying the
 * message written with this decision (and no other). Release queues exactly these; its preview
 * renders exactly these.
 */
export async function decisionMails(db: Executor, proposal: Proposal, decision: Decision, now: Date): Promise<DecisionMail[]> {
  const convening = await db.selectFrom("convenings").select(["title", "slug"]).where("id", "=", proposal.convening_id).executeTakeFirstOrThrow();
  return (await activeFacilitators(db, proposal.id)).map((person) => ({
    recipient: { personId: person.id, email: person.email, publicName: person.public_name, fullName: person.full_name },
    mail: {
      to: person.email,
      personId: person.id,
      conveningId: proposal.convening_id,
      template: DECISION_MAIL[decision],
      data: {
        name: person.public_name ?? "",
        title: proposal.title,
        convening: convening.title,
        link: appLink(`/convenings/${convening.slug}/proposals/${proposal.id}`),
        message: proposal.decision_message,
      },
      // A decision is released once: a second run of the same release cannot mail twice.
      dedupeKey: `proposal:${proposal.id}:${decision}:${person.id}`,
      now,
    },
  }));
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
  if (!canTransition(proposal.status, to)) throw new ProposalError("invalid_transition", 409, proposal.title);
  // A draft may leave its format, length and primary track empty; a submission may not.
  if (to === "submitted" && (proposal.format === null || proposal.length_minutes === null || proposal.primary_track_id === null)) throw new ProposalError("incomplete", 400);
  const released = RELEASED_OF[proposal.status] === to ? (to as Decision) : null;
  // Holding a decision (or taking a held one back) leaves the proposal's last change where it was:
  // its facilitators see updated_at, and it must not tell them a decision was taken.
  const held = isHeld(to) || (isHeld(proposal.status) && !released);
  const updated = await trx
    .updateTable("proposals")
    .set((eb) => ({
      status: to,
      ...(held ? {} : { updated_at: options.now.toISOString() }),
      ...(to === "submitted" && proposal.status === "draft" ? { submitted_at: options.now.toISOString() } : {}),
      // A decision taken (or taken back) is a new decision: it carries its own message or none,
      // never the one written with an earlier decision, and raises the revision a preview checks.
      ...(held ? { decision_message: isHeld(to) ? (options.message ?? null) : null, decision_revision: eb("decision_revision", "+", 1) } : {}),
    }))
    .where("id", "=", proposal.id)
    // Guard against a concurrent change: the row must still be in the state (and decision) we checked.
    .where("status", "=", proposal.status)
    .where("decision_revision", "=", proposal.decision_revision)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new ProposalError("invalid_transition", 409, proposal.title);
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
  if (to === "submitted" && proposal.status === "draft") {
    const convening = await trx.selectFrom("convenings").select(["title", "slug"]).where("id", "=", proposal.convening_id).executeTakeFirstOrThrow();
    const proposer = (await activeFacilitators(trx, proposal.id)).filter((f) => f.id === proposal.proposer_id);
    for (const person of proposer) {
      await queueMail(trx, {
        to: person.email,
        personId: person.id,
        conveningId: proposal.convening_id,
        template: "proposal-submitted",
        data: { name: person.public_name ?? "", title: updated.title, convening: convening.title, link: appLink(`/convenings/${convening.slug}/proposals/${proposal.id}`) },
        now: options.now,
      });
    }
  }
  if (released) {
    for (const { mail } of await decisionMails(trx, updated, released, options.now)) await queueMail(trx, mail);
  }
  return updated;
}

/**
 * The same held decision taken again with another message (or none): the message is replaced, so
 * what is released is what was last decided. Audited like any decision.
 */
export async function setDecisionMessage(trx: Trx, proposal: Proposal, message: string | null, options: { actorId: number | null; now: Date }): Promise<Proposal> {
  if (!isHeld(proposal.status)) throw new ProposalError("invalid_transition", 409, proposal.title);
  const updated = await trx
    .updateTable("proposals")
    .set((eb) => ({ decision_message: message, decision_revision: eb("decision_revision", "+", 1) }))
    .where("id", "=", proposal.id)
    .where("status", "=", proposal.status)
    .where("decision_revision", "=", proposal.decision_revision)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new ProposalError("invalid_transition", 409, proposal.title);
  await writeAudit(trx, {
    actorId: options.actorId,
    action: "proposal.decision_message_changed",
    subjectType: "proposal",
    subjectId: proposal.id,
    conveningId: proposal.convening_id,
    details: { status: proposal.status },
    now: options.now,
  });
  return updated;
}
