// Publishing: the working copy is frozen as version N+1 with a changelog against N; each session
// keeps its entry's sequence, raised whenever its time, room or title changes (calendars rely on
// it); sessions dropped since N stay as cancelled entries; and everyone registered whose marked
// or facilitated sessions changed gets one mail.
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
import { buildCalendar } from "../../lib/ics";

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
      .select(["proposals.id", "proposals.title", "proposals.status", "proposals.length_minutes", "slots.id as slotId", "slots.starts_at", "rooms.id as roomId", "rooms.name as roomName"]).$narrowType<Chosen>()
      .where("placements.convening_id", "=", convening.id)
      .where("proposals.status", "in", [...ACCEPTED_STATUSES])
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
