// Reminders of due dates and the monthly digest, through the outbox, and each person's choice of them.
import type { Executor } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { formatDay } from "../../lib/format";
import { queueMail } from "../../platform/mail/outbox.server";
import { ownerPeople } from "./owners.server";
import { OPEN_STATUSES } from "./states";

type ReminderKind = "due-7d" | "due-1d" | "overdue";

const today = (now: Date) => now.toISOString().slice(0, 10);

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
    .where("action_items.status", "in", [...OPEN_STATUSES])
    .where("action_items.due_on", "<=", new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10))
    .execute();
  let queued = 0;
  for (const item of items) {
    const kind = reminderDue(item.due_on, day);
    if (!kind) continue;
    for (const person of await ownerPeople(db, item.id)) {
      if (person.remindersOff) continue;
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
  const open = await db.selectFrom("action_items").select("id").where("status", "in", [...OPEN_STATUSES]).execute();
  const perPerson = new Map<number, { email: string; name: string; ids: number[] }>();
  for (const { id } of open) {
    for (const person of await ownerPeople(db, id)) {
      if (person.digestOff) continue;
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

/** Whether a person gets due-date reminders and the monthly digest. */
export async function reminderPreferences(db: Executor, personId: number): Promise<{ reminders: boolean; digest: boolean }> {
  const person = await db.selectFrom("people").select(["reminders_off", "digest_off"]).where("id", "=", personId).executeTakeFirstOrThrow();
  return { reminders: person.reminders_off === 0, digest: person.digest_off === 0 };
}

export async function setReminderPreferences(db: Executor, personId: number, prefs: { reminders: boolean; digest: boolean }): Promise<void> {
  await db.updateTable("people").set({ reminders_off: prefs.reminders ? 0 : 1, digest_off: prefs.digest ? 0 : 1 }).where("id", "=", personId).execute();
}
