// The demo's follow-up: notes and action items from the demo sessions, some done, some overdue,
// and last year's convening with commitments still open.
import { addSessionNote, createAction, postUpdate } from "../../modules/actions/items.server";
import { createConvening } from "../../modules/convenings/convenings.server";
import type { DB } from "../../platform/db.server";

const ITEMS = [
  "Draft a joint letter to the health ministry on PrEP access",
  "Collect testimonies on police raids for the shadow report",
  "Share the digital safety guide in three languages",
  "Map legal clinics that help survivors with immigration status",
  "Hold a call with donors on funding cuts",
  "Publish media guidance on trafficking language",
  "Organise a regional trans sex workers' meeting",
  "Write the position paper on labour inspections without deportations",
  "Set up a rapid-response group for raids",
  "Translate the know-your-rights materials",
  "Brief journalists before Pride",
  "Start the research ethics checklist with sex worker-led groups",
];

export async function seedActions(db: DB, input: { conveningId: number; organizerId: number; now: Date }) {
  const { conveningId, organizerId, now } = input;
  const sessions = await db.selectFrom("proposals").select(["id", "proposer_id"]).where("convening_id", "=", conveningId).where("status", "=", "confirmed").orderBy("id").execute();
  const orgs = await db.selectFrom("organizations").select("id").orderBy("id").execute();
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  let count = 0;
  for (const [i, session] of sessions.slice(0, 12).entries()) {
    const facilitator = session.proposer_id!;
    await addSessionNote(db, { proposalId: session.id, authorId: facilitator, text: "We agreed to work on this together across tracks and report back before the next meeting.", now });
    for (let k = 0; k < (i % 3 === 0 ? 3 : 2); k++) {
      // Created in the past (as if right after the meeting) so that some are overdue by now.
      const created = new Date(now.getTime() - 60 * 86_400_000);
      const dueOn = day(i % 4 === 0 ? -10 - k : 15 + i * 9 + k * 20);
      const owners = k === 1 && orgs[i % orgs.length] ? [{ organizationId: orgs[i % orgs.length]!.id }] : [{ personId: facilitator }];
      const id = await createAction(db, { conveningId, proposalId: session.id, title: ITEMS[(i + k * 5) % ITEMS.length]!, dueOn, owners, visibility: k === 2 ? "organizers" : "group", by: { id: facilitator, organizer: true }, now: created });
      count += 1;
      if ((i + k) % 5 === 0) await postUpdate(db, { actionId: id, by: { id: organizerId, organizer: true }, text: "Done and shared with the working group.", status: "done", now });
      else if ((i + k) % 3 === 0) await postUpdate(db, { actionId: id, by: { id: organizerId, organizer: true }, text: "Work started; a first draft is circulating.", status: "in_progress", now });
    }
  }
  // Last year's meeting, with commitments some of which are still open.
  const lastYear = new Date(now.getTime() - 365 * 86_400_000);
  const previous = await createConvening(db, { slug: `annual-meeting-${lastYear.getUTCFullYear()}`, title: `Annual Strategy Meeting ${lastYear.getUTCFullYear()}`, startsOn: lastYear.toISOString().slice(0, 10), endsOn: new Date(lastYear.getTime() + 2 * 86_400_000).toISOString().slice(0, 10), timeZone: "Europe/Lisbon", venue: "Casa das Associações, Lisbon", status: "archived" }, organizerId, lastYear);
  for (const [k, title] of ["Campaign toolkit on decriminalisation", "Joint submission to the UN special rapporteur", "Funding map for community-led HIV services"].entries()) {
    const id = await createAction(db, { conveningId: previous, proposalId: null, title, dueOn: new Date(lastYear.getTime() + (90 + k * 60) * 86_400_000).toISOString().slice(0, 10), owners: [{ organizationId: orgs[k]!.id }], visibility: "group", by: { id: organizerId, organizer: true }, now: lastYear });
    if (k === 0) await postUpdate(db, { actionId: id, by: { id: organizerId, organizer: true }, text: "Toolkit published.", status: "done", now: new Date(lastYear.getTime() + 100 * 86_400_000) });
    count += 1;
  }
  return count;
}
