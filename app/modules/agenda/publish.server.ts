// Publishing: the working copy is frozen as version N+1 with a changelog against N; each session
// keeps its entry's sequence, raised whenever its time, room or title changes (calendars rely on
// it); sessions dropped since N stay as cancelled entries; and everyone registered whose marked
// or facilitated sessions changed gets one mail.
import { inTransaction, type Executor } from "../../utils/db.server";
import { appLink } from "../../utils/env.server";
import { formatInstant } from "../../utils/format";
import { queueMail, queueMails } from "../mail/outbox.server";
import { writeAudit } from "../privacy/audit.server";
import { facilitatorNames } from "../privacy/names.server";
import { ACTIVE_STATUSES } from "../registration/states";
import { AgendaError } from "./errors";
import { agendaEvents } from "../calendar/feeds.server";
import { buildCalendar } from "../calendar/ics";
import { getEnv } from "../../utils/env.server";

export type Change =
  | { kind: "added"; proposalId: number; title: string; startsAt: string; room: string }
  | { kind: "moved"; proposalId: number; title: string; startsAt: string; room: string; fromStartsAt: string; fromRoom: string }
  | { kind: "renamed"; proposalId: number; title: string; fromTitle: string; startsAt: string; room: string }
  | { kind: "cancelled"; proposalId: number; title: string };

export async function latestVersion(db: Executor, conveningId: number) {
  return db.selectFrom("agenda_versions").selectAll().where("convening_id", "=", conveningId).orderBy("number", "desc").limit(1).executeTakeFirst();
}

export async function listVersions(db: Executor, conveningId: number) {
  const rows = await db.selectFrom("agenda_versions").select(["id", "number", "note", "published_at", "changes"]).where("convening_id", "=", conveningId).orderBy("number", "desc").execute();
  return rows.map((r) => ({ ...r, changes: JSON.parse(r.changes) as Change[] }));
}

export async function publishAgenda(db: Executor, input: { conveningId: number; organizerId: number; note: string; now?: Date }): Promise<{ number: number; changes: Change[]; mailed: number }> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    await trx.updateTable("convenings").set((eb) => ({ title: eb.ref("title") })).where("id", "=", input.conveningId).execute();
    const convening = await trx.selectFrom("convenings").select(["id", "slug", "title", "time_zone", "locale"]).where("id", "=", input.conveningId).executeTakeFirst();
    if (!convening) throw new AgendaError("not_found", 404);
    const placed = await trx
      .selectFrom("placements")
      .innerJoin("proposals", "proposals.id", "placements.proposal_id")
      .innerJoin("slots", "slots.id", "placements.slot_id")
      .innerJoin("rooms", "rooms.id", "placements.room_id")
      .select(["proposals.id", "proposals.title", "proposals.status", "proposals.length_minutes", "slots.id as slotId", "slots.starts_at", "rooms.id as roomId", "rooms.name as roomName"])
      .where("placements.convening_id", "=", convening.id)
      .where("proposals.status", "in", ["accepted", "confirmed"])
      .orderBy("slots.starts_at")
      .orderBy("rooms.position")
      .execute();
    const unregistered = placed.filter((p) => p.status !== "confirmed");
    if (unregistered.length) throw new AgendaError("facilitators_unregistered", 409, unregistered.map((p) => p.title).join("; "));
    const fixed = await trx
      .selectFrom("fixed_items")
      .innerJoin("slots", "slots.id", "fixed_items.slot_id")
      .leftJoin("rooms", "rooms.id", "fixed_items.room_id")
      .select(["fixed_items.id", "fixed_items.title", "slots.id as slotId", "slots.starts_at", "slots.minutes", "rooms.id as roomId", "rooms.name as roomName"])
      .where("fixed_items.convening_id", "=", convening.id)
      .execute();
    if (placed.length === 0 && fixed.length === 0) throw new AgendaError("nothing_to_publish", 409);

    const previous = await latestVersion(trx, convening.id);
    const before = previous ? await trx.selectFrom("agenda_entries").selectAll().where("version_id", "=", previous.id).where("proposal_id", "is not", null).execute() : [];
    const prior = new Map(before.map((e) => [e.proposal_id!, e]));
    const changes: Change[] = [];
    const entries = placed.map((p) => {
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
      return { proposal_id: p.id, fixed_item_id: null as number | null, title: p.title, starts_at: p.starts_at, minutes: p.length_minutes, slot_id: p.slotId as number | null, room_id: p.roomId as number | null, room_name: p.roomName, sequence, status: "confirmed" as "confirmed" | "cancelled" };
    });
    const kept = new Set(placed.map((p) => p.id));
    for (const old of before) {
      if (kept.has(old.proposal_id!)) continue;
      // A session gone from the agenda stays in feeds as cancelled, so calendars remove it.
      if (old.status === "confirmed") changes.push({ kind: "cancelled", proposalId: old.proposal_id!, title: old.title });
      entries.push({ ...old, proposal_id: old.proposal_id!, fixed_item_id: null, sequence: old.status === "confirmed" ? old.sequence + 1 : old.sequence, status: "cancelled" });
    }
    const number = (previous?.number ?? 0) + 1;
    const version = await trx
      .insertInto("agenda_versions")
      .values({ convening_id: convening.id, number, note: input.note, published_at: now.toISOString(), published_by: input.organizerId, changes: JSON.stringify(changes) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const rows = [
      ...entries.map(({ proposal_id, fixed_item_id, title, starts_at, minutes, slot_id, room_id, room_name, sequence, status }) => ({
        version_id: version.id,
        proposal_id,
        fixed_item_id,
        title,
        starts_at,
        minutes,
        slot_id,
        room_id,
        room_name,
        sequence,
        status,
      })),
      ...fixed.map((f) => ({ version_id: version.id, proposal_id: null, fixed_item_id: f.id, title: f.title, starts_at: f.starts_at, minutes: f.minutes, slot_id: f.slotId, room_id: f.roomId, room_name: f.roomName ?? "", sequence: 0, status: "confirmed" as const })),
    ];
    if (rows.length) await trx.insertInto("agenda_entries").values(rows).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "agenda.published", subjectType: "convening", subjectId: convening.id, conveningId: convening.id, details: { number, changes: changes.length }, now });

    await inviteFacilitators(trx, convening, changes, now);

    // One mail per registered person whose marked or facilitated sessions changed.
    const changed = new Map(changes.map((c) => [c.proposalId, c]));
    let mailed = 0;
    if (changed.size) {
      const ids = [...changed.keys()];
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
      const when = (iso: string) => formatInstant(iso, convening.time_zone, convening.locale);
      // Queued in batches: one publish may mail thousands of people inside this transaction.
      const mails = people.map((person) => {
        const lines = [...perPerson.get(person.id)!].map((id) => changed.get(id)!).map((c) =>
          c.kind === "cancelled"
            ? { title: c.title, kind: c.kind, when: "", room: "" }
            : { title: c.title, kind: c.kind, when: when(c.startsAt), room: c.room },
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
      await queueMails(trx, mails);
      mailed = people.length;
    }
    return { number, changes, mailed };
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

/** The latest published agenda: sessions with their tracks, format, abstract and facilitators by the names they chose. */
export async function publishedAgenda(db: Executor, conveningId: number) {
  return agendaOf(db, conveningId, null);
}

/**
 * The latest version's confirmed entries, all of them or only the sessions a person marked or
 * facilitates (filtered in SQL, so My agenda costs the same however large the agenda is).
 */
async function agendaOf(db: Executor, conveningId: number, personId: number | null) {
  const version = await latestVersion(db, conveningId);
  if (!version) return null;
  let query = db
    .selectFrom("agenda_entries")
    .leftJoin("proposals", "proposals.id", "agenda_entries.proposal_id")
    .select([
      "agenda_entries.id",
      "agenda_entries.proposal_id",
      "agenda_entries.fixed_item_id",
      "agenda_entries.title",
      "agenda_entries.starts_at",
      "agenda_entries.minutes",
      "agenda_entries.room_name",
      "agenda_entries.slot_id",
      "proposals.abstract",
      "proposals.format",
      "proposals.primary_track_id",
    ])
    .where("agenda_entries.version_id", "=", version.id)
    .where("agenda_entries.status", "=", "confirmed");
  if (personId !== null) {
    query = query.where((eb) =>
      eb.or([
        eb("agenda_entries.proposal_id", "in", eb.selectFrom("interests").select("interests.proposal_id").where("interests.person_id", "=", personId)),
        eb("agenda_entries.proposal_id", "in", eb.selectFrom("facilitators").select("facilitators.proposal_id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted")),
      ]),
    );
  }
  const entries = await query.orderBy("agenda_entries.starts_at").orderBy("agenda_entries.room_name").execute();
  const ids = entries.flatMap((e) => (e.proposal_id ? [e.proposal_id] : []));
  const [tracks, names] = await Promise.all([
    ids.length ? db.selectFrom("proposal_tracks").select(["proposal_id", "track_id"]).where("proposal_id", "in", ids).orderBy("is_primary", "desc").orderBy("track_id").execute() : [],
    facilitatorNames(db, ids),
  ]);
  // Grouped once: looking each session's tracks up in the whole list grows with the square of the agenda.
  const tracksOf = new Map<number, number[]>();
  for (const t of tracks) {
    const list = tracksOf.get(t.proposal_id);
    if (list) list.push(t.track_id);
    else tracksOf.set(t.proposal_id, [t.track_id]);
  }
  return {
    version: { number: version.number, note: version.note, publishedAt: version.published_at, changes: JSON.parse(version.changes) as Change[] },
    entries: entries.map((e) => ({
      ...e,
      trackIds: e.proposal_id ? (tracksOf.get(e.proposal_id) ?? []) : [],
      facilitators: e.proposal_id ? (names.get(e.proposal_id) ?? []) : [],
    })),
  };
}

/** A participant's agenda: the published sessions they marked or facilitate, with clashes between them. */
export async function myAgenda(db: Executor, conveningId: number, personId: number) {
  const [agenda, facilitating] = await Promise.all([
    agendaOf(db, conveningId, personId),
    db.selectFrom("facilitators").innerJoin("proposals", "proposals.id", "facilitators.proposal_id").select("facilitators.proposal_id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted").where("proposals.convening_id", "=", conveningId).execute(),
  ]);
  if (!agenda) return null;
  const facilitated = new Set(facilitating.map((f) => f.proposal_id));
  const entries = agenda.entries.filter((e) => e.proposal_id !== null);
  const end = (e: { starts_at: string; minutes: number }) => Date.parse(e.starts_at) + e.minutes * 60_000;
  return {
    version: agenda.version,
    entries: entries.map((e) => ({
      ...e,
      facilitating: facilitated.has(e.proposal_id!),
      clashesWith: entries.filter((o) => o.id !== e.id && Date.parse(o.starts_at) < end(e) && Date.parse(e.starts_at) < end(o)).map((o) => o.title),
    })),
  };
}
