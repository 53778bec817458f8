// The organizers' follow-up: progress by track, the list as a spreadsheet, and "where are we on
// last year's commitments?".
import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import type { Executor } from "../../platform/db.server";
import { neutralizeFormula } from "../registration/csv.server";
import { conveningActions } from "./queries.server";
import { countByStatus, type ActionStatus } from "./states";

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
    const entry = map.get(r.primary_track_id) ?? countByStatus();
    entry[r.status] = Number(r.n);
    map.set(r.primary_track_id, entry);
  }
  return [...map.entries()].map(([trackId, counts]) => ({ trackId, ...counts }));
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
  const counts = countByStatus();
  for (const i of items) counts[i.status] += 1;
  return { previous, groups, counts, total: items.length };
}

/** The organizers' list as a spreadsheet: UTF-8 with a byte-order mark and CRLF line ends, no cell a formula. */
export function actionsCsv(items: Awaited<ReturnType<typeof conveningActions>>, t: TFunction): string {
  const header = [t("outcomes.what"), t("organizeActions.owners"), t("outcomes.dueOn"), t("organizeRegistrations.filter.status"), t("organizeActions.session"), t("outcomes.visibility"), t("organizeActions.closingNote")];
  const rows = items.map((i) => [i.title, i.owners.join("; "), i.due_on, i.status, i.session ?? "", i.visibility, i.closing_note ?? ""].map(neutralizeFormula));
  return `\uFEFF${stringify([header, ...rows], { record_delimiter: "\r\n" })}`;
}
