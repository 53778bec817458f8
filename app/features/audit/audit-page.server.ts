// The audit log page's view model: a page of entries, each told as a sentence that names its
// subject as organizers see it (a registration by the name registered under, a person by their
// full or public name, a proposal or an action item by its title), with its filters read from
// the address. Only site-wide organizers reach it.
import type { TFunction } from "i18next";
import { z } from "zod";
import type { Executor } from "../../platform/db.server";
import { AUDIT_ACTIONS, isAuditAction, listAudit, type AuditAction, type AuditFilters } from "../../platform/audit.server";
import { isCalendarDate } from "../../lib/forms";

/** The sentence key of an action: forms14.auditAction.<its code>. */
export function auditSentenceKey(action: AuditAction): string {
  return `forms14.auditAction.${action}`;
}

const optional = (v: unknown) => (typeof v === "string" ? v.replaceAll("\u0000", "").trim() || undefined : v);
const day = z.preprocess(optional, z.string().refine(isCalendarDate, "errors.date").optional());

/** The filters in the address: who acted, which action, from and to which day (UTC), and where the page starts. */
export const auditQuerySchema = z.object({
  actor: z.preprocess(optional, z.string().max(120, "errors.tooLong").optional()),
  action: z.preprocess(optional, z.string().refine(isAuditAction, "errors.invalidChoice").optional()),
  from: day,
  to: day,
  after: z.preprocess(optional, z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[1-9]\d{0,9}$/, "errors.invalid").optional()),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function auditFilters(query: AuditQuery): AuditFilters {
  const [at, id] = query.after ? query.after.split("_") : [];
  return {
    actor: query.actor,
    action: query.action as AuditAction | undefined,
    // Days are UTC days; "to" includes the whole of its day.
    from: query.from ? `${query.from}T00:00:00.000Z` : undefined,
    to: query.to ? nextDay(query.to) : undefined,
    after: at && id ? { at, id: Number(id) } : undefined,
  };
}

async function subjectNames(db: Executor, entries: Array<{ subject_type: string; subject_id: number | null }>) {
  const ids = (type: string) => [...new Set(entries.flatMap((e) => (e.subject_type === type && e.subject_id !== null ? [e.subject_id] : [])))];
  const [registrations, people, proposals, actions, convenings] = await Promise.all([
    ids("registration").length ? db.selectFrom("registrations").select(["id", "display_name as name"]).where("id", "in", ids("registration")).execute() : [],
    ids("person").length ? db.selectFrom("people").select(["id", "full_name", "public_name", "email"]).where("id", "in", ids("person")).execute() : [],
    ids("proposal").length ? db.selectFrom("proposals").select(["id", "title as name"]).where("id", "in", ids("proposal")).execute() : [],
    ids("action").length ? db.selectFrom("action_items").select(["id", "title as name"]).where("id", "in", ids("action")).execute() : [],
    ids("convening").length ? db.selectFrom("convenings").select(["id", "title as name"]).where("id", "in", ids("convening")).execute() : [],
  ]);
  const names = new Map<string, string>();
  for (const r of registrations) names.set(`registration:${r.id}`, r.name);
  for (const p of people) names.set(`person:${p.id}`, p.full_name ?? p.public_name ?? p.email);
  for (const p of proposals) names.set(`proposal:${p.id}`, p.name);
  for (const a of actions) names.set(`action:${a.id}`, a.name);
  for (const c of convenings) names.set(`convening:${c.id}`, c.name);
  // A mail is named by its number, as the outbox page lists it.
  return (type: string, id: number | null) => (id === null ? null : type === "mail" ? `#${id}` : (names.get(`${type}:${id}`) ?? null));
}

/** The statuses a change went between, in words. */
function statusWords(action: AuditAction, details: Record<string, unknown>, say: (key: string) => string): Record<string, string> {
  const prefix = action.startsWith("proposal.") ? "proposalStatus" : action.startsWith("action.") ? "actions.status" : null;
  if (!prefix) return {};
  const words: Record<string, string> = {};
  for (const key of ["from", "to"] as const) if (typeof details[key] === "string") words[key] = say(`${prefix}.${details[key]}`);
  return words;
}

export async function auditPage(db: Executor, query: AuditQuery, t: TFunction) {
  const { entries, next } = await listAudit(db, auditFilters(query));
  const nameOf = await subjectNames(db, entries);
  const say = t as unknown as (key: string, values?: Record<string, unknown>) => string;
  return {
    entries: entries.map((e) => {
      const details = JSON.parse(e.details) as Record<string, unknown>;
      // A record since erased (an account deleted) is named by its kind and number only.
      const subject = nameOf(e.subject_type, e.subject_id) ?? say("forms14.audit.gone", { type: e.subject_type, id: e.subject_id ?? "" });
      return {
        id: e.id,
        when: `${e.at.slice(0, 10)} ${e.at.slice(11, 19)}`,
        at: e.at,
        actor: e.actor_id === null ? null : (e.actor_full_name ?? e.actor_public_name ?? say("forms14.audit.deletedPerson")),
        actorEmail: e.actor_email,
        action: e.action,
        sentence: isAuditAction(e.action) ? say(auditSentenceKey(e.action), { ...details, ...statusWords(e.action, details, say), subject }) : e.action,
        convening: e.convening,
      };
    }),
    // Where the next page starts: after the last entry shown.
    next: next ? `${next.at}_${next.id}` : null,
    actions: AUDIT_ACTIONS.map((a) => ({ value: a, label: say(`forms14.auditActionName.${a}`) })).sort((a, b) => a.label.localeCompare(b.label)),
  };
}
