// The published agenda as everyone reads it: its versions, the latest version's entries (all,
// or a participant's own), and the events behind every calendar feed (sessions, cancelled ones
// too so subscribed calendars remove them, with facilitators by the names they chose; fixed items).
import type { Executor } from "../../platform/db.server";
import { appLink, getEnv } from "../../platform/env.server";
import type { CalendarEvent } from "../../lib/ics";
import { facilitatorNames } from "../names/names.server";

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

export function uidFor(kind: "session" | "fixed", id: number): string {
  return `${kind === "session" ? id : `fixed-${id}`}@${getEnv().appUrl.hostname}`;
}

export interface FeedConvening {
  id: number;
  slug: string;
  title: string;
  venue: string;
  time_zone: string;
}

/** Every event of the latest version, with what the feeds show of it. */
export async function agendaEvents(db: Executor, convening: FeedConvening, filter: { trackId?: number; proposalIds?: number[] } = {}) {
  const version = await latestVersion(db, convening.id);
  if (!version) return { version: null, events: [] as Array<CalendarEvent & { proposalId: number | null }> };
  let query = db
    .selectFrom("agenda_entries")
    .leftJoin("proposals", "proposals.id", "agenda_entries.proposal_id")
    .select([
      "agenda_entries.proposal_id",
      "agenda_entries.fixed_item_id",
      "agenda_entries.title",
      "agenda_entries.starts_at",
      "agenda_entries.minutes",
      "agenda_entries.room_name",
      "agenda_entries.sequence",
      "agenda_entries.status",
      "proposals.abstract",
    ])
    .where("agenda_entries.version_id", "=", version.id)
    .orderBy("agenda_entries.starts_at")
    .orderBy("agenda_entries.id");
  if (filter.trackId !== undefined) {
    const trackId = filter.trackId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom("proposal_tracks").select("proposal_tracks.track_id").whereRef("proposal_tracks.proposal_id", "=", "agenda_entries.proposal_id").where("proposal_tracks.track_id", "=", trackId)),
    );
  }
  if (filter.proposalIds !== undefined) {
    if (filter.proposalIds.length === 0) return { version, events: [] };
    query = query.where("agenda_entries.proposal_id", "in", filter.proposalIds);
  }
  const rows = await query.execute();
  const ids = rows.flatMap((r) => (r.proposal_id ? [r.proposal_id] : []));
  const [names, tracks] = await Promise.all([
    facilitatorNames(db, ids),
    ids.length
      ? db
          .selectFrom("proposal_tracks")
          .innerJoin("tracks", "tracks.id", "proposal_tracks.track_id")
          .select(["proposal_tracks.proposal_id", "tracks.name"])
          .where("proposal_tracks.proposal_id", "in", ids)
          .orderBy("proposal_tracks.is_primary", "desc")
          .orderBy("tracks.position")
          .execute()
      : [],
  ]);
  const events = rows.map((r) => {
    const categories = r.proposal_id ? tracks.filter((t) => t.proposal_id === r.proposal_id).map((t) => t.name) : [];
    const facilitators = r.proposal_id ? (names.get(r.proposal_id) ?? []) : [];
    const url = r.proposal_id ? appLink(`/convenings/${convening.slug}/sessions/${r.proposal_id}`) : appLink(`/convenings/${convening.slug}/agenda`);
    const description = [
      r.abstract ?? "",
      facilitators.length ? `Facilitators: ${facilitators.join(", ")}` : "",
      categories.length ? `Tracks: ${categories.join(", ")}` : "",
      url,
    ]
      .filter(Boolean)
      .join("\n\n");
    return {
      proposalId: r.proposal_id,
      uid: r.proposal_id ? uidFor("session", r.proposal_id) : uidFor("fixed", r.fixed_item_id ?? 0),
      sequence: r.sequence,
      start: r.starts_at,
      minutes: r.minutes,
      summary: r.title,
      description,
      location: [r.room_name, convening.venue].filter(Boolean).join(", "),
      categories,
      url,
      status: r.status,
      stamp: version.published_at,
    } satisfies CalendarEvent & { proposalId: number | null };
  });
  return { version, events };
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

/** Whether a session is on any published version of the agenda (so its page links to the agenda). */
export async function onPublishedAgenda(db: Executor, conveningId: number, proposalId: number): Promise<boolean> {
  const row = await db
    .selectFrom("agenda_entries")
    .innerJoin("agenda_versions", "agenda_versions.id", "agenda_entries.version_id")
    .select("agenda_entries.id")
    .where("agenda_versions.convening_id", "=", conveningId)
    .where("agenda_entries.proposal_id", "=", proposalId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Where and when a session is on the latest published version (null when it is not on it, or is cancelled there). */
export async function publishedPlace(db: Executor, conveningId: number, proposalId: number): Promise<{ startsAt: string; minutes: number; room: string } | null> {
  const version = await latestVersion(db, conveningId);
  if (!version) return null;
  const entry = await db
    .selectFrom("agenda_entries")
    .select(["starts_at", "minutes", "room_name"])
    .where("version_id", "=", version.id)
    .where("proposal_id", "=", proposalId)
    .where("status", "=", "confirmed")
    .executeTakeFirst();
  return entry ? { startsAt: entry.starts_at, minutes: entry.minutes, room: entry.room_name } : null;
}
