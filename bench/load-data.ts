// The load benchmark's convening: participants, sessions on a published agenda, interest marks,
// notes and action items, at a given size. The frame (convening, settings, rooms, slots, fixed
// items, publishing, feed tokens, sign-in sessions) goes through the domain functions; the bulk
// rows (people, registrations, proposals, facilitators, placements, marks, action items) are
// inserted with batched multi-row inserts, one transaction per table, as no domain function
// writes thousands of rows at once.
import type { Insertable } from "kysely";
import { sql } from "kysely";
import type { AccessNeed, ActionStatus, Constituency, Database, ProposalStatus, SessionFormat } from "../db/schema";
import { publishAgenda } from "../app/modules/agenda/publish.server";
import { addFixedItem, addRoom, addSlot } from "../app/modules/agenda/setup.server";
import { random } from "../app/lib/random";
import { csrfToken } from "../app/modules/auth/csrf.server";
import { addSiteOrganizer } from "../app/modules/auth/roles.server";
import { createSession } from "../app/modules/auth/session.server";
import { feedToken } from "../app/modules/calendar/feeds.server";
import { createConvening, listTracks } from "../app/modules/convenings/convenings.server";
import { updateProfile } from "../app/modules/people/people.server";
import { updateRegistrationSettings } from "../app/modules/registration/settings.server";
import { CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH } from "../app/modules/registration/check-in-code";
import { kindOf, type DB, type Executor } from "../app/platform/db.server";

export interface LoadSize {
  participants: number;
  sessions: number;
  actionItems: number;
}

export interface LoadFixture {
  slug: string;
  conveningId: number;
  trackIds: number[];
  /** the published sessions */
  sessionIds: number[];
  /** Cookie headers (session and anti-forgery cookie) */
  organizer: string;
  /** registered participants with interest marks, each with their Cookie header and feed token */
  participants: Array<{ cookie: string; feedToken: string }>;
  /** people with a complete profile who have not registered yet: Cookie header and form token */
  newcomers: Array<{ cookie: string; csrf: string }>;
  rows: Record<string, number>;
  seconds: number;
  /** seconds spent in each step */
  steps: Record<string, number>;
}

const DOMAIN = "load.example.org";
const SESSION_SLOTS_PER_DAY = 6;
const DAYS = 3;
/** Well under SQLite's 32,766 bound parameters per statement (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 30_000;

const GIVEN = ["Amara", "Luz", "Priya", "Thandi", "Mei", "Joana", "Nadia", "Kofi", "Rosa", "Sven", "Ana", "Lerato", "Dara", "Yuki", "Farah", "Tomás", "River", "Sky", "Jade", "Phoenix"];
const FAMILY = ["Okafor", "Hernández", "Sharma", "Dlamini", "Chen", "Silva", "Haddad", "Mensah", "Ruiz", "Larsen", "Kowalska", "Mokoena", "Nguyen", "Tanaka", "Aziz", "Oliveira"];
const COUNTRIES = ["Kenya", "South Africa", "Thailand", "India", "Brazil", "Mexico", "Argentina", "Germany", "Netherlands", "Portugal", "United States", "Canada", "Philippines", "Nigeria", "Colombia", "Ukraine", "Spain", "New Zealand"];
const LANGUAGES = [["English"], ["English", "Español"], ["Português", "English"], ["English", "Kiswahili"], ["Français", "English"], ["English", "ภาษาไทย"], ["Español"], ["English", "Русский"]];
const CONSTITUENCIES: Array<Constituency | null> = ["sex_worker_or_community_member", "advocate", "service_provider", "sex_worker_or_community_member", "researcher", "advocate", "donor", null, "service_provider", "other"];
const FORMATS: SessionFormat[] = ["workshop", "panel", "roundtable", "caucus", "skill_share"];
const TOPICS = [
  "Decriminalisation campaigns",
  "Sex worker-led research ethics",
  "Digital safety for sex workers",
  "Survivor-centred anti-trafficking policy",
  "Supply-chain trafficking beyond the sex industry",
  "PrEP access for sex workers",
  "Community-led HIV testing",
  "HIV and migrant health coverage",
  "Trans sex workers' rights",
  "LGBTQ asylum seekers",
  "Queer organising across borders",
  "Domestic workers organising",
  "Labour inspections without deportations",
  "Temporary visas and worker exploitation",
  "Abortion access across borders",
  "Reproductive health for sex workers",
  "Self-managed abortion and the law",
  "Bodily autonomy as a common frame",
];
const ITEMS = [
  "Draft a joint letter to the health ministry",
  "Collect testimonies for the shadow report",
  "Translate the digital safety guide",
  "Map legal clinics that help survivors",
  "Hold a call with donors on funding cuts",
  "Publish media guidance on trafficking language",
  "Organise a regional meeting",
  "Write the position paper on labour inspections",
];

/** Inserts rows in multi-row statements of at most MAX_PARAMETERS values each. */
async function insertAll<T extends keyof Database & string>(db: Executor, table: T, rows: Array<Insertable<Database[T]>>): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const batch = Math.max(1, Math.min(2_000, Math.floor(MAX_PARAMETERS / perRow)));
  for (let i = 0; i < rows.length; i += batch) {
    await db.insertInto(table).values(rows.slice(i, i + batch) as any).execute();
  }
}

function inTransaction<T>(db: DB, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

const day = (now: Date, offset: number) => new Date(now.getTime() + offset * 86_400_000);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;

async function signedIn(db: Executor, personId: number): Promise<{ cookie: string; csrf: string }> {
  const session = cookiePair(await createSession(db, personId));
  const { token, setCookie } = await csrfToken(new Request("http://127.0.0.1/"));
  return { cookie: `${session}; ${cookiePair(setCookie!)}`, csrf: token };
}

/**
 * Builds the convening in an empty, migrated database. `signedInParticipants` participants get a
 * session and a feed token; `newcomers` unregistered people get a session and a form token.
 */
export async function generateConvening(db: DB, size: LoadSize, options: { newcomers: number; signedInParticipants: number; slug?: string }): Promise<LoadFixture> {
  const started = performance.now();
  const steps: Record<string, number> = {};
  let stepStarted = started;
  const step = (name: string) => {
    const at = performance.now();
    steps[name] = Number(((at - stepStarted) / 1000).toFixed(1));
    stepStarted = at;
  };
  const now = new Date();
  const rnd = random(20_270_614 + size.participants);
  const slug = options.slug ?? `load-${size.participants}`;
  const startsOn = day(now, 60);
  const endsOn = day(now, 60 + DAYS - 1);

  const { personId: organizerId } = await addSiteOrganizer(db, `organizer@${DOMAIN}`, null, now);
  await updateProfile(db, organizerId, { publicName: "Organizing team", fullName: "Load Organizer", languages: ["English"] }, now);
  const conveningId = await createConvening(
    db,
    { slug, title: `Annual Strategy Meeting (${size.participants.toLocaleString("en")} participants)`, description: "A large meeting for the load benchmark.", startsOn: isoDay(startsOn), endsOn: isoDay(endsOn), timeZone: "Europe/Lisbon", locale: "en-GB", venue: "Centro de Congressos, Lisbon", status: "published" },
    organizerId,
    now,
  );
  const trackIds = (await listTracks(db, conveningId)).map((t) => t.id);

  // Organizations and people: the participants, then the newcomers who register during the run.
  const organizationCount = Math.max(5, Math.round(size.participants / 25));
  await inTransaction(db, (trx) =>
    insertAll(trx, "organizations", Array.from({ length: organizationCount }, (_, i) => ({ name: `Organization ${i + 1}`, name_key: `organization ${i + 1}`, created_at: now.toISOString() }))),
  );
  const organizationIds = (await db.selectFrom("organizations").select("id").where("name_key", "like", "organization %").orderBy("id").execute()).map((o) => o.id);
  const nameOf = (i: number) => `${GIVEN[i % GIVEN.length]!} ${FAMILY[(i * 7 + Math.floor(i / GIVEN.length)) % FAMILY.length]!.charAt(0)}.`;
  const people = size.participants + options.newcomers;
  await inTransaction(db, (trx) =>
    insertAll(
      trx,
      "people",
      Array.from({ length: people }, (_, i) => ({
        email: i < size.participants ? `participant${i + 1}@${DOMAIN}` : `newcomer${i - size.participants + 1}@${DOMAIN}`,
        full_name: i % 5 === 2 ? null : `${GIVEN[i % GIVEN.length]!} ${FAMILY[(i * 7) % FAMILY.length]!}`,
        public_name: nameOf(i),
        pronouns: i % 3 === 0 ? "they/them" : null,
        organization_id: i % 9 === 4 ? null : organizationIds[i % organizationIds.length]!,
        constituency: CONSTITUENCIES[i % CONSTITUENCIES.length]!,
        country: COUNTRIES[(i * 5) % COUNTRIES.length]!,
        languages: JSON.stringify(LANGUAGES[i % LANGUAGES.length]),
        profile_completed_at: day(now, -90).toISOString(),
        created_at: day(now, -90).toISOString(),
        updated_at: day(now, -90).toISOString(),
      })),
    ),
  );
  const idByEmail = new Map((await db.selectFrom("people").select(["id", "email"]).where("email", "like", `%@${DOMAIN}`).execute()).map((p) => [p.email, p.id]));
  const participantIds = Array.from({ length: size.participants }, (_, i) => idByEmail.get(`participant${i + 1}@${DOMAIN}`)!);
  const newcomerIds = Array.from({ length: options.newcomers }, (_, i) => idByEmail.get(`newcomer${i + 1}@${DOMAIN}`)!);
  step("people");

  // Registrations: most confirmed, a few cancelled, declined or waiting; the house is full, so
  // newcomers coming in person join the waitlist and remote ones are confirmed.
  const statusOf = (i: number, remote: boolean) => {
    const r = i % 50;
    if (r < 2) return "cancelled" as const;
    if (r === 2) return "declined" as const;
    if (r < 5 && !remote) return "waitlisted" as const;
    return "confirmed" as const;
  };
  const registrations = participantIds.map((personId, i) => {
    const remote = i % 7 === 3;
    const at = new Date(now.getTime() - 60 * 86_400_000 + Math.floor((i / size.participants) * 59 * 86_400_000)).toISOString();
    const accessNeeds: AccessNeed[] = i % 10 === 1 ? ["step_free"] : i % 13 === 5 ? ["captioning", "quiet_room"] : [];
    return {
      convening_id: conveningId,
      person_id: personId,
      status: statusOf(i, remote),
      attendance: remote ? ("remote" as const) : ("in_person" as const),
      display_name: nameOf(i),
      pronouns: i % 3 === 0 ? "they/them" : null,
      organization: i % 9 === 4 ? null : `Organization ${(i % organizationIds.length) + 1}`,
      constituency: CONSTITUENCIES[i % CONSTITUENCIES.length]!,
      country: COUNTRIES[(i * 5) % COUNTRIES.length]!,
      languages: JSON.stringify(LANGUAGES[i % LANGUAGES.length]),
      interpretation: JSON.stringify(i % 8 === 6 ? ["Español"] : []),
      access_needs: JSON.stringify(accessNeeds),
      access_other: i % 17 === 9 ? "Rest breaks every hour" : null,
      dietary: i % 5 === 0 ? "Vegetarian" : null,
      support_requested: i % 4 === 1 ? 1 : 0,
      support_reason: i % 4 === 1 ? "Travel from outside Europe; our collective has no travel budget." : null,
      emergency_contact: i % 3 === 2 ? `Contact ${i + 1}, +351 900 000 000` : null,
      consent_directory: i % 4 === 2 ? 0 : 1,
      consent_contact: i % 3 === 0 ? 1 : 0,
      consent_photos: i % 5 < 2 ? 1 : 0,
      queued_at: at,
      // distinct per registration: the index written in the check-in alphabet
      check_in_code: Array.from({ length: CHECK_IN_CODE_LENGTH }, (_, d) => CHECK_IN_ALPHABET[Math.floor(i / CHECK_IN_ALPHABET.length ** d) % CHECK_IN_ALPHABET.length]).join(""),
      created_at: at,
      updated_at: at,
    };
  });
  await inTransaction(db, (trx) => insertAll(trx, "registrations", registrations));
  const registrationRows = await db.selectFrom("registrations").select(["id", "person_id"]).where("convening_id", "=", conveningId).execute();
  const registrationOf = new Map(registrationRows.map((r) => [r.person_id, r.id]));
  await inTransaction(db, (trx) =>
    insertAll(
      trx,
      "registration_tracks",
      participantIds.flatMap((personId, i) => [...new Set([trackIds[i % 6]!, ...(i % 3 === 0 ? [trackIds[(i + 2) % 6]!] : [])])].map((track_id) => ({ registration_id: registrationOf.get(personId)!, track_id }))),
    ),
  );
  const confirmed = participantIds.filter((_, i) => registrations[i]!.status === "confirmed");
  const capacity = registrations.filter((r) => r.status === "confirmed" && r.attendance === "in_person").length;
  await updateRegistrationSettings(db, { conveningId, organizerId, opensAt: day(now, -60).toISOString(), closesAt: day(now, 40).toISOString(), capacity, approvalRequired: false, now });
  step("registrations");

  // Proposals: the sessions (confirmed, every facilitator registered) and a quarter more that
  // were declined, waitlisted or withdrawn.
  const extra = Math.floor(size.sessions / 4);
  const proposalStatus = (k: number): ProposalStatus => (k < size.sessions ? "confirmed" : (["declined", "waitlisted", "withdrawn"] as const)[k % 3]!);
  // Every facilitator distinct where there are enough people, so the published agenda breaks no
  // hard rule (publishing refuses one that does).
  const proposerOf = (k: number) => confirmed[k % confirmed.length]!;
  const coOf = (k: number) => (k % 3 === 1 ? confirmed[(k + size.sessions) % confirmed.length]! : null);
  const titleOf = (k: number) => `${TOPICS[k % TOPICS.length]!} ${Math.floor(k / TOPICS.length) + 1}`;
  await inTransaction(db, (trx) =>
    insertAll(
      trx,
      "proposals",
      Array.from({ length: size.sessions + extra }, (_, k) => {
        const abstract = `${titleOf(k)}: campaigners, researchers and community members compare what worked this year, what failed, and what to do together next.`;
        return {
          convening_id: conveningId,
          proposer_id: proposerOf(k),
          status: proposalStatus(k),
          title: titleOf(k),
          abstract,
          description: `${abstract} The session runs in three parts: short inputs from each region, small-group work on the obstacles each group meets, and agreeing on next steps for joint action across tracks. Interpretation is available on request; materials are shared in advance.`,
          format: FORMATS[k % FORMATS.length]!,
          length_minutes: k % 3 === 0 ? 90 : 60,
          primary_track_id: trackIds[k % 6]!,
          languages: JSON.stringify(k % 5 === 2 ? ["English", "Español"] : ["English"]),
          audience_size: 15 + ((k * 7) % 40),
          needs: JSON.stringify(k % 3 === 0 ? ["projector"] : []),
          submitted_at: day(now, -120).toISOString(),
          created_at: day(now, -125).toISOString(),
          updated_at: day(now, -100).toISOString(),
        };
      }),
    ),
  );
  const proposalRows = await db.selectFrom("proposals").select(["id", "title", "status"]).where("convening_id", "=", conveningId).orderBy("id").execute();
  const proposalIds = proposalRows.map((p) => p.id);
  const sessionIds = proposalIds.slice(0, size.sessions);
  await inTransaction(db, async (trx) => {
    await insertAll(
      trx,
      "proposal_tracks",
      proposalIds.flatMap((proposal_id, k) => [
        { proposal_id, track_id: trackIds[k % 6]!, is_primary: 1 },
        ...(k % 3 === 0 ? [{ proposal_id, track_id: trackIds[(k + 2) % 6]!, is_primary: 0 }] : []),
        ...(k % 5 === 0 ? [{ proposal_id, track_id: trackIds[(k + 3) % 6]!, is_primary: 0 }] : []),
      ]),
    );
    await insertAll(
      trx,
      "facilitators",
      proposalIds.flatMap((proposal_id, k) => {
        const co = coOf(k);
        const base = { email: null, invite_token_hash: null, created_at: day(now, -125).toISOString(), responded_at: day(now, -120).toISOString() };
        return [
          { ...base, proposal_id, person_id: proposerOf(k), role: "proposer" as const, status: "accepted" as const, anonymous_label: k % 17 === 5 ? "A community facilitator" : null },
          ...(co !== null && co !== proposerOf(k) ? [{ ...base, proposal_id, person_id: co, role: "co" as const, status: "accepted" as const, anonymous_label: null }] : []),
        ];
      }),
    );
    // A few facilitate under a label they chose for the whole convening.
    const labelled = [...new Set(sessionIds.flatMap((_, k) => (k % 23 === 7 ? [proposerOf(k)] : [])))];
    await insertAll(trx, "facilitation_labels", labelled.map((person_id) => ({ convening_id: conveningId, person_id, label: "Facilitator from a community group", updated_at: now.toISOString() })));
  });
  step("proposals");

  // The agenda's frame, through the domain functions: rooms, six session slots a day around a
  // lunch for the whole venue.
  const slotCount = SESSION_SLOTS_PER_DAY * DAYS;
  const roomCount = Math.ceil(size.sessions / slotCount);
  const base = { conveningId, organizerId };
  const rooms: number[] = [];
  for (let r = 0; r < roomCount; r++) {
    rooms.push(await addRoom(db, { ...base, name: r === 0 ? "Main hall" : `Room ${r}`, capacity: r === 0 ? 400 : 30 + ((r * 17) % 90), features: r % 3 === 0 ? ["step_free", "projector", "interpretation"] : ["step_free", "projector"] }));
  }
  const sessionSlots: number[] = [];
  for (let d = 0; d < DAYS; d++) {
    const date = isoDay(day(startsOn, d));
    for (const [time, minutes] of [["08:30", 90], ["10:15", 90], ["13:15", 90], ["15:00", 90], ["16:45", 90], ["18:30", 90]] as const) {
      sessionSlots.push(await addSlot(db, { ...base, date, time, minutes }));
    }
    const lunch = await addSlot(db, { ...base, date, time: "12:00", minutes: 60 });
    await addFixedItem(db, { ...base, slotId: lunch, roomId: null, title: "Lunch", kind: "meal" });
  }
  await inTransaction(db, (trx) =>
    insertAll(trx, "placements", sessionIds.map((proposal_id, k) => ({ convening_id: conveningId, proposal_id, slot_id: sessionSlots[k % slotCount]!, room_id: rooms[Math.floor(k / slotCount)]!, pinned: 0 }))),
  );
  step("agenda frame");
  await publishAgenda(db, { ...base, note: "First version of the agenda.", now: day(now, -20) });
  step("publishing");

  // Interest marks: about ten per confirmed participant, most on the popular sessions.
  const weights = sessionIds.map((_, k) => 1 / (1 + (k % 13)));
  const cumulative: number[] = [];
  weights.reduce((sum, w, k) => (cumulative[k] = sum + w), 0);
  const total = cumulative[cumulative.length - 1]!;
  const pick = () => {
    const target = rnd() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return sessionIds[lo]!;
  };
  const marks: Array<{ person_id: number; proposal_id: number; created_at: string }> = [];
  for (const [i, personId] of confirmed.entries()) {
    const wanted = Math.min(sessionIds.length, 8 + (i % 5));
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(pick());
    for (const proposal_id of chosen) marks.push({ person_id: personId, proposal_id, created_at: day(now, -15).toISOString() });
  }
  await inTransaction(db, (trx) => insertAll(trx, "interests", marks));
  step("interest marks");

  // A second version: a few sessions swap rooms, so the page shows a changelog and the people
  // who marked them are told.
  const moved = [0, 1, 2].filter((k) => k + slotCount < sessionIds.length).map((k) => [sessionIds[k]!, sessionIds[k + slotCount]!] as const);
  for (const [a, b] of moved) {
    const [pa, pb] = await Promise.all([
      db.selectFrom("placements").select("room_id").where("proposal_id", "=", a).executeTakeFirstOrThrow(),
      db.selectFrom("placements").select("room_id").where("proposal_id", "=", b).executeTakeFirstOrThrow(),
    ]);
    await db.updateTable("placements").set({ room_id: pb.room_id }).where("proposal_id", "=", a).execute();
    await db.updateTable("placements").set({ room_id: pa.room_id }).where("proposal_id", "=", b).execute();
  }
  if (moved.length) await publishAgenda(db, { ...base, note: "Three sessions change rooms.", now: day(now, -10) });
  step("publishing again");

  // Notes and action items from the sessions (and some not tied to one), with owners and updates.
  const itemCount = size.actionItems;
  await inTransaction(db, async (trx) => {
    await insertAll(
      trx,
      "session_notes",
      sessionIds.filter((_, k) => k % 2 === 0).map((proposal_id, n) => ({ proposal_id, author_id: proposerOf(n * 2), text: "We agreed to work on this together across tracks and report back before the next meeting.", created_at: day(now, -5).toISOString() })),
    );
    const statusOfItem = (j: number): ActionStatus => (j % 6 === 0 ? "done" : j % 6 === 1 ? "in_progress" : j % 13 === 2 ? "dropped" : "open");
    await insertAll(
      trx,
      "action_items",
      Array.from({ length: itemCount }, (_, j) => {
        const k = (j * 7) % sessionIds.length;
        return {
          convening_id: conveningId,
          proposal_id: j % 10 === 9 ? null : sessionIds[k]!,
          title: `${ITEMS[j % ITEMS.length]!} (${j + 1})`,
          due_on: isoDay(day(now, -60 + ((j * 37) % 390))),
          visibility: j % 10 === 4 ? ("organizers" as const) : ("group" as const),
          status: statusOfItem(j),
          closing_note: statusOfItem(j) === "dropped" ? "Overtaken by events." : null,
          carried_from: null,
          created_by: j % 10 === 9 ? organizerId : proposerOf(k),
          created_at: day(now, -5).toISOString(),
          updated_at: day(now, -2).toISOString(),
        };
      }),
    );
    const items = await trx.selectFrom("action_items").select(["id", "status", "proposal_id", "created_by"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    await insertAll(
      trx,
      "action_owners",
      items.flatMap((item, j) => [
        ...(j % 3 === 1 ? [] : [{ action_id: item.id, person_id: item.created_by, organization_id: null }]),
        ...(j % 3 === 1 || j % 5 === 0 ? [{ action_id: item.id, person_id: null, organization_id: organizationIds[j % organizationIds.length]! }] : []),
      ]),
    );
    await insertAll(
      trx,
      "action_updates",
      items.flatMap((item, j) => [
        ...(item.status !== "open" ? [{ action_id: item.id, author_id: item.created_by, text: "Status changed at the follow-up call.", status_from: "open" as const, status_to: item.status, at: day(now, -2).toISOString() }] : []),
        ...(j % 4 === 0 ? [{ action_id: item.id, author_id: item.created_by, text: "A first draft is circulating.", status_from: null, status_to: null, at: day(now, -3).toISOString() }] : []),
      ]),
    );
  });

  step("action items");

  // Sign-in sessions, anti-forgery cookies and feed tokens, through the domain functions.
  const organizer = (await signedIn(db, organizerId)).cookie;
  const participants: LoadFixture["participants"] = [];
  const newcomers: LoadFixture["newcomers"] = [];
  await inTransaction(db, async (trx) => {
    const step = Math.max(1, Math.floor(confirmed.length / options.signedInParticipants));
    for (let i = 0; i < options.signedInParticipants && i * step < confirmed.length; i++) {
      const personId = confirmed[i * step]!;
      participants.push({ cookie: (await signedIn(trx, personId)).cookie, feedToken: await feedToken(trx, personId, "agenda", now) });
    }
    for (const personId of newcomerIds) newcomers.push(await signedIn(trx, personId));
  });

  step("sign-ins");

  // PostgreSQL's autovacuum would have analyzed tables this size long before anyone looks at
  // them; a bulk load gets there only after a while, so do it now. SQLite has no such thing and
  // the app does not run ANALYZE, so neither do we.
  if (kindOf(db) === "postgres") await sql`analyze`.execute(db);
  step("analyze");

  const rows: Record<string, number> = {};
  for (const table of ["people", "registrations", "registration_tracks", "proposals", "facilitators", "placements", "agenda_entries", "interests", "action_items", "action_owners", "action_updates", "session_notes", "mail_outbox", "sessions"] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    rows[table] = Number(row.n);
  }
  return { slug, conveningId, trackIds, sessionIds, organizer, participants, newcomers, rows, steps, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}
