// Real rows through the real domain functions, for tests: people, convenings with their six
// tracks, registrations and proposals in a given status, and agendas (rooms, slots, placements,
// a published version). Only what no domain function does (an organizer role for one convening)
// is inserted directly. Each factory takes the database (or a transaction) first; unique values
// (emails, slugs) come from one counter, so two calls never collide.
import { placeSession } from "../app/modules/agenda/placements.server";
import { publishAgenda } from "../app/modules/agenda/publish.server";
import { addRoom, addSlot } from "../app/modules/agenda/setup.server";
import { createConvening, listTracks, type NewConveningInput } from "../app/modules/convenings/convenings.server";
import { findOrCreatePerson, updateProfile } from "../app/modules/people/people.server";
import type { ProfileInput } from "../app/modules/people/schema";
import { createProposal, offeredFormats, offeredLengths } from "../app/modules/proposals/authoring.server";
import { decideProposals, releaseDecisions, releasePreview } from "../app/modules/proposals/decisions.server";
import { respondToInvitation } from "../app/modules/proposals/invitations.server";
import type { ProposalInput } from "../app/modules/proposals/schema";
import { updateCfpSettings } from "../app/modules/proposals/settings.server";
import { PENDING_OF, RELEASED_OF, type Decision } from "../app/modules/proposals/states";
import { cancelRegistration, submitRegistration } from "../app/modules/registration/registering.server";
import { decideRegistration } from "../app/modules/registration/decisions.server";
import { updateRegistrationSettings } from "../app/modules/registration/settings.server";
import type { RegistrationInput } from "../app/modules/registration/schema";
import type { Executor } from "../app/platform/db.server";
import type { Proposal, ProposalStatus, Registration, RegistrationStatus, RoomFeature } from "../db/schema";

let counter = 0;
/** A number no earlier call in this test file returned: for emails, slugs and titles. */
export function unique(): number {
  return ++counter;
}

// ---------------------------------------------------------------------------------------------
// People

export interface PersonOptions {
  /** the public name (default "Person <n>") */
  name?: string;
  /** default: `<name>.<n>@<domain>` */
  email?: string;
  /** default "example.org" */
  domain?: string;
  /** default `<name> Fullname`; null for none */
  fullName?: string | null;
  organization?: string;
  pronouns?: string;
  constituency?: ProfileInput["constituency"];
  country?: string;
  languages?: string[];
  /** false: the account only, as on first sign-in, with no profile (default true) */
  profile?: boolean;
}

export interface TestPerson {
  id: number;
  email: string;
  name: string;
}

/** A person with a completed profile (findOrCreatePerson, updateProfile). */
export async function person(db: Executor, options: PersonOptions = {}): Promise<TestPerson> {
  const n = unique();
  const name = options.name ?? `Person ${n}`;
  const local = name.toLowerCase().replace(/[^a-z0-9]+/g, "") || "person";
  const email = (options.email ?? `${local}.${n}@${options.domain ?? "example.org"}`).toLowerCase();
  const { id } = await findOrCreatePerson(db, email);
  if (options.profile !== false) {
    await updateProfile(db, id, {
      publicName: name,
      fullName: options.fullName === null ? undefined : (options.fullName ?? `${name} Fullname`),
      pronouns: options.pronouns,
      organization: options.organization,
      constituency: options.constituency,
      country: options.country,
      languages: options.languages ?? [],
    });
  }
  return { id, email, name };
}

/** Makes the person an organizer of this convening. No domain function grants this role (the pages and the command line grant site-wide organizers), so it is inserted. */
export async function organizerRole(db: Executor, conveningId: number, personId: number, options: { readsSensitive?: boolean } = {}): Promise<void> {
  const readsSensitive = options.readsSensitive ?? true;
  await db.insertInto("roles").values({ person_id: personId, convening_id: conveningId, role: "organizer", track_id: null, reads_sensitive: readsSensitive ? 1 : 0, created_at: new Date().toISOString() }).execute();
}

// ---------------------------------------------------------------------------------------------
// Convenings

export interface RegistrationSettings {
  opensAt?: string | null;
  closesAt?: string | null;
  capacity?: number | null;
  approvalRequired?: boolean;
  retentionOn?: string | null;
  now?: Date;
}

export interface CfpSettings {
  /** default "2027-01-01T00:00:00.000Z" */
  opensAt?: string | null;
  /** default "2027-03-01T00:00:00.000Z" */
  closesAt?: string | null;
  formats?: ProposalInput["format"][];
  lengths?: number[];
  reviewAnonymous?: boolean;
  interestOpen?: boolean;
  now?: Date;
}

export interface ConveningOptions extends Partial<NewConveningInput> {
  /** the organizer, given the convening's organizer role; default: a new person "Organizer" */
  organizerId?: number;
  /** applied through updateRegistrationSettings when given (missing fields: open, no limit, no approval) */
  registration?: RegistrationSettings;
  /** applied through updateCfpSettings when given (missing fields: the defaults above, workshops of 60 minutes) */
  cfp?: CfpSettings;
}

export interface TestConvening {
  id: number;
  slug: string;
  title: string;
  organizerId: number;
  /** the six tracks in their order, as createConvening makes them */
  tracks: Array<{ id: number; slug: string; name: string }>;
  trackIds: number[];
  /** the track's id by its name ("Sex work", "HIV/AIDS", ...) */
  track(name: string): number;
}

const OPEN_SINCE = "2020-01-01T00:00:00.000Z";

/**
 * A convening (createConvening, published unless told otherwise: 1 to 3 June 2027 in Lisbon)
 * with its six tracks, an organizer, and the registration and call settings asked for.
 */
export async function convening(db: Executor, options: ConveningOptions = {}): Promise<TestConvening> {
  const { organizerId: givenOrganizer, registration, cfp, ...fields } = options;
  const n = unique();
  const input: NewConveningInput = {
    slug: `convening-${n}`,
    title: "Test Meeting",
    startsOn: "2027-06-01",
    endsOn: "2027-06-03",
    timeZone: "Europe/Lisbon",
    status: "published",
    ...fields,
  };
  const id = await createConvening(db, input);
  const organizerId = givenOrganizer ?? (await person(db, { name: "Organizer" })).id;
  await organizerRole(db, id, organizerId);
  // Registration is open since long ago unless a test says otherwise (a window with no opening
  // keeps the form closed).
  if (registration) {
    await updateRegistrationSettings(db, {
      conveningId: id,
      organizerId,
      opensAt: registration.opensAt === undefined ? OPEN_SINCE : registration.opensAt,
      closesAt: registration.closesAt ?? null,
      capacity: registration.capacity ?? null,
      approvalRequired: registration.approvalRequired ?? false,
      ...(registration.retentionOn !== undefined ? { retentionOn: registration.retentionOn } : {}),
      now: registration.now,
    });
  } else {
    // Set directly: without registration settings asked for, no settings change is audited.
    await db.updateTable("convenings").set({ registration_opens_at: OPEN_SINCE }).where("id", "=", id).execute();
  }
  if (cfp) await cfpSettings(db, id, organizerId, cfp);
  const tracks = (await listTracks(db, id)).map((t) => ({ id: t.id, slug: t.slug, name: t.name }));
  return {
    id,
    slug: input.slug,
    title: input.title,
    organizerId,
    tracks,
    trackIds: tracks.map((t) => t.id),
    track(name) {
      const found = tracks.find((t) => t.name === name);
      if (!found) throw new Error(`no track named ${name}`);
      return found.id;
    },
  };
}

/** Sets the call for proposals of a convening (updateCfpSettings), missing fields from the defaults. */
export async function cfpSettings(db: Executor, conveningId: number, organizerId: number, cfp: CfpSettings = {}): Promise<void> {
  await updateCfpSettings(db, {
    conveningId,
    organizerId,
    opensAt: cfp.opensAt === undefined ? "2027-01-01T00:00:00.000Z" : cfp.opensAt,
    closesAt: cfp.closesAt === undefined ? "2027-03-01T00:00:00.000Z" : cfp.closesAt,
    formats: cfp.formats ?? ["workshop"],
    lengths: cfp.lengths ?? [60],
    reviewAnonymous: cfp.reviewAnonymous ?? false,
    interestOpen: cfp.interestOpen ?? false,
    now: cfp.now,
  });
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registration answers: in person, the given tracks, nothing asked for, no consent given. */
export function registrationAnswers(over: Partial<RegistrationInput> & { tracks: number[] }): RegistrationInput {
  return {
    displayName: "Someone",
    attendance: "in_person",
    languages: [],
    interpretation: [],
    accessNeeds: [],
    consentDirectory: false,
    consentContact: false,
    consentPhotos: false,
    ...over,
  };
}

export interface RegistrationOptions {
  conveningId: number;
  personId: number;
  /**
   * The status to reach (default "confirmed"). It is reached through the domain: submitted
   * (pending, confirmed or waitlisted as the convening's rules say), then approved, declined or
   * cancelled as needed; a status the rules do not give (say "confirmed" when the house is full)
   * is an error, not a forced row.
   */
  status?: RegistrationStatus;
  /** default: the person's public name, the convening's first track, in person, no consents */
  answers?: Partial<RegistrationInput>;
  /** who decides (needed to approve or decline); default: the convening's organizer */
  organizerId?: number;
  message?: string;
  now?: Date;
}

export async function registration(db: Executor, options: RegistrationOptions): Promise<Registration> {
  const wanted = options.status ?? "confirmed";
  const { conveningId, personId, now } = options;
  const tracks = options.answers?.tracks ?? [(await listTracks(db, conveningId))[0]!.id];
  const displayName = options.answers?.displayName ?? (await db.selectFrom("people").select("public_name").where("id", "=", personId).executeTakeFirstOrThrow()).public_name ?? "Someone";
  let row = await submitRegistration(db, { conveningId, personId, answers: registrationAnswers({ displayName, ...options.answers, tracks }), now });
  if (row.status === wanted) return row;
  const organizerId = options.organizerId ?? (await conveningOrganizer(db, conveningId));
  if (wanted === "cancelled") {
    row = await cancelRegistration(db, { conveningId, personId, now });
  } else if (wanted === "declined") {
    row = await decideRegistration(db, { conveningId, registrationId: row.id, organizerId, decision: "decline", message: options.message, now });
  } else if (row.status === "pending" && (wanted === "confirmed" || wanted === "waitlisted")) {
    row = await decideRegistration(db, { conveningId, registrationId: row.id, organizerId, decision: "approve", now });
  }
  if (row.status !== wanted) throw new Error(`the registration is ${row.status}, not ${wanted}: the convening's rules do not give that status here`);
  return row;
}

async function conveningOrganizer(db: Executor, conveningId: number): Promise<number> {
  const role = await db.selectFrom("roles").select("person_id").where("convening_id", "=", conveningId).where("role", "=", "organizer").orderBy("id").executeTakeFirst();
  if (!role) throw new Error("the convening has no organizer: pass organizerId");
  return role.person_id;
}

/** A person (as `person`) registered for the convening (as `registration`, default confirmed). */
export async function participant(db: Executor, conveningId: number, options: PersonOptions & Omit<RegistrationOptions, "conveningId" | "personId"> = {}): Promise<TestPerson> {
  const { status, answers, organizerId, message, now, ...personOptions } = options;
  const made = await person(db, personOptions);
  await registration(db, { conveningId, personId: made.id, status, answers, organizerId, message, now });
  return made;
}

// ---------------------------------------------------------------------------------------------
// Proposals

export interface ProposalOptions {
  conveningId: number;
  proposerId: number;
  /**
   * The status to reach (default "submitted"): "draft"; "submitted"; a held decision
   * ("pending_accepted", "pending_declined", "pending_waitlisted") through decideProposals; a
   * released one ("accepted", "declined", "waitlisted") through decideProposals then
   * releaseDecisions, which releases every held decision of the convening, as organizers do, and
   * confirms sessions whose facilitators are all registered; "confirmed" as accepted, failing if
   * a facilitator is not registered.
   */
  status?: ProposalStatus;
  /** default: title "Session <n>", abstract "<title> abstract", the convening's first format, length and track */
  answers?: Partial<ProposalInput>;
  /** people who are invited as co-facilitators and accept, through their invitation mail */
  facilitators?: number[];
  /** who decides; default: the convening's organizer */
  organizerId?: number;
  /** the organizers' message with the decision */
  message?: string;
  now?: Date;
}

export async function proposal(db: Executor, options: ProposalOptions): Promise<Proposal> {
  const wanted = options.status ?? "submitted";
  const { conveningId, now } = options;
  const offer = await db.selectFrom("convenings").select(["cfp_formats", "cfp_lengths"]).where("id", "=", conveningId).executeTakeFirstOrThrow();
  const title = options.answers?.title ?? `Session ${unique()}`;
  const coEmails = options.facilitators?.length
    ? (await db.selectFrom("people").select(["id", "email"]).where("id", "in", options.facilitators).execute()).map((p) => p.email)
    : [];
  const answers: ProposalInput = {
    title,
    abstract: `${title} abstract`,
    description: "",
    format: offeredFormats(offer)[0]!,
    length: offeredLengths(offer)[0]!,
    primaryTrack: (await listTracks(db, conveningId))[0]!.id,
    linkedTracks: [],
    languages: [],
    needs: [],
    ...options.answers,
    coFacilitators: [...(options.answers?.coFacilitators ?? []), ...coEmails],
  };
  const created = await createProposal(db, { conveningId, proposerId: options.proposerId, answers, submit: wanted !== "draft", now });
  if (options.facilitators?.length) await acceptInvitations(db, created.id, options.facilitators, now);
  if (wanted === "draft" || wanted === "submitted") return created;

  const decision = (Object.keys(PENDING_OF) as Decision[]).find((d) => PENDING_OF[d] === wanted || d === wanted || (wanted === "confirmed" && d === "accepted"));
  if (!decision) throw new Error(`the proposal factory cannot reach ${wanted}`);
  const organizerId = options.organizerId ?? (await conveningOrganizer(db, conveningId));
  await decideProposals(db, { conveningId, organizerId, ids: [created.id], decision, message: options.message, now });
  if (!RELEASED_OF[wanted]) await releaseDecisions(db, { conveningId, organizerId, fingerprint: (await releasePreview(db, conveningId)).fingerprint, now });
  const row = await db.selectFrom("proposals").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
  const expected = wanted === "accepted" ? ["accepted", "confirmed"] : [wanted];
  if (!expected.includes(row.status)) throw new Error(`the proposal is ${row.status}, not ${wanted}`);
  return row;
}

/** Each person accepts their invitation to facilitate, with the token from the mail they were sent. */
async function acceptInvitations(db: Executor, proposalId: number, personIds: number[], now?: Date): Promise<void> {
  const people = await db.selectFrom("people").select(["id", "email"]).where("id", "in", personIds).execute();
  for (const { id, email } of people) {
    const invited = await db.selectFrom("facilitators").select("id").where("proposal_id", "=", proposalId).where("email", "=", email).executeTakeFirst();
    const mail = invited && (await db.selectFrom("mail_outbox").select("text_body").where("dedupe_key", "=", `facilitator:${invited.id}:invitation`).executeTakeFirst());
    const token = mail && /invitations\/([A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
    if (!token) throw new Error(`no invitation was mailed to ${email}: co-facilitators are invited once the proposal is submitted`);
    await respondToInvitation(db, { token, personId: id, accept: true, now });
  }
}

// ---------------------------------------------------------------------------------------------
// Agendas

export interface AgendaOptions {
  conveningId: number;
  /** default: the convening's organizer */
  organizerId?: number;
  rooms?: Array<{ name?: string; capacity?: number; features?: RoomFeature[] }>;
  /** local date and time in the convening's zone; minutes default 60 */
  slots?: Array<{ date: string; time: string; minutes?: number }>;
  /** `slot` and `room` are positions in the slots and rooms given here */
  placements?: Array<{ proposalId: number; slot: number; room: number; pinned?: boolean }>;
  /** publish a version once placed (publishAgenda), with this note */
  publish?: boolean | { note?: string; now?: Date };
}

export interface TestAgenda {
  rooms: number[];
  slots: number[];
  /** the number of the version published, or null */
  version: number | null;
}

/** Rooms, slots and placements through addRoom, addSlot and placeSession, then a published version if asked. */
export async function agenda(db: Executor, options: AgendaOptions): Promise<TestAgenda> {
  const { conveningId } = options;
  const organizerId = options.organizerId ?? (await conveningOrganizer(db, conveningId));
  const rooms: number[] = [];
  for (const room of options.rooms ?? []) {
    rooms.push(await addRoom(db, { conveningId, organizerId, name: room.name ?? `Room ${unique()}`, capacity: room.capacity ?? 30, features: room.features ?? [] }));
  }
  const slots: number[] = [];
  for (const slot of options.slots ?? []) slots.push(await addSlot(db, { conveningId, organizerId, date: slot.date, time: slot.time, minutes: slot.minutes ?? 60 }));
  for (const p of options.placements ?? []) {
    const slotId = slots[p.slot];
    const roomId = rooms[p.room];
    if (slotId === undefined || roomId === undefined) throw new Error(`no slot ${p.slot} or room ${p.room} among those given`);
    await placeSession(db, { conveningId, organizerId, proposalId: p.proposalId, slotId, roomId, pinned: p.pinned });
  }
  let version: number | null = null;
  if (options.publish) {
    const { note = "", now } = options.publish === true ? {} : options.publish;
    version = (await publishAgenda(db, { conveningId, organizerId, note, now })).number;
  }
  return { rooms, slots, version };
}
