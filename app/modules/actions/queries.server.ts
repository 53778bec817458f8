// What pages read of action items, as view models: a person's own list, the organizers' list, a
// session's outcomes, one item for its edit form.
import type { Executor } from "../../platform/db.server";
import { participantNames } from "../names/names.server";
import { ownerNames } from "./owners.server";
import { visibleVisibilities, type ActionViewer } from "./policy";
import { isOverdue, OPEN_STATUSES, type ActionStatus } from "./states";

const today = (now: Date) => now.toISOString().slice(0, 10);

/** The items a person or their organization owns, across all convenings, soonest due first, with their history. */
export async function myActions(db: Executor, personId: number) {
  const person = await db.selectFrom("people").select("organization_id").where("id", "=", personId).executeTakeFirst();
  const orgId = person?.organization_id ?? null;
  const items = await db
    .selectFrom("action_items")
    .innerJoin("convenings", "convenings.id", "action_items.convening_id")
    .leftJoin("proposals", "proposals.id", "action_items.proposal_id")
    .select(["action_items.id", "action_items.title", "action_items.due_on", "action_items.status", "action_items.closing_note", "convenings.title as convening", "convenings.locale", "proposals.title as session"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("action_owners")
          .select("action_owners.id")
          .whereRef("action_owners.action_id", "=", "action_items.id")
          .where((o) => o.or([o("action_owners.person_id", "=", personId), ...(orgId !== null ? [o("action_owners.organization_id", "=", orgId)] : [])])),
      ),
    )
    .orderBy("action_items.due_on")
    .orderBy("action_items.id")
    .execute();
  const ids = items.map((i) => i.id);
  const updates = ids.length
    ? await db
        .selectFrom("action_updates")
        .innerJoin("action_items", "action_items.id", "action_updates.action_id")
        .select(["action_updates.action_id", "action_updates.text", "action_updates.status_to", "action_updates.at", "action_updates.author_id", "action_items.convening_id"])
        .where("action_updates.action_id", "in", ids)
        .orderBy("action_updates.id")
        .execute()
    : [];
  const nameOf = await participantNames(db, updates.map((u) => ({ conveningId: u.convening_id, personId: u.author_id })), { id: personId, organizer: false });
  return items.map((i) => ({
    ...i,
    updates: updates
      .filter((u) => u.action_id === i.id)
      .map((u) => ({ action_id: u.action_id, text: u.text, status_to: u.status_to, at: u.at, author: nameOf(u.convening_id, u.author_id) })),
  }));
}

export interface ActionFilters {
  track?: number;
  status?: ActionStatus;
  overdue?: boolean;
  owner?: string;
}

/** Every item of a convening for its organizers, filtered in SQL, with owners and whether it is overdue. */
export async function conveningActions(db: Executor, conveningId: number, filters: ActionFilters, now = new Date()) {
  let query = db
    .selectFrom("action_items")
    .leftJoin("proposals", "proposals.id", "action_items.proposal_id")
    .select(["action_items.id", "action_items.title", "action_items.due_on", "action_items.status", "action_items.visibility", "action_items.closing_note", "action_items.proposal_id", "proposals.title as session", "proposals.primary_track_id"])
    .where("action_items.convening_id", "=", conveningId);
  if (filters.status) query = query.where("action_items.status", "=", filters.status);
  if (filters.overdue) query = query.where("action_items.status", "in", [...OPEN_STATUSES]).where("action_items.due_on", "<", today(now));
  if (filters.track) {
    const track = filters.track;
    query = query.where((eb) => eb.exists(eb.selectFrom("proposal_tracks").select("proposal_tracks.track_id").whereRef("proposal_tracks.proposal_id", "=", "action_items.proposal_id").where("proposal_tracks.track_id", "=", track)));
  }
  if (filters.owner) {
    const like = `%${filters.owner.toLowerCase()}%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("action_owners")
          .leftJoin("people", "people.id", "action_owners.person_id")
          .leftJoin("organizations", "organizations.id", "action_owners.organization_id")
          .select("action_owners.id")
          .whereRef("action_owners.action_id", "=", "action_items.id")
          .where((o) => o.or([o(o.fn("lower", ["people.public_name"]), "like", like), o("organizations.name_key", "like", like)])),
      ),
    );
  }
  const items = await query.orderBy("action_items.due_on").orderBy("action_items.id").execute();
  const owners = await ownerNames(db, items.map((i) => i.id), { id: null, organizer: true });
  return items.map((i) => ({ ...i, owners: owners.get(i.id) ?? [], overdue: isOverdue(i, today(now)) }));
}

/** Is this person one of the session's facilitators (who, with organizers, record its outcomes)? */
export async function facilitates(db: Executor, proposalId: number, personId: number): Promise<boolean> {
  const row = await db.selectFrom("facilitators").select("id").where("proposal_id", "=", proposalId).where("person_id", "=", personId).where("status", "=", "accepted").executeTakeFirst();
  return row !== undefined;
}

/** A session's notes and action items, as a viewer may see them (organizers-only items only for organizers). */
export async function sessionOutcomes(db: Executor, proposalId: number, viewer: ActionViewer) {
  const [notes, items] = await Promise.all([
    db
      .selectFrom("session_notes")
      .innerJoin("proposals", "proposals.id", "session_notes.proposal_id")
      .select(["session_notes.id", "session_notes.text", "session_notes.created_at", "session_notes.author_id", "proposals.convening_id"])
      .where("session_notes.proposal_id", "=", proposalId)
      .orderBy("session_notes.id")
      .execute(),
    db
      .selectFrom("action_items")
      .select(["id", "title", "due_on", "status", "visibility"])
      .where("proposal_id", "=", proposalId)
      .where("visibility", "in", [...visibleVisibilities(viewer)])
      .orderBy("due_on")
      .execute(),
  ]);
  const [owners, authorOf] = await Promise.all([
    ownerNames(db, items.map((i) => i.id), viewer),
    participantNames(db, notes.map((n) => ({ conveningId: n.convening_id, personId: n.author_id })), viewer),
  ]);
  return {
    notes: notes.map((n) => ({ id: n.id, text: n.text, created_at: n.created_at, author: authorOf(n.convening_id, n.author_id) })),
    items: items.map((i) => ({ ...i, owners: owners.get(i.id) ?? [] })),
  };
}

/** One item of a convening as its edit form shows it: what, when, who sees it and its owners' ids. */
export async function actionForOrganizer(db: Executor, conveningId: number, actionId: number) {
  const item = await db.selectFrom("action_items").select(["id", "title", "due_on", "visibility", "status"]).where("id", "=", actionId).where("convening_id", "=", conveningId).executeTakeFirst();
  if (!item) return undefined;
  const owners = await db.selectFrom("action_owners").select(["person_id", "organization_id"]).where("action_id", "=", item.id).execute();
  return { ...item, people: owners.flatMap((o) => (o.person_id ? [o.person_id] : [])), organizations: owners.flatMap((o) => (o.organization_id ? [o.organization_id] : [])) };
}

/** One item's history for its organizers: every update, oldest first, by the name organizers see. */
export async function actionHistory(db: Executor, conveningId: number, actionId: number) {
  const updates = await db
    .selectFrom("action_updates")
    .innerJoin("action_items", "action_items.id", "action_updates.action_id")
    .select(["action_updates.id", "action_updates.text", "action_updates.status_to", "action_updates.at", "action_updates.author_id"])
    .where("action_updates.action_id", "=", actionId)
    .where("action_items.convening_id", "=", conveningId)
    .orderBy("action_updates.id")
    .execute();
  const nameOf = await participantNames(db, updates.map((u) => ({ conveningId, personId: u.author_id })), { id: null, organizer: true });
  return updates.map((u) => ({ id: u.id, text: u.text, status_to: u.status_to, at: u.at, author: nameOf(conveningId, u.author_id) }));
}
