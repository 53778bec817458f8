// The suggestion's page: where the scheduler is (progress, best figures so far, time left), and
// once it is done, the figures before and after and the list of moves against the published
// version, in the words and labels organizers read.
import { formatInstant } from "../../lib/format";
import { placeableSessions } from "../../modules/agenda/placements.server";
import { listVersions } from "../../modules/agenda/published.server";
import { listRooms, listSlots } from "../../modules/agenda/setup.server";
import { getSuggestion, latestSuggestion, type Place, type Suggestion } from "../../modules/agenda/suggestions.server";
import type { Executor } from "../../platform/db.server";
import type { SuggestionPage, SuggestionProgressView } from "./suggestion-page";

interface PageConvening {
  id: number;
  slug: string;
  title: string;
  time_zone: string;
  locale: string;
}

/** The progress as the page and its JSON resource show it: whole seconds, never negative. */
export function progressView(job: Suggestion): SuggestionProgressView {
  const p = job.progress;
  const elapsedMs = p?.elapsedMs ?? 0;
  const limit = p?.timeLimitMs ?? job.timeLimitMs;
  return {
    id: job.id,
    status: job.status,
    stopRequested: job.stopRequested,
    elapsedSeconds: Math.floor(elapsedMs / 1000),
    limitSeconds: Math.round(limit / 1000),
    secondsLeft: Math.max(0, Math.ceil((limit - elapsedMs) / 1000)),
    iterations: p?.iterations ?? 0,
    best: p?.best ?? null,
    before: job.currentScore,
  };
}

/** The convening's suggestion (the one asked for, or the latest) and what the page needs to show it. */
export async function suggestionPage(db: Executor, convening: PageConvening, jobId: number | null): Promise<SuggestionPage> {
  const [job, versions] = await Promise.all([jobId === null ? latestSuggestion(db, convening.id) : getSuggestion(db, convening.id, jobId), listVersions(db, convening.id)]);
  const base = { convening: { slug: convening.slug, title: convening.title }, keepByDefault: versions.length > 0, publishedNumber: versions[0]?.number ?? null };
  if (!job) return { ...base, job: null };
  const [slots, rooms, sessions] = await Promise.all([listSlots(db, convening.id), listRooms(db, convening.id), placeableSessions(db, convening.id)]);
  const slotLabel = new Map(slots.map((s) => [s.id, formatInstant(s.starts_at, convening.time_zone, convening.locale)]));
  const roomName = new Map(rooms.map((r) => [r.id, r.name]));
  const title = new Map(sessions.map((s) => [s.id, s.title]));
  const place = (p: Place | null) => (p ? { time: slotLabel.get(p.slotId) ?? "?", room: roomName.get(p.roomId) ?? "?" } : null);
  const result = job.result;
  return {
    ...base,
    job: {
      ...progressView(job),
      keep: job.keep,
      fairness: job.fairness,
      stale: job.stale,
      error: job.error,
      createdAt: formatInstant(job.createdAt, convening.time_zone, convening.locale),
      after: result?.score ?? null,
      basis: result?.basis ?? null,
      moves: (result?.moves ?? [])
        .map((m) => ({ proposalId: m.proposalId, title: title.get(m.proposalId) ?? String(m.proposalId), from: place(m.from), to: place(m.to) }))
        .sort((a, b) => a.title.localeCompare(b.title)),
      unplaced: (result?.unplaced ?? []).map((u) => ({ title: title.get(u.proposalId) ?? String(u.proposalId), reason: u.reason })),
    },
  };
}
