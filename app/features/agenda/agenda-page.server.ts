// The organizer's agenda page, built from the agenda domain (rooms, slots, placements and their
// conflicts, the pending suggestion, published versions) and the convening's tracks.
import { formatDay, formatInstant } from "../../lib/format";
import type { Id } from "../../modules/agenda/instance";
import { evaluateAgenda, placeableSessions } from "../../modules/agenda/placements.server";
import { latestSuggestion } from "../../modules/agenda/suggestions.server";
import { listVersions } from "../../modules/agenda/published.server";
import { publishPreview } from "../../modules/agenda/publish.server";
import { listFixedItems, listRooms, listSlots } from "../../modules/agenda/setup.server";
import { listTracks } from "../../modules/convenings/convenings.server";
import type { Executor } from "../../platform/db.server";
import type { AgendaPage, HardConflictView, SoftConflictView } from "./agenda-page";

interface PageConvening {
  id: number;
  slug: string;
  title: string;
  time_zone: string;
  locale: string;
  starts_on: string;
  ends_on: string;
}

/** The soft conflicts listed; a busy draft has hundreds of attendee clashes. */
const SOFT_SHOWN = 60;

function days(startsOn: string, endsOn: string): string[] {
  const list: string[] = [];
  for (let d = new Date(`${startsOn}T12:00:00Z`); d.toISOString().slice(0, 10) <= endsOn; d.setUTCDate(d.getUTCDate() + 1)) list.push(d.toISOString().slice(0, 10));
  return list;
}

/** What the organizer's agenda page shows of this convening. */
export async function agendaPage(db: Executor, convening: PageConvening): Promise<AgendaPage> {
  const [rooms, slotRows, fixed, tracks, { evaluation, placements }, suggestion, versions, sessions, plan] = await Promise.all([
    listRooms(db, convening.id),
    listSlots(db, convening.id),
    listFixedItems(db, convening.id),
    listTracks(db, convening.id),
    evaluateAgenda(db, convening.id),
    latestSuggestion(db, convening.id),
    listVersions(db, convening.id),
    placeableSessions(db, convening.id),
    publishPreview(db, convening.id),
  ]);
  const zone = convening.time_zone;
  const dayOf = new Intl.DateTimeFormat("en-CA", { timeZone: zone });
  const slots = slotRows.map((s) => ({ id: s.id, minutes: s.minutes, label: formatInstant(s.starts_at, zone, convening.locale), day: dayOf.format(new Date(s.starts_at)) }));
  const trackById = new Map(tracks.map((tr) => [tr.id, tr]));
  const trackColor = (id: number | null) => (id === null ? null : (trackById.get(id)?.color ?? null));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  // The scheduler names fixed items "fixed-<id>" and sessions by their number.
  const titleOf = (id: Id) => (typeof id === "number" ? (sessionById.get(id)?.title ?? String(id)) : (fixed.find((f) => `fixed-${f.id}` === id)?.title ?? id));
  const slotLabel = (id: Id) => slots.find((s) => s.id === id)?.label ?? String(id);
  const roomName = (id: Id) => rooms.find((r) => r.id === id)?.name ?? String(id);
  const hardSessions = new Set<string>();
  for (const h of evaluation.hard) {
    if ("sessions" in h) h.sessions.forEach((s) => hardSessions.add(String(s)));
    if ("session" in h) hardSessions.add(String(h.session));
  }
  // Where each thing is on the grid: a room's cell in a slot, or the whole row of a whole-venue slot.
  const wholeSlots = new Set(fixed.filter((f) => f.room_id === null).map((f) => f.slot_id));
  const cellAnchor = (slot: Id, room: Id) => (wholeSlots.has(Number(slot)) ? `slot-${slot}` : `cell-${slot}-${room}`);
  const placementOf = new Map(placements.map((p) => [String(p.proposal_id), p]));
  const sessionAnchor = (id: Id) => {
    const p = placementOf.get(String(id));
    return p ? cellAnchor(p.slot_id, p.room_id) : "grid-heading";
  };
  const placedView = (p: (typeof placements)[number]) => {
    const session = sessionById.get(p.proposal_id);
    if (!session) return [];
    return [{ id: session.id, title: session.title, minutes: session.length_minutes, pinned: p.pinned === 1, flagged: hardSessions.has(String(p.proposal_id)), trackColor: trackColor(session.primary_track_id) }];
  };
  const roomChoices = rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity }));
  const conveningDays = days(convening.starts_on, convening.ends_on).map((d) => ({ value: d, label: formatDay(d, convening.locale, { weekday: "long", day: "numeric", month: "long" }) }));

  const grid: AgendaPage["grid"] = {
    zone,
    rooms: roomChoices,
    days: conveningDays
      .map((day) => ({ ...day, slots: slots.filter((s) => s.day === day.value) }))
      .filter((day) => day.slots.length)
      .map(({ value, label, slots: daySlots }) => ({
        value,
        label,
        rows: daySlots.map((slot) => {
          const whole = fixed.find((f) => f.slot_id === slot.id && f.room_id === null);
          return {
            slotId: slot.id,
            label: slot.label,
            minutes: slot.minutes,
            whole: whole ? whole.title : null,
            wholeSessions: whole ? placements.filter((p) => p.slot_id === slot.id).flatMap(placedView) : [],
            anchor: `slot-${slot.id}`,
            cells: whole
              ? []
              : rooms.map((room) => ({
                  roomId: room.id,
                  anchor: `cell-${slot.id}-${room.id}`,
                  fixed: fixed.find((f) => f.slot_id === slot.id && f.room_id === room.id)?.title ?? null,
                  sessions: placements.filter((p) => p.slot_id === slot.id && p.room_id === room.id).flatMap(placedView),
                })),
          };
        }),
      })),
  };

  const fixedTitle = (id: Id) => fixed.find((f) => f.id === Number(id))?.title ?? String(id);
  const hard = evaluation.hard.map((h): HardConflictView => {
    switch (h.kind) {
      case "room_double_booked":
        return { kind: h.kind, room: roomName(h.room), slot: slotLabel(h.slot), sessions: h.sessions.map(titleOf), anchor: cellAnchor(h.slot, h.room) };
      case "facilitator_double_booked":
        return { kind: h.kind, slot: slotLabel(h.slot), sessions: h.sessions.map(titleOf), anchor: sessionAnchor(h.sessions[0]!) };
      case "facilitator_unavailable":
        return { kind: h.kind, slot: slotLabel(h.slot), session: titleOf(h.session), anchor: sessionAnchor(h.session) };
      case "missing_feature":
        return { kind: h.kind, session: titleOf(h.session), room: roomName(h.room), features: h.features, anchor: sessionAnchor(h.session) };
      case "too_long":
        return { kind: h.kind, session: titleOf(h.session), minutes: h.minutes, slotMinutes: h.slotMinutes, anchor: sessionAnchor(h.session) };
      case "fixed_item_taken":
        return { kind: h.kind, session: titleOf(h.session), fixed: fixedTitle(h.fixed), slot: slotLabel(h.slot), room: roomName(h.room), anchor: cellAnchor(h.slot, h.room) };
      case "not_alone":
        return { kind: h.kind, session: titleOf(h.session), slot: slotLabel(h.slot), others: h.others.map(titleOf), anchor: sessionAnchor(h.session) };
      case "plenary_room":
        return { kind: h.kind, session: titleOf(h.session), room: roomName(h.room), largest: roomName(h.largest), anchor: sessionAnchor(h.session) };
    }
  });
  const at = (iso: string) => formatInstant(iso, zone, convening.locale);
  const preview: AgendaPage["publish"]["preview"] = {
    mailed: plan.mailed,
    fingerprint: plan.fingerprint,
    missing: plan.missing.map((m) => ({ title: m.title, name: m.name, registration: m.registration })),
    changes: plan.changes.map((c) =>
      c.kind === "cancelled"
        ? { kind: c.kind, title: c.title }
        : c.kind === "moved"
          ? { kind: c.kind, title: c.title, at: at(c.startsAt), room: c.room, fromAt: at(c.fromStartsAt), fromRoom: c.fromRoom }
          : c.kind === "renamed"
            ? { kind: c.kind, title: c.title, fromTitle: c.fromTitle, at: at(c.startsAt), room: c.room }
            : { kind: c.kind, title: c.title, at: at(c.startsAt), room: c.room },
    ),
  };
  const soft = evaluation.soft.slice(0, SOFT_SHOWN).map((s): SoftConflictView => {
    switch (s.kind) {
      case "over_capacity":
        return { kind: s.kind, session: titleOf(s.session), room: roomName(s.room), interest: s.interest, capacity: s.capacity };
      case "same_track":
        return { kind: s.kind, slot: slotLabel(s.slot), track: trackById.get(Number(s.track))?.name ?? "", sessions: s.sessions.map(titleOf) };
      case "attendee_clash":
        return { kind: s.kind, slot: slotLabel(s.slot), people: s.people, a: titleOf(s.sessions[0]), b: titleOf(s.sessions[1]) };
    }
  });

  return {
    convening: { slug: convening.slug, title: convening.title },
    choices: { slots: slots.map((s) => ({ value: String(s.id), label: s.label })), rooms: roomChoices },
    figures: {
      current: evaluation.score,
      // The latest suggestion while it runs or waits for a decision; its moves are on its own page.
      suggestion:
        suggestion && !["accepted", "discarded"].includes(suggestion.status)
          ? {
              id: suggestion.id,
              status: suggestion.status,
              fairness: suggestion.fairness,
              score: suggestion.result?.score ?? null,
              cannotPlace: (suggestion.result?.unplaced ?? []).map((u) => ({ proposalId: u.proposalId, title: titleOf(u.proposalId), reason: u.reason })),
            }
          : null,
      keepByDefault: versions.length > 0,
      clashesByGroup: Object.entries(evaluation.clashesByGroup).map(([group, count]) => ({ group, count })),
      lostSessions: evaluation.lostSessions,
    },
    grid,
    unplaced: {
      sessions: sessions.map((s) => ({ value: String(s.id), label: s.title })),
      list: sessions.filter((s) => !placements.some((p) => p.proposal_id === s.id)).map((s) => ({ id: s.id, title: s.title, minutes: s.length_minutes, trackColor: trackColor(s.primary_track_id) })),
    },
    conflicts: { hard, soft },
    publish: {
      slug: convening.slug,
      nextNumber: (versions[0]?.number ?? 0) + 1,
      preview,
      versions: versions.map((v) => ({ id: v.id, number: v.number, note: v.note, changes: v.changes.map((c) => ({ kind: c.kind, title: c.title })) })),
    },
    setup: {
      rooms: rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity, features: r.features })),
      slots: slots.map((s) => ({ id: s.id, label: s.label, minutes: s.minutes })),
      fixed: fixed.map((f) => ({ id: f.id, title: f.title, slot: slotLabel(f.slot_id), room: f.room_id ? roomName(f.room_id) : null })),
      days: conveningDays,
    },
  };
}
