// The one place that decides what name, if any, a viewer may see for a person.
//
// Two kinds of appearance exist:
// - as a facilitator of a session (pages, agenda, feeds, schedule files, mails to others): the
//   label the person chose for that session, else the label they chose for the convening, else
//   their chosen public name; never a full name or an address;
// - as a participant (directory, owners and authors of action items and notes): the name they
//   registered under, and only where they agreed to be listed with a vetted registration, to a
//   viewer who may see the convening's people (registration policy: canSeePeople, isListable);
//   the person themself and the organizers see it always.
// A deleted account has no name anywhere: "a facilitator" / "a participant" stand in for it.
import { inTransaction, type Executor } from "../../platform/db.server";
import { fixedT } from "../../platform/i18n/i18next.server";
import { canSeePeople, isListable, type PeopleViewer } from "../registration/policy";
import { loadViewersAcross } from "../registration/viewer.server";
import { writeAudit } from "../../platform/audit.server";

/** Who asks to see a participant's name: the person (or null) and what the people rules read. */
export type NameViewer = { id: number | null } & PeopleViewer;

export interface FacilitatorIdentity {
  sessionLabel: string | null;
  conveningLabel: string | null;
  publicName: string | null;
  deleted: boolean;
}

/** The name a facilitator appears under for everyone, or null when only "a facilitator" may be said. */
export function facilitatorName(f: FacilitatorIdentity): string | null {
  if (f.deleted) return null;
  return f.sessionLabel ?? f.conveningLabel ?? f.publicName ?? null;
}

export interface ParticipantIdentity {
  personId: number;
  /** the name they registered under for this convening, else their public name */
  name: string | null;
  /** may be listed in this convening's directory: agreed, with a vetted registration (isListable) */
  listed: boolean;
  deleted: boolean;
}

/** The name a participant appears under for this viewer, or null when only "a participant" may be said. */
export function participantName(p: ParticipantIdentity, viewer: NameViewer): string | null {
  if (p.deleted || !p.name) return null;
  if (viewer.organizer || viewer.id === p.personId) return p.name;
  return canSeePeople(viewer) && p.listed ? p.name : null;
}

/**
 * The name the check-in desk calls a registrant by, for its organizers and volunteers alike: the
 * name they registered under for this convening (never their full name unless it is the one they
 * chose), or null for a deleted account.
 */
export function deskName(p: { registeredName: string; deleted: boolean }): string | null {
  return p.deleted ? null : p.registeredName;
}

export function unnamedFacilitator(language?: string): string {
  return fixedT(language)("privacy.aFacilitator");
}

export function unnamedParticipant(language?: string): string {
  return fixedT(language)("privacy.aParticipant");
}

export interface FacilitatorName {
  proposalId: number;
  personId: number | null;
  role: "proposer" | "co";
  name: string;
}

/** Every accepted facilitator of these sessions with the name the public may see, in display order. */
export async function facilitatorRows(db: Executor, proposalIds: number[], language?: string): Promise<FacilitatorName[]> {
  if (proposalIds.length === 0) return [];
  const rows = await db
    .selectFrom("facilitators")
    .innerJoin("proposals", "proposals.id", "facilitators.proposal_id")
    .innerJoin("people", "people.id", "facilitators.person_id")
    .leftJoin("facilitation_labels", (join) =>
      join.onRef("facilitation_labels.convening_id", "=", "proposals.convening_id").onRef("facilitation_labels.person_id", "=", "facilitators.person_id"),
    )
    .select([
      "facilitators.proposal_id",
      "facilitators.person_id",
      "facilitators.role",
      "facilitators.anonymous_label",
      "facilitation_labels.label as convening_label",
      "people.public_name",
      "people.deleted_at",
    ])
    .where("facilitators.proposal_id", "in", proposalIds)
    .where("facilitators.status", "=", "accepted")
    .orderBy("facilitators.proposal_id")
    .orderBy("facilitators.role", "desc")
    .orderBy("facilitators.id")
    .execute();
  const fallback = unnamedFacilitator(language);
  return rows.map((r) => ({
    proposalId: r.proposal_id,
    personId: r.person_id,
    role: r.role,
    name:
      facilitatorName({ sessionLabel: r.anonymous_label, conveningLabel: r.convening_label, publicName: r.public_name, deleted: r.deleted_at !== null }) ??
      fallback,
  }));
}

/** Facilitators' names by session, as anyone may see them. */
export async function facilitatorNames(db: Executor, proposalIds: number[], language?: string): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  for (const row of await facilitatorRows(db, proposalIds, language)) map.set(row.proposalId, [...(map.get(row.proposalId) ?? []), row.name]);
  return map;
}

/** The name one person shows as a facilitator of one session (for mails to their co-facilitators). */
export async function facilitatorNameOf(db: Executor, proposalId: number, personId: number, language?: string): Promise<string> {
  const row = await db
    .selectFrom("people")
    .innerJoin("proposals", (join) => join.on("proposals.id", "=", proposalId))
    .leftJoin("facilitators", (join) => join.onRef("facilitators.proposal_id", "=", "proposals.id").onRef("facilitators.person_id", "=", "people.id"))
    .leftJoin("facilitation_labels", (join) =>
      join.onRef("facilitation_labels.convening_id", "=", "proposals.convening_id").onRef("facilitation_labels.person_id", "=", "people.id"),
    )
    .select(["facilitators.anonymous_label", "facilitation_labels.label", "people.public_name", "people.deleted_at"])
    .where("people.id", "=", personId)
    .executeTakeFirst();
  const name = row
    ? facilitatorName({ sessionLabel: row.anonymous_label, conveningLabel: row.label, publicName: row.public_name, deleted: row.deleted_at !== null })
    : null;
  return name ?? unnamedFacilitator(language);
}

export type NameLookup = (conveningId: number, personId: number | null) => string;

/**
 * Participants' names as this viewer may see them, for people appearing in given convenings
 * (owners and authors of action items and notes). The viewer is taken as they stand in each of
 * those convenings (organizer there, or their registration's status); `organizer: true` says the
 * caller already knows them to organize. Four queries, whatever the number of people.
 */
export async function participantNames(
  db: Executor,
  refs: Array<{ conveningId: number; personId: number | null }>,
  viewer: { id: number | null; organizer: boolean },
  language?: string,
): Promise<NameLookup> {
  const personIds = [...new Set(refs.map((r) => r.personId).filter((id): id is number => id !== null))];
  const conveningIds = [...new Set(refs.map((r) => r.conveningId))];
  const [people, registrations, across] = personIds.length
    ? await Promise.all([
        db.selectFrom("people").select(["id", "public_name", "deleted_at"]).where("id", "in", personIds).execute(),
        db
          .selectFrom("registrations")
          .select(["person_id", "convening_id", "display_name", "consent_directory", "status"])
          .where("person_id", "in", personIds)
          .where("convening_id", "in", conveningIds)
          .execute(),
        viewer.id === null ? new Map<number, PeopleViewer>() : loadViewersAcross(db, viewer.id, conveningIds),
      ])
    : [[], [], new Map<number, PeopleViewer>()];
  const person = new Map(people.map((p) => [p.id, p]));
  const registration = new Map(registrations.map((r) => [`${r.convening_id}:${r.person_id}`, r]));
  const fallback = unnamedParticipant(language);
  return (conveningId, personId) => {
    const p = personId === null ? undefined : person.get(personId);
    if (!p || personId === null) return fallback;
    const r = registration.get(`${conveningId}:${personId}`);
    const there = across.get(conveningId);
    const name = participantName(
      { personId, name: r?.display_name ?? p.public_name, listed: r !== undefined && isListable(r), deleted: p.deleted_at !== null },
      { id: viewer.id, organizer: viewer.organizer || (there?.organizer ?? false), registration: there?.registration ?? null },
    );
    return name ?? fallback;
  };
}

/** The labels some people chose to facilitate under at a convening, by person. */
export async function facilitationLabels(db: Executor, conveningId: number, personIds: number[]): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom("facilitation_labels").select(["person_id", "label"]).where("convening_id", "=", conveningId).where("person_id", "in", personIds).execute();
  return new Map(rows.map((r) => [r.person_id, r.label]));
}

/** The label a person chose to facilitate under at a convening, if any. */
export async function getFacilitationLabel(db: Executor, conveningId: number, personId: number): Promise<string | null> {
  const row = await db.selectFrom("facilitation_labels").select("label").where("convening_id", "=", conveningId).where("person_id", "=", personId).executeTakeFirst();
  return row?.label ?? null;
}

/** Chooses (label) or stops (null) facilitating anonymously at a convening. */
export async function setFacilitationLabel(db: Executor, input: { conveningId: number; personId: number; label: string | null; now?: Date }): Promise<void> {
  const at = (input.now ?? new Date()).toISOString();
  await inTransaction(db, async (trx) => {
    if (input.label === null) {
      await trx.deleteFrom("facilitation_labels").where("convening_id", "=", input.conveningId).where("person_id", "=", input.personId).execute();
    } else {
      await trx
        .insertInto("facilitation_labels")
        .values({ convening_id: input.conveningId, person_id: input.personId, label: input.label, updated_at: at })
        .onConflict((oc) => oc.columns(["convening_id", "person_id"]).doUpdateSet({ label: input.label!, updated_at: at }))
        .execute();
    }
    await trx.updateTable("convenings").set((eb) => ({ names_version: eb("names_version", "+", 1) })).where("id", "=", input.conveningId).execute();
    await writeAudit(trx, {
      actorId: input.personId,
      action: input.label === null ? "facilitation.named" : "facilitation.anonymous",
      subjectType: "person",
      subjectId: input.personId,
      conveningId: input.conveningId,
      now: input.now,
    });
  });
}
