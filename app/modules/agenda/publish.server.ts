// Publishing: the working copy is frozen as version N+1 with a changelog against N; each session
// keeps its entry's sequence, raised whenever its time, room or title changes (calendars rely on
// it); sessions dropped since N stay as cancelled entries; and everyone registered whose marked
// or facilitated sessions changed gets one mail. What it would do is shown first (the preview),
// and it is refused, writing and queueing nothing, while the working copy breaks a hard rule.
import type { Chosen } from "../proposals/states";
import { inTransaction, type Executor } from "../../platform/db.server";
import { appLink, getEnv } from "../../platform/env.server";
import { formatInstant } from "../../lib/format";
import { queueMail, queueMails } from "../../platform/mail/outbox.server";
import { writeAudit } from "../../platform/audit.server";
import { ACTIVE_STATUSES } from "../registration/states";
import { AgendaError } from "./errors";
import { ACCEPTED_STATUSES } from "../proposals/states";
import { agendaEvents, latestVersion, type Change } from "./published.server";
import { evaluateAgenda } from "./placements.server";
import { sha256 } from "../../platform/crypto.server";
import type { RegistrationStatus } from "../../../db/schema";
import { buildCalendar } from "../../lib/ics";

/** A facilitator who keeps a placed session from being confirmed, and why. */
export interface MissingFacilitator {
  proposalId: number;
  title: string;
  personId: number;
  name: string;
  /** their registration's status, or null when they have not registered */
  registration: RegistrationStatus | null;
}

/** What publishing now would do: the changes against the published version and who is mailed; or what stops it. */
export interface PublishPlan {
  number: number;
  changes: Change[];
  /** people told about changes to their sessions (one mail each) */
  mailed: number;
  /** the hard conflicts of the working copy: publishing is refused while there is one */
  hardConflicts: number;
  missing: MissingFacilitator[];
  /** changes when anything the plan shows changes: publishing checks it against the preview the organizer saw */
  fingerprint: string;
}

interface Draft {
  convening: { id: number; slug: string; title: string; time_zone: string; locale: string };
  number: number;
  entries: Array<{ proposal_id: number; fixed_item_id: number | null; title: string; starts_at: string; minutes: number; slot_id: number | null; room_id: number | null; room_name: string; sequence: number; status: "confirmed" | "cancelled" }>;
  fixed: Array<{ id: number; title: string; slotId: number; starts_at: string; minutes: number; roomId: number | null; roomName: string | null }>;
  placedCount: number;
  changes: Change[];
  /** the people mailed, with the changed sessions each is told about */
  recipients: Array<{ id: number; email: string; display_name: string; sessions: number[] }>;
  hardConflicts: number;
  missing: MissingFacilitator[];
}

/** The next version as publishing would write it, read in the caller's transaction. */
async function draftVersion(trx: Executor, conveningId: number): Promise<Draft> {
  const convening = await trx.selectFrom("convenings").select(["id", "slug", "title", "time_zone", "locale"]).where("id", "=", conveningId).executeTakeFirst();
  if (!convening) throw new AgendaError("not_found", 404);
  const placed = await trx
    .selectFrom("placements")
    .innerJoin("proposals", "proposals.id", "placements.proposal_id")
    .innerJoin("slots", "slots.id", "placements.slot_id")
    .innerJoin("rooms", "rooms.id", "placements.room_id")
    .select(["proposals.id", "proposals.title", "proposals.status", "proposals.length_minutes", "slots.id as slotId", "slots.starts_at", "rooms.id as roomId", "rooms.name as roomName"]).$narrowType<Chosen>()
    .where("placements.convening_id", "=", convening.id)
    .where("proposals.status", "in", [...ACCEPTED_STATUSES])
    .orderBy("slots.starts_at")
    .orderBy("rooms.position")
    .orderBy("proposals.id")
    .execute();
  const fixed = await trx
    .selectFrom("fixed_items")
    .innerJoin("slots", "slots.id", "fixed_items.slot_id")
    .leftJoin("rooms", "rooms.id", "fixed_items.room_id")
    .select(["fixed_items.id", "fixed_items.title", "slots.id as slotId", "slots.starts_at", "slots.minutes", "rooms.id as roomId", "rooms.name as roomName"])
    .where("fixed_items.convening_id", "=", convening.id)
    .orderBy("fixed_items.id")
    .execute();
  const { evaluation } = await evaluateAgenda(trx, convening.id);
  const missing = await missingFacilitators(trx, convening.id, placed.filter((p) => p.status !== "confirmed"));

  const previous = await latestVersion(trx, convening.id);
  const before = previous ? await trx.selectFrom("agenda_entries").selectAll().where("version_id", "=", previous.id).where("proposal_id", "is not", null).orderBy("id").execute() : [];
  const prior = new Map(before.map((e) => [e.proposal_id!, e]));
  const changes: Change[] = [];
  const entries: Draft["entries"] = placed.map((p) => {
    const old = prior.get(p.id);
    let sequence = 0;
    if (old) {
      const same = old.status === "confirmed" && old.starts_at === p.starts_at && old.room_id === p.roomId && old.title === p.title && old.minutes === p.length_minutes;
      sequence = same ? old.sequence : old.sequence + 1;
      if (old.status === "cancelled") changes.push({ kind: "added", proposalId: p.id, title: p.title, startsAt: p.starts_at, room: p.roomName });
      else if (old.starts_at !== p.starts_at || old.room_id !== p.roomId)
        changes.push({ kind: "moved", proposalId: p.id, title: p.title, startsAt: p.starts_at, room: p.roomName, fromStartsAt: old.starts_at, fromRoom: old.room_name });
      else if (old.title !== p.title) changes.push({ kind: "renamed", proposalId: p.id, title: p.title, fromTitle: old.title, startsAt: p.starts_at, room: p.roomName });
    } else {
      changes.push({ kind: "added", proposalId: p.id, title: p.title, startsAt: p.starts_at, room: p.roomName });
    }
    return { proposal_id: p.id, fixed_item_id: null, title: p.title, starts_at: p.starts_at, minutes: p.length_minutes, slot_id: p.slotId, room_id: p.roomId, room_name: p.roomName, sequence, status: "confirmed" };
  });
  const kept = new Set(placed.map((p) => p.id));
  for (const old of before) {
    if (kept.has(old.proposal_id!)) continue;
    // A session gone from the agenda stays in feeds as cancelled, so calendars remove it.
    if (old.status === "confirmed") changes.push({ kind: "cancelled", proposalId: old.proposal_id!, title: old.title });
    entries.push({ proposal_id: old.proposal_id!, fixed_item_id: null, title: old.title, starts_at: old.starts_at, minutes: old.minutes, slot_id: old.slot_id, room_id: old.room_id, room_name: old.room_name, sequence: old.status === "confirmed" ? old.sequence + 1 : old.sequence, status: "cancelled" });
  }

  // One mail per registered person whose marked or facilitated sessions changed.
  const recipients: Draft["recipients"] = [];
  const ids = changes.map((c) => c.proposalId);
  if (ids.length) {
    const [marks, facilitating] = await Promise.all([
      trx.selectFrom("interests").select(["person_id", "proposal_id"]).where("proposal_id", "in", ids).execute(),
      trx.selectFrom("facilitators").select(["person_id", "proposal_id"]).where("proposal_id", "in", ids).where("status", "=", "accepted").where("person_id", "is not", null).execute(),
    ]);
    const perPerson = new Map<number, Set<number>>();
    for (const row of [...marks, ...facilitating]) {
      const set = perPerson.get(row.person_id!) ?? new Set<number>();
      set.add(row.proposal_id);
      perPerson.set(row.person_id!, set);
    }
    const people = perPerson.size
      ? await trx
          .selectFrom("registrations")
          .innerJoin("people", "people.id", "registrations.person_id")
          .select(["people.id", "people.email", "registrations.display_name"])
          .where("registrations.convening_id", "=", convening.id)
          .where("registrations.status", "in", [...ACTIVE_STATUSES])
          .where("registrations.person_id", "in", [...perPerson.keys()])
          .where("people.agenda_mail_off", "=", 0)
          .orderBy("people.id")
          .execute()
      : [];
    for (const person of people) recipients.push({ ...person, sessions: [...perPerson.get(person.id)!].sort((a, b) => a - b) });
  }
  return { convening, number: (previous?.number ?? 0) + 1, entries, fixed, placedCount: placed.length, changes, recipients, hardConflicts: evaluation.hard.length, missing };
}

/** The facilitators (who said yes) of sessions not yet confirmed, with their registration status, by session then person. */
async function missingFacilitators(trx: Executor, conveningId: number, sessions: Array<{ id: number; title: string }>): Promise<MissingFacilitator[]> {
  if (sessions.length === 0) return [];
  const rows = await trx
    .selectFrom("facilitators")
    .innerJoin("people", "people.id", "facilitators.person_id")
    .leftJoin("registrations", (join) => join.onRef("registrations.person_id", "=", "facilitators.person_id").on("registrations.convening_id", "=", conveningId))
    .select(["facilitators.proposal_id", "people.id", "people.full_name", "people.public_name", "people.email", "registrations.status"])
    .where("facilitators.proposal_id", "in", sessions.map((s) => s.id))
    .where("facilitators.status", "=", "accepted")
    .orderBy("facilitators.proposal_id")
    .orderBy("people.id")
    .execute();
  const title = new Map(sessions.map((s) => [s.id, s.title]));
  return rows
    .filter((r) => r.status !== "confirmed")
    .map((r) => ({ proposalId: r.proposal_id, title: title.get(r.proposal_id)!, personId: r.id, name: r.full_name ?? r.public_name ?? r.email, registration: r.status ?? null }));
}

const fingerprintOf = (draft: Draft) =>
  sha256(JSON.stringify([draft.number, draft.changes, draft.recipients.map((r) => [r.id, r.sessions]), draft.hardConflicts, draft.missing]));

/** What publishing now would do (for the organizer to see before they publish); changes nothing. */
export async function publishPreview(db: Executor, conveningId: number): Promise<PublishPlan> {
  const draft = await draftVersion(db, conveningId);
  return { number: draft.number, changes: draft.changes, mailed: draft.recipients.length, hardConflicts: draft.hardConflicts, missing: draft.missing, fingerprint: fingerprintOf(draft) };
}

/** Publishing is refused because some placed sessions wait for facilitators; each is named with why. */
export class FacilitatorsMissing extends AgendaError {
  constructor(public readonly missing: MissingFacilitator[]) {
    super("facilitators_unregistered", 409, [...new Set(missing.map((m) => m.title))].join("; "));
  }

  /** The same refusal, with who is missing and why in the reader's words. */
  described(detail: string): AgendaError {
    return new AgendaError("facilitators_unregistered", 409, detail);
  }
}

/**
 * Freezes the working copy as the next version, exactly as its preview showed (when the
 * organizer's preview fingerprint is given and differs, nothing is published). Refused while a
 * hard conflict remains or a placed session waits for a facilitator; nothing is written or
 * queued then.
 */
export async function publishAgenda(
  db: Executor,
  input: { conveningId: number; organizerId: number; note: string; fingerprint?: string; now?: Date },
): Promise<{ number: number; changes: Change[]; mailed: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    // A write first: on SQLite it takes the database's lock, so two publishes run one after the other.
    await trx.updateTable("convenings").set((eb) => ({ title: eb.ref("title") })).where("id", "=", input.conveningId).execute();
    const draft = await draftVersion(trx, input.conveningId);
    const { convening, number, changes, entries, fixed } = draft;
    if (draft.hardConflicts > 0) throw new AgendaError("hard_conflicts", 409, String(draft.hardConflicts));
    if (draft.missing.length) throw new FacilitatorsMissing(draft.missing);
    if (draft.placedCount === 0 && fixed.length === 0) throw new AgendaError("nothing_to_publish", 409);
    if (input.fingerprint !== undefined && input.fingerprint !== fingerprintOf(draft)) throw new AgendaError("publish_preview_stale", 409);

    const version = await trx
      .insertInto("agenda_versions")
      .values({ convening_id: convening.id, number, note: input.note, published_at: now.toISOString(), published_by: input.organizerId, changes: JSON.stringify(changes) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const rows = [
      ...entries.map((e) => ({ version_id: version.id, ...e })),
      ...fixed.map((f) => ({ version_id: version.id, proposal_id: null, fixed_item_id: f.id, title: f.title, starts_at: f.starts_at, minutes: f.minutes, slot_id: f.slotId, room_id: f.roomId, room_name: f.roomName ?? "", sequence: 0, status: "confirmed" as const })),
    ];
    if (rows.length) await trx.insertInto("agenda_entries").values(rows).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.published", subjectType: "convening", subjectId: convening.id, conveningId: convening.id, details: { number, changes: changes.length }, now });

    await inviteFacilitators(trx, convening, changes, now);

    const changed = new Map(changes.map((c) => [c.proposalId, c]));
    const when = (iso: string) => formatInstant(iso, convening.time_zone, convening.locale);
    // Queued in batches: one publish may mail thousands of people inside this transaction.
    const mails = draft.recipients.map((person) => {
      const lines = person.sessions.map((id) => changed.get(id)!).map((c) =>
        c.kind === "cancelled" ? { title: c.title, kind: c.kind, when: "", room: "" } : { title: c.title, kind: c.kind, when: when(c.startsAt), room: c.room },
      );
      return {
        to: person.email,
        personId: person.id,
        conveningId: convening.id,
        template: "agenda-changed" as const,
        data: { name: person.display_name, convening: convening.title, version: number, first: number === 1, link: appLink(`/convenings/${convening.slug}/my-agenda`), sessions: lines },
        dedupeKey: `agenda:${convening.id}:v${number}:${person.id}`,
        topic: "agenda" as const,
        now,
      };
    });
    if (mails.length) await queueMails(trx, mails);
    return { number, changes, mailed: draft.recipients.length };
  });
}

/**
 * Facilitators get their session as a calendar invitation: REQUEST when it first appears or
 * changes (same UID, higher SEQUENCE), CANCEL when it leaves the agenda.
 */
async function inviteFacilitators(
  trx: Executor,
  convening: { id: number; slug: string; title: string; time_zone: string; locale: string },
  changes: Change[],
  now: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const full = await trx.selectFrom("convenings").select(["id", "slug", "title", "venue", "time_zone"]).where("id", "=", convening.id).executeTakeFirstOrThrow();
  const { version, events } = await agendaEvents(trx, full, { proposalIds: changes.map((c) => c.proposalId) });
  const facilitators = await trx
    .selectFrom("facilitators")
    .innerJoin("people", "people.id", "facilitators.person_id")
    .select(["facilitators.proposal_id", "people.id", "people.email", "people.public_name"])
    .where("facilitators.proposal_id", "in", changes.map((c) => c.proposalId))
    .where("facilitators.status", "=", "accepted")
    .orderBy("people.id")
    .execute();
  const from = /<([^>]+)>/.exec(getEnv().mailFrom)?.[1] ?? getEnv().mailFrom;
  for (const change of changes) {
    const event = events.find((e) => e.proposalId === change.proposalId);
    if (!event) continue;
    const method = change.kind === "cancelled" ? "CANCEL" : "REQUEST";
    for (const person of facilitators.filter((f) => f.proposal_id === change.proposalId)) {
      const content = buildCalendar({
        name: convening.title,
        timeZone: convening.time_zone,
        method,
        organizer: { name: convening.title, email: from },
        attendee: { name: person.public_name ?? "", email: person.email },
        events: [event],
      });
      await queueMail(trx, {
        to: person.email,
        personId: person.id,
        conveningId: convening.id,
        template: "session-invitation",
        data: {
          name: person.public_name ?? "",
          title: change.title,
          convening: convening.title,
          kind: change.kind === "cancelled" ? "cancel" : change.kind === "added" ? "new" : "update",
          when: change.kind === "cancelled" ? "" : formatInstant(event.start, convening.time_zone, convening.locale),
          room: change.kind === "cancelled" ? "" : ("room" in change ? change.room : ""),
          link: event.url,
        },
        calendar: { method, content },
        dedupeKey: `invitation:${change.proposalId}:v${version?.number ?? 0}:${person.id}`,
        now,
      });
    }
  }
}
