// Calendar files from the published agenda: the whole agenda, a track, or a person's own; the
// schedule export; HTTP negotiation (ETag, compression) for them. Feed tokens give a person's
// feed a secret URL that needs no cookie.
import type { Chosen } from "../proposals/states";
import { createHash } from "node:crypto";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import type { Executor } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { keyedHash, sha256 } from "../../platform/crypto.server";
import { agendaEvents, latestVersion, uidFor, type FeedConvening } from "../agenda/published.server";
import { buildCalendar } from "../../lib/ics";
import { facilitatorNames } from "../names/names.server";
import type { ScheduleInput } from "./schedule-format";


export interface CalendarFile {
  body: string;
  etag: string;
  lastModified: string;
  /** the body compressed once, for calendars that are kept: sent as is to clients that accept it */
  compressed?: { br: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer> };
}

/**
 * Compresses a kept calendar once. A 1,000-session agenda is about 700 KB: compressing it again
 * for every subscriber's poll costs far more than building it did.
 */
export function withCompressed(file: CalendarFile): CalendarFile {
  return {
    ...file,
    compressed: {
      br: new Uint8Array(brotliCompressSync(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(file.body) } })),
      gzip: new Uint8Array(gzipSync(file.body, { level: 9 })),
    },
  };
}

/** The compressed form the client accepts (brotli first), or null for the plain text. */
function acceptedEncoding(header: string | null): "br" | "gzip" | null {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (coding && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(coding.trim());
  }
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

// Published agenda calendars change only with a new version: cache them by version and filter.
const cache = new Map<string, CalendarFile>();

export async function agendaCalendar(db: Executor, convening: FeedConvening, filter: { trackId?: number; proposalIds?: number[] }, name: string): Promise<CalendarFile> {
  const [version, names] = await Promise.all([
    latestVersion(db, convening.id),
    db.selectFrom("convenings").select("names_version").where("id", "=", convening.id).executeTakeFirst(),
  ]);
  // A version never changes once published, so its calendars can be kept (one database per
  // process); only the names shown for facilitators can change, and they raise names_version.
  const key = filter.proposalIds
    ? null
    : `${convening.slug}:${convening.id}:${version?.id ?? 0}:${version?.published_at ?? ""}:${names?.names_version ?? 0}:${filter.trackId ?? "all"}:${name}`;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const { events } = await agendaEvents(db, convening, filter);
  const body = buildCalendar({ name, timeZone: convening.time_zone, events });
  const file: CalendarFile = {
    body,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    lastModified: new Date(version?.published_at ?? 0).toUTCString(),
  };
  if (!key) return file;
  const kept = withCompressed(file);
  if (cache.size > 500) cache.clear();
  cache.set(key, kept);
  return kept;
}

/** The response for a calendar, answering 304 when the subscriber already has this one. */
export function calendarResponse(request: Request, file: CalendarFile, filename: string): Response {
  const headers: Record<string, string> = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
    ETag: file.etag,
    "Last-Modified": file.lastModified,
    "Cache-Control": "no-cache",
  };
  if (file.compressed) headers.Vary = "Accept-Encoding";
  const given = request.headers.get("If-None-Match");
  if (given && given.split(",").map((s) => s.trim()).includes(file.etag)) return new Response(null, { status: 304, headers });
  const encoding = file.compressed ? acceptedEncoding(request.headers.get("Accept-Encoding")) : null;
  // Already encoded: the server's compression leaves such a response alone.
  if (encoding) return new Response(file.compressed![encoding], { headers: { ...headers, "Content-Encoding": encoding } });
  return new Response(file.body, { headers });
}

/** A person's feed token: derived from a counter, so the page can always show it and a reset retires it. */
export async function feedToken(db: Executor, personId: number, kind: "agenda" | "actions", now = new Date()): Promise<string> {
  const row = await db.selectFrom("feed_tokens").select("counter").where("person_id", "=", personId).where("kind", "=", kind).executeTakeFirst();
  const counter = row?.counter ?? 0;
  const token = Buffer.from(keyedHash(`feed:${personId}:${kind}:${counter}`), "hex").toString("base64url");
  if (!row) {
    await db
      .insertInto("feed_tokens")
      .values({ person_id: personId, kind, counter, token_hash: sha256(token), created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(["person_id", "kind"]).doNothing())
      .execute();
  }
  return token;
}

export async function resetFeedToken(db: Executor, personId: number, kind: "agenda" | "actions", now = new Date()): Promise<string> {
  const current = await db.selectFrom("feed_tokens").select("counter").where("person_id", "=", personId).where("kind", "=", kind).executeTakeFirst();
  const counter = (current?.counter ?? 0) + 1;
  const token = Buffer.from(keyedHash(`feed:${personId}:${kind}:${counter}`), "hex").toString("base64url");
  if (current) {
    await db.updateTable("feed_tokens").set({ counter, token_hash: sha256(token) }).where("person_id", "=", personId).where("kind", "=", kind).execute();
  } else {
    await db.insertInto("feed_tokens").values({ person_id: personId, kind, counter, token_hash: sha256(token), created_at: now.toISOString() }).execute();
  }
  return token;
}

/**
 * A person's own agenda as a calendar: the sessions they marked or facilitate in the latest
 * convening they have any in. Starts from their own rows (a union), never from every proposal.
 */
export async function personalAgendaCalendar(db: Executor, personId: number): Promise<CalendarFile> {
  const mine = await db
    .selectFrom(
      db
        .selectFrom("interests")
        .select("interests.proposal_id")
        .where("interests.person_id", "=", personId)
        .union(db.selectFrom("facilitators").select("facilitators.proposal_id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted"))
        .as("mine"),
    )
    .innerJoin("proposals", "proposals.id", "mine.proposal_id")
    .innerJoin("convenings", "convenings.id", "proposals.convening_id")
    .select(["proposals.id", "convenings.id as conveningId", "convenings.starts_on"])
    .orderBy("convenings.starts_on", "desc")
    .orderBy("proposals.id")
    .execute();
  const conveningId = mine[0]?.conveningId;
  const convening = conveningId
    ? await db.selectFrom("convenings").select(["id", "slug", "title", "venue", "time_zone"]).where("id", "=", conveningId).executeTakeFirstOrThrow()
    : { id: 0, slug: "", title: "Convene", venue: "", time_zone: "UTC" };
  return agendaCalendar(db, convening, { proposalIds: mine.filter((m) => m.conveningId === conveningId).map((m) => m.id) }, `${convening.title}: my agenda`);
}

export async function personForFeed(db: Executor, token: string, kind: "agenda" | "actions"): Promise<number | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db.selectFrom("feed_tokens").select("person_id").where("token_hash", "=", sha256(token)).where("kind", "=", kind).executeTakeFirst();
  return row?.person_id ?? null;
}

/**
 * The published agenda in the common conference schedule format. Facilitators appear only by the
 * names they chose (or their label), with ids that are new for each session so that no one can be
 * followed from session to session.
 */
export async function scheduleInput(
  db: Executor,
  convening: FeedConvening & { starts_on: string; ends_on: string },
): Promise<ScheduleInput | null> {
  const version = await latestVersion(db, convening.id);
  if (!version) return null;
  const rows = await db
    .selectFrom("agenda_entries")
    .innerJoin("proposals", "proposals.id", "agenda_entries.proposal_id")
    .innerJoin("tracks", "tracks.id", "proposals.primary_track_id")
    .select([
      "agenda_entries.proposal_id",
      "agenda_entries.title",
      "agenda_entries.starts_at",
      "agenda_entries.minutes",
      "agenda_entries.room_id",
      "agenda_entries.room_name",
      "proposals.abstract",
      "proposals.format",
      "tracks.name as track",
    ])
    .$narrowType<Chosen>()
    .where("agenda_entries.version_id", "=", version.id)
    .where("agenda_entries.status", "=", "confirmed")
    .orderBy("agenda_entries.starts_at")
    .execute();
  const names = await facilitatorNames(db, rows.map((r) => r.proposal_id!));
  const rooms = new Map<number, string>();
  for (const r of rows) if (r.room_id !== null) rooms.set(r.room_id, r.room_name);
  return {
    conference: {
      acronym: convening.slug.replace(/-/g, "_"),
      title: convening.title,
      start: convening.starts_on,
      end: convening.ends_on,
      timeZone: convening.time_zone,
      url: appLink(`/convenings/${convening.slug}`),
      baseUrl: appLink("/"),
    },
    version: String(version.number),
    rooms: [...rooms.entries()].map(([id, name]) => ({ id, name })),
    events: rows.map((r) => ({
      id: r.proposal_id!,
      uid: uidFor("session", r.proposal_id!),
      title: r.title,
      abstract: r.abstract,
      startsAt: r.starts_at,
      minutes: r.minutes,
      room: r.room_name,
      track: r.track,
      type: r.format,
      language: "",
      persons: (names.get(r.proposal_id!) ?? []).map((name, i) => ({ id: r.proposal_id! * 100 + i + 1, name })),
      url: appLink(`/convenings/${convening.slug}/sessions/${r.proposal_id}`),
      slug: `${convening.slug}-${r.proposal_id}`,
    })),
  };
}
