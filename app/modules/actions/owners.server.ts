// Who owns an action item (people, or member organizations and through them their people), whom
// a viewer may choose as owners, and the owners' names as a viewer may see them.
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../../db/schema";
import { canSeePeople, VETTED_STATUSES } from "../registration/policy";
import { loadViewersAcross } from "../registration/viewer.server";
import type { Executor } from "../../platform/db.server";
import { appLink } from "../../platform/env.server";
import { formatDay } from "../../lib/format";
import { queueMail } from "../../platform/mail/outbox.server";
import { participantNames } from "../names/names.server";
import { ActionError } from "./errors";
import { canChooseAnyOwner, type ActionViewer } from "./policy";

export type Owner = { personId: number } | { organizationId: number };

/** The people and organizations among owners, each once. */
export function splitOwners(owners: Owner[]): { personIds: number[]; organizationIds: number[] } {
  return {
    personIds: [...new Set(owners.flatMap((o) => ("personId" in o ? [o.personId] : [])))],
    organizationIds: [...new Set(owners.flatMap((o) => ("organizationId" in o ? [o.organizationId] : [])))],
  };
}

/** Refuses owners that do not exist, and (for a viewer who may not choose anyone) owners they were not offered. */
export async function checkOwners(trx: Executor, conveningId: number, owners: { personIds: number[]; organizationIds: number[] }, viewer: ActionViewer): Promise<void> {
  const { personIds, organizationIds } = owners;
  const people = personIds.length ? await trx.selectFrom("people").select("id").where("id", "in", personIds).execute() : [];
  const organizations = organizationIds.length ? await trx.selectFrom("organizations").select("id").where("id", "in", organizationIds).execute() : [];
  if (people.length !== personIds.length || organizations.length !== organizationIds.length) throw new ActionError("unknown_owner", 400);
  if (canChooseAnyOwner(viewer)) return;
  const choices = await ownerChoices(trx, conveningId, viewer);
  const offeredPeople = new Set(choices.people.map((p) => p.id));
  const offeredOrganizations = new Set(choices.organizations.map((o) => o.id));
  if (personIds.some((id) => !offeredPeople.has(id)) || organizationIds.some((id) => !offeredOrganizations.has(id))) throw new ActionError("unknown_owner", 400);
}

/** Writes an item's owners (after removing any it had). */
export async function writeOwners(trx: Executor, actionId: number, owners: { personIds: number[]; organizationIds: number[] }): Promise<void> {
  await trx.deleteFrom("action_owners").where("action_id", "=", actionId).execute();
  await trx
    .insertInto("action_owners")
    .values([
      ...owners.personIds.map((person_id) => ({ action_id: actionId, person_id, organization_id: null })),
      ...owners.organizationIds.map((organization_id) => ({ action_id: actionId, person_id: null, organization_id })),
    ])
    .execute();
}

export interface OwnerPerson {
  id: number;
  email: string;
  public_name: string | null;
  remindersOff: boolean;
  digestOff: boolean;
}

/** Everyone an item reaches: its person owners and the members of its owning organizations. */
export async function ownerPeople(db: Executor, actionId: number): Promise<OwnerPerson[]> {
  const rows = await db
    .selectFrom("people")
    .select(["people.id", "people.email", "people.public_name", "people.reminders_off", "people.digest_off"])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("action_owners").select("action_owners.id").where("action_owners.action_id", "=", actionId).whereRef("action_owners.person_id", "=", "people.id")),
        eb.exists(eb.selectFrom("action_owners").select("action_owners.id").where("action_owners.action_id", "=", actionId).whereRef("action_owners.organization_id", "=", "people.organization_id")),
      ]),
    )
    .orderBy("people.id")
    .execute();
  return rows.map((p) => ({ id: p.id, email: p.email, public_name: p.public_name, remindersOff: p.reminders_off !== 0, digestOff: p.digest_off !== 0 }));
}

/** Does this person own the item, directly or through their organization? */
export async function ownsAction(db: Executor, actionId: number, personId: number | null): Promise<boolean> {
  if (personId === null) return false;
  return (await ownerPeople(db, actionId)).some((p) => p.id === personId);
}

/** Queues the "you own this" mail to each person owning an item (directly or through their organization), except those already told. */
export async function tellNewOwners(trx: Executor, item: { actionId: number; conveningId: number; title: string; dueOn: string; now: Date; except?: Set<number> }): Promise<void> {
  const convening = await trx.selectFrom("convenings").select(["title", "locale"]).where("id", "=", item.conveningId).executeTakeFirstOrThrow();
  for (const person of await ownerPeople(trx, item.actionId)) {
    if (item.except?.has(person.id)) continue;
    await queueMail(trx, {
      to: person.email,
      personId: person.id,
      conveningId: item.conveningId,
      template: "action-assigned",
      data: { name: person.public_name ?? "", title: item.title, due: formatDay(item.dueOn, convening.locale), convening: convening.title, link: appLink("/actions"), preferences: appLink("/actions") },
      dedupeKey: `action:${item.actionId}:assigned:${person.id}`,
      now: item.now,
    });
  }
}

/** Items' owners as this viewer may see them: people by the name the privacy rules allow, organizations by name. */
export async function ownerNames(db: Executor, actionIds: number[], viewer: ActionViewer): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (actionIds.length === 0) return names;
  const rows = await db
    .selectFrom("action_owners")
    .innerJoin("action_items", "action_items.id", "action_owners.action_id")
    .leftJoin("organizations", "organizations.id", "action_owners.organization_id")
    .select(["action_owners.action_id", "action_owners.person_id", "action_items.convening_id", "organizations.name as organization"])
    .where("action_owners.action_id", "in", actionIds)
    .orderBy("action_owners.id")
    .execute();
  const nameOf = await participantNames(db, rows.map((r) => ({ conveningId: r.convening_id, personId: r.person_id })), viewer);
  for (const row of rows) {
    const name = row.person_id !== null ? nameOf(row.convening_id, row.person_id) : (row.organization ?? "");
    names.set(row.action_id, [...(names.get(row.action_id) ?? []), name]);
  }
  return names;
}

/**
 * Whom a viewer may choose as owners of an item of a convening: its confirmed participants (by
 * the name they registered under) and their organizations, as far as the policy lets this viewer:
 * organizers are offered every confirmed participant; anyone else, only if they may see the
 * convening's people themselves, those the directory lists (isListable) and themself.
 */
export async function ownerChoices(db: Executor, conveningId: number, viewer: ActionViewer) {
  const any = canChooseAnyOwner(viewer);
  if (!any) {
    const there = viewer.id === null ? undefined : (await loadViewersAcross(db, viewer.id, [conveningId])).get(conveningId);
    if (!there || !canSeePeople(there)) return { people: [], organizations: [] };
  }
  const visible = (eb: ExpressionBuilder<Database, "registrations">) =>
    any ? eb.lit(true) : eb.or([eb("registrations.consent_directory", "=", 1), eb("registrations.person_id", "=", viewer.id ?? 0)]);
  const [people, organizations] = await Promise.all([
    db
      .selectFrom("registrations")
      .select(["person_id as id", "display_name as name"])
      .where("convening_id", "=", conveningId)
      .where("status", "in", [...VETTED_STATUSES])
      .where(visible)
      .orderBy("display_name")
      .execute(),
    db
      .selectFrom("organizations")
      .select(["id", "name"])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("people")
            .innerJoin("registrations", "registrations.person_id", "people.id")
            .select("people.id")
            .whereRef("people.organization_id", "=", "organizations.id")
            .where("registrations.convening_id", "=", conveningId)
            .where("registrations.status", "in", [...VETTED_STATUSES])
            .where((r) => visible(r as unknown as ExpressionBuilder<Database, "registrations">)),
        ),
      )
      .orderBy("name")
      .execute(),
  ]);
  return { people, organizations };
}
