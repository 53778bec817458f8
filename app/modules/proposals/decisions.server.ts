// Organizers' decisions on proposals: taken in batch and held (unmailed) until released, and an
// accepted session confirmed once its facilitators are registered.
import type { Proposal, ProposalStatus } from "../../../db/schema";
import { sha256 } from "../../platform/crypto.server";
import { inTransaction, type Executor } from "../../platform/db.server";
import { renderQueuedMail } from "../../platform/mail/outbox.server";
import { ProposalError } from "./errors";
import { decisionMails, setDecisionMessage, setProposalState } from "./state.server";
import { ACCEPTED_STATUSES, canTransition, HELD_STATUSES, PENDING_OF, RELEASED_OF, type Decision } from "./states";

export interface DecidedProposal {
  id: number;
  title: string;
}

/** What one batch decision did, proposal by proposal, for the organizer to read back. */
export interface DecisionOutcome {
  decision: Decision | "undecided";
  /** moved to the decision (held until released), or back to submitted */
  changed: DecidedProposal[];
  /** already held with this decision: only its message was replaced by this one */
  messageReplaced: DecidedProposal[];
  /** already in that state with that message: left as they were */
  skipped: DecidedProposal[];
}

const byTitle = (a: DecidedProposal, b: DecidedProposal) => a.title.localeCompare(b.title) || a.id - b.id;

/**
 * Organizers decide in batch; decisions stay pending (and unmailed) until released. Each decision
 * carries the message given with it, or none: a proposal decided again never keeps the message
 * of an earlier decision. One proposal that cannot take the decision refuses the whole batch.
 */
export async function decideProposals(
  db: Executor,
  input: { conveningId: number; organizerId: number; ids: number[]; decision: Decision | "undecided"; message?: string | null; now?: Date },
): Promise<DecisionOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const proposals = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", input.conveningId).where("id", "in", input.ids).orderBy("id").execute();
    if (proposals.length !== new Set(input.ids).size) throw new ProposalError("not_found", 404);
    const to: ProposalStatus = input.decision === "undecided" ? "submitted" : PENDING_OF[input.decision];
    const message = input.decision === "undecided" ? null : (input.message ?? null);
    const outcome: DecisionOutcome = { decision: input.decision, changed: [], messageReplaced: [], skipped: [] };
    for (const proposal of proposals) {
      const ref = { id: proposal.id, title: proposal.title };
      if (proposal.status === to) {
        if (to !== "submitted" && proposal.decision_message !== message) {
          await setDecisionMessage(trx, proposal, message, { actorId: input.organizerId, now });
          outcome.messageReplaced.push(ref);
        } else {
          outcome.skipped.push(ref);
        }
        continue;
      }
      if (!canTransition(proposal.status, to)) throw new ProposalError("invalid_transition", 409, proposal.title);
      await setProposalState(trx, proposal, to, { actorId: input.organizerId, now, message });
      outcome.changed.push(ref);
    }
    for (const list of [outcome.changed, outcome.messageReplaced, outcome.skipped]) list.sort(byTitle);
    return outcome;
  });
}

/** How many decisions wait to be released. */
export async function countPendingDecisions(db: Executor, conveningId: number): Promise<number> {
  const row = await db
    .selectFrom("proposals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("convening_id", "=", conveningId)
    .where("status", "in", [...HELD_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One mail a release would send, rendered as the outbox will store and send it. */
export interface PreviewMail {
  proposalId: number;
  proposalTitle: string;
  /** as organizers know the person: the full name, else the public name */
  recipient: string;
  email: string;
  subject: string;
  text: string;
}

export interface PreviewGroup {
  decision: Decision;
  proposals: Array<DecidedProposal & { message: string | null; facilitators: number }>;
  mails: PreviewMail[];
}

/** Every mail releasing the held decisions would send now, by kind, and the fingerprint of that set. */
export interface ReleasePreview {
  /** changes whenever a held decision, its message, its proposal or its recipients change */
  fingerprint: string;
  decisions: number;
  mails: number;
  groups: PreviewGroup[];
  /** mails an earlier release already sent for the same decision, which are not sent again */
  alreadySent: PreviewMail[];
}

const KINDS: Decision[] = ["accepted", "waitlisted", "declined"];

async function heldDecisions(db: Executor, conveningId: number): Promise<Proposal[]> {
  return db.selectFrom("proposals").selectAll().where("convening_id", "=", conveningId).where("status", "in", [...HELD_STATUSES]).orderBy("id").execute();
}

/**
 * What releasing would send, built by the same function that queues release mail and rendered
 * by the outbox's own renderer: the preview is what is sent, to the letter.
 */
async function releasePlan(db: Executor, held: Proposal[], now: Date): Promise<ReleasePreview> {
  const planned = await Promise.all(
    held.map(async (proposal) => {
      const decision = RELEASED_OF[proposal.status]!;
      return { proposal, decision, mails: await decisionMails(db, proposal, decision, now) };
    }),
  );
  planned.sort((x, y) => byTitle(x.proposal, y.proposal));
  const keys = planned.flatMap((p) => p.mails.map((m) => m.mail.dedupeKey!));
  const sent = new Set(keys.length ? (await db.selectFrom("mail_outbox").select("dedupe_key").where("dedupe_key", "in", keys).execute()).map((r) => r.dedupe_key) : []);
  const groups: PreviewGroup[] = KINDS.map((decision) => ({ decision, proposals: [], mails: [] }));
  const alreadySent: PreviewMail[] = [];
  const fingerprint: unknown[] = [];
  for (const { proposal, decision, mails } of planned) {
    const group = groups.find((g) => g.decision === decision)!;
    group.proposals.push({ id: proposal.id, title: proposal.title, message: proposal.decision_message, facilitators: mails.length });
    const shown = mails.map(({ recipient, mail }) => {
      const rendered = renderQueuedMail(mail);
      const preview: PreviewMail = {
        proposalId: proposal.id,
        proposalTitle: proposal.title,
        recipient: recipient.fullName ?? recipient.publicName ?? recipient.email,
        email: recipient.email,
        subject: rendered.subject,
        text: rendered.text,
      };
      const again = sent.has(mail.dedupeKey!);
      (again ? alreadySent : group.mails).push(preview);
      return [recipient.personId, recipient.email, mail.template, mail.dedupeKey, again, rendered.subject, rendered.text, rendered.html];
    });
    fingerprint.push([proposal.id, proposal.status, proposal.decision_revision, proposal.decision_message, proposal.updated_at, shown]);
  }
  return {
    fingerprint: sha256(JSON.stringify(fingerprint)),
    decisions: held.length,
    mails: groups.reduce((n, g) => n + g.mails.length, 0),
    groups: groups.filter((g) => g.proposals.length > 0),
    alreadySent,
  };
}

/** What releasing the convening's held decisions would send now: shown to organizers before they confirm. */
export async function releasePreview(db: Executor, conveningId: number, now: Date = new Date()): Promise<ReleasePreview> {
  return releasePlan(db, await heldDecisions(db, conveningId), now);
}

/**
 * Releases every held decision of the convening, exactly as previewed: states become final and
 * the previewed mails are queued, nothing else. When anything changed since the preview (its
 * fingerprint differs) nothing is released and the organizer is asked to look again.
 */
export async function releaseDecisions(
  db: Executor,
  input: { conveningId: number; organizerId: number; fingerprint: string; now?: Date },
): Promise<{ released: number; mails: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const held = await heldDecisions(trx, input.conveningId);
    const plan = await releasePlan(trx, held, now);
    if (plan.fingerprint !== input.fingerprint) throw new ProposalError("preview_stale", 409);
    for (const proposal of held) {
      await setProposalState(trx, proposal, RELEASED_OF[proposal.status]!, { actorId: input.organizerId, now });
    }
    await confirmReadyProposals(trx, input.conveningId, now);
    return { released: held.length, mails: plan.mails };
  });
}

/**
 * An accepted session is confirmed once every facilitator who said yes holds a confirmed
 * registration; it falls back to accepted if one of them stops being registered.
 */
export async function confirmReadyProposals(db: Executor, conveningId: number, now: Date): Promise<number> {
  return inTransaction(db, async (trx) => {
    const sessions = await trx.selectFrom("proposals").selectAll().where("convening_id", "=", conveningId).where("status", "in", [...ACCEPTED_STATUSES]).execute();
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
