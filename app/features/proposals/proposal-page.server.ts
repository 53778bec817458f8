// A proposal's page for its facilitators: what the proposals, names and agenda domains give it,
// decided by the proposals policy. The route only guards, calls and answers.
import { formatInstant } from "../../lib/format";
import type { Executor } from "../../platform/db.server";
import { listSlots, unavailableSlots } from "../../modules/agenda/setup.server";
import { listTracks } from "../../modules/convenings/convenings.server";
import { facilitationLabels, facilitatorName } from "../../modules/names/names.server";
import type { Viewer } from "../../modules/people/viewer";
import { canEditProposal, canGiveAvailability, canWithdrawProposal } from "../../modules/proposals/policy";
import { proposalForFacilitator } from "../../modules/proposals/sessions.server";
import { participantPhase, statusForFacilitators, type isCfpOpen } from "../../modules/proposals/states";
import { canSeePeople } from "../../modules/registration/policy";

type PageConvening = Parameters<typeof isCfpOpen>[0] & { id: number; time_zone: string; locale: string };

/** What a facilitator sees of their proposal, or null when it is not theirs. */
export async function facilitatorProposalPage(db: Executor, convening: PageConvening, viewer: Viewer & { id: number }, proposalId: number, now = new Date()) {
  const proposal = await proposalForFacilitator(db, convening.id, proposalId, viewer.id);
  if (!proposal) return null;
  const people = proposal.facilitators.flatMap((f) => (f.person_id === null ? [] : [f.person_id]));
  const [tracks, slots, unavailable, labels] = await Promise.all([
    listTracks(db, convening.id),
    listSlots(db, convening.id),
    unavailableSlots(db, convening.id, viewer.id),
    facilitationLabels(db, convening.id, people),
  ]);
  // A held decision shows as the status before it until organizers release it.
  const status = statusForFacilitators(proposal.status);
  const mine = proposal.facilitators.find((f) => f.person_id === viewer.id);
  const isProposer = proposal.proposer_id === viewer.id;
  const seesPeople = canSeePeople(viewer);
  return {
    isProposer,
    canEdit: canEditProposal(viewer, proposal, convening, now),
    canWithdraw: canWithdrawProposal(viewer, proposal),
    proposal: {
      id: proposal.id,
      title: proposal.title,
      abstract: proposal.abstract,
      description: proposal.description,
      format: proposal.format,
      length: proposal.length_minutes,
      status,
      // An organizer's message reaches the facilitators only with the released decision.
      message: status === proposal.status ? proposal.decision_message : null,
      primaryTrack: tracks.find((tr) => tr.id === proposal.primary_track_id)?.name ?? "",
      linkedTracks: proposal.linkedTrackIds.map((id) => tracks.find((tr) => tr.id === id)?.name ?? ""),
      languages: proposal.languages,
      needs: proposal.needs,
    },
    // Co-facilitators as the public sees them (their label if they chose one); the person sees
    // their own name behind their label; the proposer sees the address of an invitation not yet answered.
    // Someone not confirmed (canSeePeople) sees the co-facilitators only as the public sees the
    // session: accepted facilitators of an accepted session, else "a facilitator". The proposer
    // stays named: their invitation, which brought each co-facilitator here, named them.
    facilitators: proposal.facilitators.map((f) => {
      const isMe = f.person_id === viewer.id;
      const named = isMe || seesPeople || f.role === "proposer" || (f.status === "accepted" && participantPhase(proposal.status) === "accepted");
      const shown = named
        ? facilitatorName({ sessionLabel: f.anonymous_label, conveningLabel: f.person_id === null ? null : (labels.get(f.person_id) ?? null), publicName: f.public_name, deleted: false })
        : null;
      const invited = f.person_id === null && isProposer ? f.email : null;
      return { id: f.id, role: f.role, status: f.status, name: isMe ? f.public_name : (shown ?? invited), label: isMe && shown !== f.public_name ? shown : null, isMe };
    }),
    myLabel: mine?.anonymous_label ?? "",
    slots: canGiveAvailability(status) ? slots.map((s) => ({ id: s.id, label: formatInstant(s.starts_at, convening.time_zone, convening.locale) })) : [],
    unavailable: unavailable.map(String),
  };
}
