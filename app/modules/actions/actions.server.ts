// Action items: what a session or the organizers committed to, owned by people or member
// organizations, followed up with dated updates and reminded through the outbox.
import type { ExpressionBuilder } from "kysely";
import type { ActionStatus, Database } from "../../../db/schema";
import { ACTIVE_STATUSES } from "../registration/states";
import { inTransaction, type Executor } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { formatDay } from "../../lib/format";
import type { FieldErrors } from "../../lib/forms";
import { queueMail } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import { participantNames, type Viewer } from "../names/names.server";

export type ActionErrorCode = "not_found" | "due_in_past" | "unknown_owner" | "no_owner" | "not_owner" | "needs_note" | "invalid_transition";

export class ActionError extends Error {
  constructor(
    public readonly code: ActionErrorCode,
    public readonly status: number,
  ) {
    super(code);
    this.name = "ActionError";
  }
}

/** Moves an owner may make. Reopening a closed item needs a note saying why. */
const TRANSITIONS: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ["in_progress", "done", "dropped"],
  in_progress: ["open", "done", "dropped"],
  done: ["open", "in_progress"],
  dropped: ["open", "in_progress"],
};
const CLOSED: readonly ActionStatus[] = ["done", "dropped"];

export type Owner = { personId: number } | { organizationId: number };

const today = (now: Date) => now.toISOString().slice(0, 10);

export async function createAction(
  db: Executor,
  input: { conveningId: number; proposalId: number | null; title: string; dueOn: string; owners: Owner[]; visibility: "group" | "organizers"; actorId: number; asOrganizer: boolean; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date();
  if (input.dueOn < today(now)) throw new ActionError("due_in_past", 400);
  if (input.owners.length === 0) throw new ActionError("no_owner", 400);
  return inTransaction(db, async (trx) => {
    const personIds = input.owners.flatMap((o) => ("personId" in o ? [o.personId] : []));
    const organizationIds = input.owners.flatMap((o) => ("organizationId" in o ? [o.organizationId] : []));
    const people = personIds.length ? await trx.selectFrom("people").select("id").where("id", "in", personIds).execute() : [];
    const organizations = organizationIds.length ? await trx.selectFrom("organizations").select("id").where("id", "in", organizationIds).execute() : [];
    if (people.length !== new Set(personIds).size || organizations.length !== new Set(organizationIds).size) throw new ActionError("unknown_owner", 400);
    if (!input.asOrganizer) {
      // Facilitators may only pick among the choices they were shown.
      const choices = await ownerChoices(trx, input.conveningId, { id: input.actorId, organizer: false });
      const people = new Set(choices.people.map((p) => p.id));
      const organizations = new Set(choices.organizations.map((o) => o.id));
      if (personIds.some((id) => !people.has(id)) || organizationIds.some((id) => !organizations.has(id))) throw new ActionError("unknown_owner", 400);
    }
    if (input.proposalId !== null) {
      const proposal = await trx.selectFrom("proposals").select("id").where("id", "=", input.proposalId).where("convening_id", "=", input.conveningId).executeTakeFirst();
      if (!proposal) throw new ActionError("not_found", 404);
    }
    const { id } = await trx
      .insertInto("action_items")
      .values({ convening_id: input.conveningId, proposal_id: input.proposalId, title: input.title, due_on: input.dueOn, visibility: input.visibility, status: "open", created_by: input.actorId, created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("action_owners")
      .values([
        ...[...new Set(personIds)].map((person_id) => ({ action_id: id, person_id, organization_id: null })),
        ...[...new Set(organizationIds)].map((organization_id) => ({ action_id: id, person_id: null, organization_id })),
      ])
      .execute();
    await writeAudit(trx, { actorId: input.actorId, action: "action.created", subjectType: "action", subjectId: id, conveningId: input.conveningId, now });
    await tellNewOwners(trx, { actionId: id, conveningId: input.conveningId, title: input.title, dueOn: input.dueOn, now });
    return id;
  });
}

/** Queues the "you own this" mail to each person owning an item (directly or through their organization), except those already told. */
async function tellNewOwners(trx: Executor, item: { actionId: number; conveningId: number; title: string; dueOn: string; now: Date; except?: Set<number> }) {
  const convening = await trx.selectFrom("convenings").select(["title", "locale"]).where("id", "=", item.conveningId).executeTakeFirstOrThrow();
  for (const person of await ownerPeople(trx, item.actionId)) {
    if (item.except?.has(person.id)) continue;
    await queueMail(trx, {
      to: person.email,
      personId: person.id,
      conveningId: item.conveningId,
      template: "action-assigned",
      data: { name: person.public_name ?? "", title: item.title, due: formatDay(item.dueOn, convening.locale), convening: convening.title, link: appLink("/actions"), preferences: appLink("/actions") },
      dedupeKey: `action:${item.actionId}:assigned:${person.id}`,
      now: item.now,
    });
  }
}

/** Items' owners as this viewer may see them: people by the name the privacy rules allow, organizations by name. */
async function ownerNames(db: Executor, actionIds: number[], viewer: Viewer): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (actionIds.length === 0) return names;
  const rows = await db
    .selectFrom("action_owners")
    .innerJoin("action_items", "action_items.id", "action_owners.action_id")
    .leftJoin("organizations", "organizations.id", "action_owners.organization_id")
    .select(["action_owners.action_id", "action_owners.person_id", "action_items.convening_id", "organizations.name as organization"])
    .where("action_owners.action_id", "in", actionIds)
    .orderBy("action_owners.id")
    .execute();
  const nameOf = await participantNames(db, rows.map((r) => ({ conveningId: r.convening_id, personId: r.person_id })), viewer);
  for (const row of rows) {
    const name = row.person_id !== null ? nameOf(row.convening_id, row.person_id) : (row.organization ?? "");
    names.set(row.action_id, [...(names.get(row.action_id) ?? []), name]);
  }
  return names;
}

/** Everyone an item reaches: its person owners and the members of its owning organizations. */
export async function ownerPeople(db: Executor, actionId: number) {
  return db
    .selectFrom("people")
    .select(["people.id", "people.email", "people.public_name", "people.reminders_off", "people.digest_off"])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("action_owners").select("action_owners.id").where("action_owners.action_id", "=", actionId).whereRef("action_owners.person_id", "=", "people.id")),
        eb.exists(eb.selectFrom("action_owners").select("action_owners.id").where("action_owners.action_id", "=", actionId).whereRef("action_owners.organization_id", "=", "people.organization_id")),
      ]),
    )
    .orderBy("people.id")
    .execute();
}

async function isOwner(db: Executor, actionId: number, personId: number): Promise<boolean> {
  return (await ownerPeople(db, actionId)).some((p) => p.id === personId);
}

/** An owner (or an organizer) posts an update, optionally with a new status; kept as history. */
export async function postUpdate(
  db: Executor,
  input: { actionId: number; authorId: number; text: string; status?: ActionStatus; asOrganizer?: boolean; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await inTransaction(db, async (trx) => {
    const item = await trx.selectFrom("action_items").selectAll().where("id", "=", input.actionId).executeTakeFirst();
    if (!item) throw new ActionError("not_found", 404);
    if (!input.asOrganizer && !(await isOwner(trx, item.id, input.authorId))) throw new ActionError("not_owner", 403);
    const to = input.status && input.status !== item.status ? input.status : null;
    if (to && !TRANSITIONS[item.status].includes(to)) throw new ActionError("invalid_transition", 409);
    if (to && CLOSED.includes(item.status) && input.text.trim() === "") throw new ActionError("needs_note", 400);
    if (!to && input.text.trim() === "") throw new ActionError("needs_note", 400);
    await trx
      .insertInto("action_updates")
      .values({ action_id: item.id, author_id: input.authorId, text: input.text.trim(), status_from: to ? item.status : null, status_to: to, at: now.toISOString() })
      .execute();
    if (to) {
      await trx
        .updateTable("action_items")
        .set({ status: to, updated_at: now.toISOString(), closing_note: CLOSED.includes(to) ? input.text.trim() || null : null })
        .where("id", "=", item.id)
        .execute();
    }
    await writeAudit(trx, { actorId: input.authorId, action: to ? "action.status_changed" : "action.updated", subjectType: "action", subjectId: item.id, conveningId: item.convening_id, details: to ? { from: item.status, to } : {}, now });
  });
}

/** The items a person or their organization owns, across all convenings, soonest due first. */
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

type ReminderKind = "due-7d" | "due-1d" | "overdue";

/** Which reminder an open item is owed on a given day: only the latest one that applies, so a late run never sends a stale one. */
export function reminderDue(dueOn: string, day: string): ReminderKind | null {
  const due = Date.parse(`${dueOn}T00:00:00Z`);
  const now = Date.parse(`${day}T00:00:00Z`);
  const days = Math.round((due - now) / 86_400_000);
  if (days < 0) return "overdue";
  if (days <= 1) return "due-1d";
  if (days <= 7) return "due-7d";
  return null;
}

/**
 * The reminder job: for every open item, the reminder it is owed today, once per item, kind and
 * due date (the dedupe key), to each owner who has not turned reminders off. Idempotent, so
 * running it twice or after downtime never sends twice and catches up on what is owed.
 */
export async function sendActionReminders(db: Executor, now: Date): Promise<number> {
  const day = today(now);
  const items = await db
    .selectFrom("action_items")
    .innerJoin("convenings", "convenings.id", "action_items.convening_id")
    .select(["action_items.id", "action_items.title", "action_items.due_on", "action_items.convening_id", "convenings.title as convening", "convenings.locale"])
    .where("action_items.status", "in", ["open", "in_progress"])
    .where("action_items.due_on", "<=", new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10))
    .execute();
  let queued = 0;
  for (const item of items) {
    const kind = reminderDue(item.due_on, day);
    if (!kind) continue;
    for (const person of await ownerPeople(db, item.id)) {
      if (person.reminders_off) continue;
      const id = await queueMail(db, {
        to: person.email,
        personId: person.id,
        conveningId: item.convening_id,
        template: kind === "due-7d" ? "action-due-7d" : kind === "due-1d" ? "action-due-1d" : "action-overdue",
        data: { name: person.public_name ?? "", title: item.title, due: formatDay(item.due_on, item.locale), convening: item.convening, link: appLink("/actions"), preferences: appLink("/actions") },
        dedupeKey: `action:${item.id}:${kind}:${item.due_on}:${person.id}`,
        topic: "reminders",
        now,
      });
      if (id !== null) queued += 1;
    }
  }
  return queued;
}

/** The monthly digest: once a month, each owner with open items gets one list of them. */
export async function sendMonthlyDigests(db: Executor, now: Date): Promise<number> {
  const month = now.toISOString().slice(0, 7);
  const open = await db.selectFrom("action_items").select("id").where("status", "in", ["open", "in_progress"]).execute();
  const perPerson = new Map<number, { email: string; name: string; ids: number[] }>();
  for (const { id } of open) {
    for (const person of await ownerPeople(db, id)) {
      if (person.digest_off) continue;
      const entry = perPerson.get(person.id) ?? { email: person.email, name: person.public_name ?? "", ids: [] };
      entry.ids.push(id);
      perPerson.set(person.id, entry);
    }
  }
  let queued = 0;
  for (const [personId, entry] of perPerson) {
    const items = await db
      .selectFrom("action_items")
      .innerJoin("convenings", "convenings.id", "action_items.convening_id")
      .select(["action_items.title", "action_items.due_on", "action_items.status", "convenings.locale"])
      .where("action_items.id", "in", entry.ids)
      .orderBy("action_items.due_on")
      .execute();
    const id = await queueMail(db, {
      to: entry.email,
      personId,
      template: "action-digest",
      data: { name: entry.name, items: items.map((i) => ({ title: i.title, due: formatDay(i.due_on, i.locale), status: i.status.replace("_", " ") })), link: appLink("/actions"), preferences: appLink("/actions") },
      dedupeKey: `digest:${personId}:${month}`,
      topic: "digest",
      now,
    });
    if (id !== null) queued += 1;
  }
  return queued;
}

/** A refused action item as errors beside its form's fields: a past due date beside the date, anything else beside the owners. */
export function actionFieldErrors(error: ActionError): FieldErrors {
  return { [error.code === "due_in_past" ? "dueOn" : "people"]: [ACTION_ERROR_MESSAGES[error.code]] };
}

export const ACTION_ERROR_MESSAGES: Record<ActionErrorCode, string> = {
  not_found: "errors.page.notFound",
  due_in_past: "errors.dueInPast",
  unknown_owner: "errors.unknownOwner",
  no_owner: "errors.chooseOwner",
  not_owner: "errors.notOwner",
  needs_note: "errors.needsNote",
  invalid_transition: "errors.invalidTransition",
};

export async function setReminderPreferences(db: Executor, personId: number, prefs: { reminders: boolean; digest: boolean }): Promise<void> {
  await db.updateTable("people").set({ reminders_off: prefs.reminders ? 0 : 1, digest_off: prefs.digest ? 0 : 1 }).where("id", "=", personId).execute();
}

/** Can this person record outcomes for the session: one of its facilitators? (Organizers always can.) */
export async function facilitates(db: Executor, proposalId: number, personId: number): Promise<boolean> {
  const row = await db.selectFrom("facilitators").select("id").where("proposal_id", "=", proposalId).where("person_id", "=", personId).where("status", "=", "accepted").executeTakeFirst();
  return row !== undefined;
}

export async function addSessionNote(db: Executor, input: { proposalId: number; authorId: number; text: string; now?: Date }): Promise<void> {
  await db.insertInto("session_notes").values({ proposal_id: input.proposalId, author_id: input.authorId, text: input.text, created_at: (input.now ?? new Date()).toISOString() }).execute();
}

/** A session's notes and action items, as a viewer may see them: organizers-only items only for organizers. */
export async function sessionOutcomes(db: Executor, proposalId: number, viewer: Viewer) {
  const organizer = viewer.organizer;
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
      .where("visibility", "in", organizer ? ["group", "organizers"] : ["group"])
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

export interface ActionFilters {
  track?: number;
  status?: ActionStatus;
  overdue?: boolean;
  owner?: string;
}

/** Every item of a convening for its organizers, filtered in SQL, with owners and progress by track. */
export async function conveningActions(db: Executor, conveningId: number, filters: ActionFilters, now = new Date()) {
  let query = db
    .selectFrom("action_items")
    .leftJoin("proposals", "proposals.id", "action_items.proposal_id")
    .select(["action_items.id", "action_items.title", "action_items.due_on", "action_items.status", "action_items.visibility", "action_items.closing_note", "action_items.proposal_id", "proposals.title as session", "proposals.primary_track_id"])
    .where("action_items.convening_id", "=", conveningId);
  if (filters.status) query = query.where("action_items.status", "=", filters.status);
  if (filters.overdue) query = query.where("action_items.status", "in", ["open", "in_progress"]).where("action_items.due_on", "<", today(now));
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
  return items.map((i) => ({ ...i, owners: owners.get(i.id) ?? [], overdue: (i.status === "open" || i.status === "in_progress") && i.due_on < today(now) }));
}

/** Progress by the primary track of the session each item came from (items not from a session count apart). */
export async function progressByTrack(db: Executor, conveningId: number) {
  const rows = await db
    .selectFrom("action_items")
    .leftJoin("proposals", "proposals.id", "action_items.proposal_id")
    .select((eb) => ["proposals.primary_track_id", "action_items.status", eb.fn.countAll<number>().as("n")])
    .where("action_items.convening_id", "=", conveningId)
    .groupBy(["proposals.primary_track_id", "action_items.status"])
    .execute();
  const map = new Map<number | null, Record<ActionStatus, number>>();
  for (const r of rows) {
    const entry = map.get(r.primary_track_id) ?? { open: 0, in_progress: 0, done: 0, dropped: 0 };
    entry[r.status] = Number(r.n);
    map.set(r.primary_track_id, entry);
  }
  return [...map.entries()].map(([trackId, counts]) => ({ trackId, ...counts }));
}

/** Who may own an item of a convening: its registered participants (by the name they show) and their organizations. */
/**
 * Whom a viewer may pick as owners: organizers pick any registered participant; facilitators pick
 * those listed in the directory and themselves, so that picking never reveals who registered.
 */
export async function ownerChoices(db: Executor, conveningId: number, viewer: Viewer) {
  const visible = (eb: ExpressionBuilder<Database, "registrations">) =>
    viewer.organizer ? eb.lit(true) : eb.or([eb("registrations.consent_directory", "=", 1), eb("registrations.person_id", "=", viewer.id ?? 0)]);
  const [people, organizations] = await Promise.all([
    db
      .selectFrom("registrations")
      .select(["person_id as id", "display_name as name"])
      .where("convening_id", "=", conveningId)
      .where("status", "in", [...ACTIVE_STATUSES])
      .where(visible)
      .orderBy("display_name")
      .execute(),
    db
      .selectFrom("organizations")
      .select(["id", "name"])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("people")
            .innerJoin("registrations", "registrations.person_id", "people.id")
            .select("people.id")
            .whereRef("people.organization_id", "=", "organizations.id")
            .where("registrations.convening_id", "=", conveningId)
            .where("registrations.status", "in", [...ACTIVE_STATUSES])
            .where((r) => visible(r as unknown as ExpressionBuilder<Database, "registrations">)),
        ),
      )
      .orderBy("name")
      .execute(),
  ]);
  return { people, organizations };
}

/** The convening held before this one (by start date): where last year's commitments come from. */
export async function previousConvening(db: Executor, conveningId: number) {
  const current = await db.selectFrom("convenings").select("starts_on").where("id", "=", conveningId).executeTakeFirst();
  if (!current) return undefined;
  return db.selectFrom("convenings").select(["id", "slug", "title", "starts_on", "locale"]).where("starts_on", "<", current.starts_on).orderBy("starts_on", "desc").limit(1).executeTakeFirst();
}

/**
 * "Where are we on last year's commitments?": the previous convening's items by the track they
 * came from, with their status, owners and latest update, ready to open the next meeting.
 */
export async function commitmentsReport(db: Executor, conveningId: number, now = new Date()) {
  const previous = await previousConvening(db, conveningId);
  if (!previous) return null;
  const items = await conveningActions(db, previous.id, {}, now);
  const ids = items.map((i) => i.id);
  const latest = ids.length
    ? await db.selectFrom("action_updates").select(["action_id", "text", "at"]).where("action_id", "in", ids).orderBy("action_id").orderBy("id", "desc").execute()
    : [];
  const lastUpdate = new Map<number, string>();
  for (const u of latest) if (!lastUpdate.has(u.action_id)) lastUpdate.set(u.action_id, u.text);
  const tracks = await db.selectFrom("tracks").select(["id", "name"]).where("convening_id", "=", previous.id).orderBy("position").execute();
  const groups = [...tracks.map((t) => ({ trackId: t.id as number | null, name: t.name })), { trackId: null, name: null }]
    .map((g) => ({ ...g, items: items.filter((i) => (i.primary_track_id ?? null) === g.trackId).map((i) => ({ ...i, lastUpdate: lastUpdate.get(i.id) ?? null })) }))
    .filter((g) => g.items.length > 0);
  const counts = { open: 0, in_progress: 0, done: 0, dropped: 0 } as Record<ActionStatus, number>;
  for (const i of items) counts[i.status] += 1;
  return { previous, groups, counts, total: items.length };
}

/**
 * Organizers edit an item: what, when, who and who sees it. Owners who are new to it are told,
 * as on creation; a new due date starts the reminders again (they are keyed by due date).
 */
export async function editAction(
  db: Executor,
  input: { conveningId: number; actionId: number; organizerId: number; title: string; dueOn: string; owners: Owner[]; visibility: "group" | "organizers"; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  if (input.owners.length === 0) throw new ActionError("no_owner", 400);
  await inTransaction(db, async (trx) => {
    const item = await trx.selectFrom("action_items").selectAll().where("id", "=", input.actionId).where("convening_id", "=", input.conveningId).executeTakeFirst();
    if (!item) throw new ActionError("not_found", 404);
    if (input.dueOn !== item.due_on && input.dueOn < today(now)) throw new ActionError("due_in_past", 400);
    const personIds = [...new Set(input.owners.flatMap((o) => ("personId" in o ? [o.personId] : [])))];
    const organizationIds = [...new Set(input.owners.flatMap((o) => ("organizationId" in o ? [o.organizationId] : [])))];
    const people = personIds.length ? await trx.selectFrom("people").select("id").where("id", "in", personIds).execute() : [];
    const organizations = organizationIds.length ? await trx.selectFrom("organizations").select("id").where("id", "in", organizationIds).execute() : [];
    if (people.length !== personIds.length || organizations.length !== organizationIds.length) throw new ActionError("unknown_owner", 400);
    const before = new Set((await ownerPeople(trx, item.id)).map((p) => p.id));
    await trx.updateTable("action_items").set({ title: input.title, due_on: input.dueOn, visibility: input.visibility, updated_at: now.toISOString() }).where("id", "=", item.id).execute();
    await trx.deleteFrom("action_owners").where("action_id", "=", item.id).execute();
    await trx
      .insertInto("action_owners")
      .values([...personIds.map((person_id) => ({ action_id: item.id, person_id, organization_id: null })), ...organizationIds.map((organization_id) => ({ action_id: item.id, person_id: null, organization_id }))])
      .execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "action.edited", subjectType: "action", subjectId: item.id, conveningId: input.conveningId, now });
    await tellNewOwners(trx, { actionId: item.id, conveningId: input.conveningId, title: input.title, dueOn: input.dueOn, now, except: before });
  });
}

export async function actionForOrganizer(db: Executor, conveningId: number, actionId: number) {
  const item = await db.selectFrom("action_items").selectAll().where("id", "=", actionId).where("convening_id", "=", conveningId).executeTakeFirst();
  if (!item) return undefined;
  const owners = await db.selectFrom("action_owners").select(["person_id", "organization_id"]).where("action_id", "=", item.id).execute();
  return { ...item, people: owners.flatMap((o) => (o.person_id ? [o.person_id] : [])), organizations: owners.flatMap((o) => (o.organization_id ? [o.organization_id] : [])) };
}
