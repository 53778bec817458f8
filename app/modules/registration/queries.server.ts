// What organizers and participants read about registrations. Filters are applied in SQL.
import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { Database, Registration } from "../../../db/schema";
import type { Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { withLists } from "../../lib/json-lists";
import { REGISTRATION_LISTS, type Cursor, type RegistrationFilters, type Sort, type TableView } from "./schema";
import { waitlistPosition } from "./capacity.server";
import { VETTED_STATUSES } from "./policy";
import { answerFilter } from "./questions.server";
import { supportFilterWhere, supportRequestOf } from "../support/requests.server";

export const PAGE_SIZE = 100;

/** What the organizers' filters choose among a convening's registrations (the table, its export, a group message). */
export type RegistrationChoice = RegistrationFilters & {
  /** a language the registrant said they speak, as they wrote it */
  language?: string;
};

/** The query narrowed to the registrations of the convening that the filters choose, in SQL. */
export function filtered<O>(query: SelectQueryBuilder<Database, "registrations", O>, conveningId: number, filters: RegistrationChoice) {
  let q = query.where("registrations.convening_id", "=", conveningId);
  if (filters.q) {
    // A part of any name organizers see or of the organization, in any case; % and _ are matched as typed.
    const pattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    q = q.where((eb) =>
      eb.or([
        like("registrations.display_name"),
        like("registrations.organization"),
        eb.exists(
          eb
            .selectFrom("people")
            .select("people.id")
            .whereRef("people.id", "=", "registrations.person_id")
            .where((p) => p.or([like("people.full_name"), like("people.email")])),
        ),
      ]),
    );
  }
  if (filters.status) q = q.where("registrations.status", "=", filters.status);
  if (filters.constituency) q = q.where("registrations.constituency", "=", filters.constituency);
  if (filters.attendance) q = q.where("registrations.attendance", "=", filters.attendance);
  if (filters.support) {
    const support = filters.support;
    q = q.where((eb) => supportFilterWhere(eb, support));
  }
  if (filters.track) {
    const track = filters.track;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("registration_tracks")
          .select("registration_tracks.track_id")
          .whereRef("registration_tracks.registration_id", "=", "registrations.id")
          .where("registration_tracks.track_id", "=", track),
      ),
    );
  }
  if (filters.answer) q = q.where(answerFilter(filters.answer));
  if (filters.language) {
    // The languages are a JSON list of strings: one element equal to the language (in any case), whatever surrounds it.
    const element = JSON.stringify(filters.language).replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where(sql<boolean>`lower(registrations.languages) like lower(${`%${element}%`}) escape '\\'`);
  }
  return q;
}

/** The languages registrants of a convening said they speak, each once, in alphabetical order (the choices of a language filter). */
export async function registrationLanguages(db: Executor, conveningId: number): Promise<string[]> {
  const rows = await db.selectFrom("registrations").select("languages").where("convening_id", "=", conveningId).where("languages", "!=", "[]").orderBy("id").execute();
  // "english" and "English" are one choice (the filter ignores case), shown as first written.
  const seen = new Map<string, string>();
  for (const row of rows) for (const language of JSON.parse(row.languages) as string[]) if (!seen.has(language.toLowerCase())) seen.set(language.toLowerCase(), language);
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

async function tracksByRegistration(db: Executor, ids: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom("registration_tracks")
    .select(["registration_id", "track_id"])
    .where("registration_id", "in", ids)
    .orderBy("registration_id")
    .orderBy("track_id")
    .execute();
  for (const row of rows) {
    const list = map.get(row.registration_id) ?? [];
    list.push(row.track_id);
    map.set(row.registration_id, list);
  }
  return map;
}

/**
 * What each sort orders by: the same expression in ORDER BY, in the cursor's comparison and in the
 * migration's indexes (2026-12-04T1100_registration_table). Text is compared without case, and an
 * empty value is '' so that SQLite and PostgreSQL put it in the same place.
 */
const SORT_KEYS: Record<Sort, { key: RawBuilder<string | number>; numeric: boolean }> = {
  registered: { key: sql`registrations.created_at`, numeric: false },
  name: { key: sql`lower(registrations.display_name)`, numeric: false },
  status: { key: sql`registrations.status`, numeric: false },
  attendance: { key: sql`registrations.attendance`, numeric: false },
  organization: { key: sql`coalesce(lower(registrations.organization), '')`, numeric: false },
  constituency: { key: sql`coalesce(registrations.constituency, '')`, numeric: false },
  country: { key: sql`coalesce(lower(registrations.country), '')`, numeric: false },
  support: { key: sql`registrations.support_requested`, numeric: true },
};

export interface RegistrationPage {
  rows: Array<{
    id: number;
    display_name: string;
    status: Registration["status"];
    attendance: Registration["attendance"];
    constituency: Registration["constituency"];
    country: string | null;
    organization: string | null;
    support_requested: number;
    attended_at: string | null;
    created_at: string;
    trackIds: number[];
  }>;
  total: number;
  /** where the next page starts, when there is one */
  next: Cursor | null;
  /** where the previous page ends, when there is one */
  previous: Cursor | null;
}

/**
 * One page of the organizer's table, no sensitive fields: the filtered rows in the chosen order
 * (id breaks ties, so the order is total), after or before a cursor (keyset paging: no OFFSET, a
 * later page costs what the first does).
 */
export async function listRegistrations(db: Executor, conveningId: number, view: Partial<TableView> & RegistrationFilters, pageSize = PAGE_SIZE): Promise<RegistrationPage> {
  const { key, numeric } = SORT_KEYS[view.sort ?? "registered"];
  const desc = view.dir === "desc";
  // A cursor whose value is not of the sort's kind (an edited URL) is read as none.
  const fits = (c: Cursor | undefined) => (c && (typeof c.key === "number") === numeric ? c : undefined);
  const after = fits(view.after);
  const before = after ? undefined : fits(view.before);
  // Reading backwards (before a cursor) walks the order reversed and turns the page around.
  const backwards = Boolean(before);
  const descending = desc !== backwards;
  let query = filtered(
    db
      .selectFrom("registrations")
      .select([
        "registrations.id",
        "registrations.display_name",
        "registrations.status",
        "registrations.attendance",
        "registrations.constituency",
        "registrations.country",
        "registrations.organization",
        "registrations.support_requested",
        "registrations.attended_at",
        "registrations.created_at",
      ])
      .select(key.as("sort_key")),
    conveningId,
    view,
  );
  const from = after ?? before;
  if (from) query = query.where(sql<boolean>`(${key}, registrations.id) ${sql.raw(descending ? "<" : ">")} (${from.key}, ${from.id})`);
  const direction = descending ? "desc" : "asc";
  const [found, total] = await Promise.all([
    query.orderBy(key, direction).orderBy("registrations.id", direction).limit(pageSize + 1).execute(),
    filtered(db.selectFrom("registrations").select((eb) => eb.fn.countAll<number>().as("n")), conveningId, view).executeTakeFirstOrThrow(),
  ]);
  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: (typeof page)[number] | undefined): Cursor | null => (row ? { key: numeric ? Number(row.sort_key) : String(row.sort_key), id: row.id } : null);
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : Boolean(after);
  const tracks = await tracksByRegistration(db, page.map((r) => r.id));
  return {
    rows: page.map(({ sort_key: _, ...r }) => ({ ...r, trackIds: tracks.get(r.id) ?? [] })),
    total: Number(total.n),
    next: hasNext ? cursorOf(page[page.length - 1]) : null,
    previous: hasPrevious ? cursorOf(page[0]) : null,
  };
}

/** The display names of some of a convening's registrations (a bulk action's report), by id. */
export async function registrationNames(db: Executor, conveningId: number, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("registrations").select(["id", "display_name"]).where("convening_id", "=", conveningId).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export interface RegistrationSummary {
  registered: number;
  byStatus: Record<string, number>;
  inPersonConfirmed: number;
  supportRequested: number;
  byTrack: Array<{ trackId: number; count: number }>;
  byConstituency: Array<{ constituency: string | null; count: number }>;
  byCountry: Array<{ country: string | null; count: number }>;
}

/** Counts over registrations that are not cancelled. */
export async function registrationSummary(db: Executor, conveningId: number): Promise<RegistrationSummary> {
  const live = db.selectFrom("registrations").where("convening_id", "=", conveningId).where("status", "!=", "cancelled");
  const [statuses, inPerson, support, tracks, constituencies, countries] = await Promise.all([
    db
      .selectFrom("registrations")
      .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
      .where("convening_id", "=", conveningId)
      .groupBy("status")
      .execute(),
    live.select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "confirmed").where("attendance", "=", "in_person").executeTakeFirstOrThrow(),
    live.select((eb) => eb.fn.countAll<number>().as("n")).where("support_requested", "=", 1).executeTakeFirstOrThrow(),
    db
      .selectFrom("registration_tracks")
      .innerJoin("registrations", "registrations.id", "registration_tracks.registration_id")
      .select((eb) => ["registration_tracks.track_id", eb.fn.countAll<number>().as("n")])
      .where("registrations.convening_id", "=", conveningId)
      .where("registrations.status", "!=", "cancelled")
      .groupBy("registration_tracks.track_id")
      .execute(),
    live.select((eb) => ["constituency", eb.fn.countAll<number>().as("n")]).groupBy("constituency").orderBy("n", "desc").execute(),
    live.select((eb) => ["country", eb.fn.countAll<number>().as("n")]).groupBy("country").orderBy("n", "desc").orderBy("country").execute(),
  ]);
  const byStatus: Record<string, number> = { pending: 0, confirmed: 0, waitlisted: 0, declined: 0, cancelled: 0 };
  for (const s of statuses) byStatus[s.status] = Number(s.n);
  return {
    registered: byStatus.pending! + byStatus.confirmed! + byStatus.waitlisted! + byStatus.declined!,
    byStatus,
    inPersonConfirmed: Number(inPerson.n),
    supportRequested: Number(support.n),
    byTrack: tracks.map((t) => ({ trackId: t.track_id, count: Number(t.n) })),
    byConstituency: constituencies.map((c) => ({ constituency: c.constituency, count: Number(c.n) })),
    byCountry: countries.map((c) => ({ country: c.country, count: Number(c.n) })),
  };
}

/**
 * Everything about one registration for an organizer. Sensitive fields come only when the organizer
 * may read them (`sensitive`), and then the view is written to the audit log; otherwise they are
 * not read at all and `sensitive` is null.
 */
export async function registrationForOrganizer(db: Executor, conveningId: number, registrationId: number, organizerId: number, options: { sensitive: boolean }) {
  const row = await db
    .selectFrom("registrations")
    .innerJoin("people", "people.id", "registrations.person_id")
    .selectAll("registrations")
    .select(["people.email", "people.full_name"])
    .where("registrations.convening_id", "=", conveningId)
    .where("registrations.id", "=", registrationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const full = withLists(row, REGISTRATION_LISTS);
  const tracks = await tracksByRegistration(db, [row.id]);
  const { full_name, email, access_needs, access_other, dietary, support_requested, support_reason, emergency_contact, ...open } = full;
  const base = { ...open, trackIds: tracks.get(row.id) ?? [] };
  if (!options.sensitive) return { ...base, sensitive: null };
  await writeAudit(db, {
    actorId: organizerId,
    action: "registration.sensitive_viewed",
    subjectType: "registration",
    subjectId: row.id,
    conveningId,
    details: { fields: ["full_name", "email", "access_needs", "dietary", "support", "emergency_contact"] },
  });
  const support = await supportRequestOf(db, row.id);
  const sensitive = { full_name, email, access_needs, access_other, dietary, support_requested, support_reason, emergency_contact, support };
  return { ...base, sensitive };
}

/** Rows for the CSV export of the filtered table, in the table's order, with or without sensitive fields. */
export interface ExportCursor {
  createdAt: string;
  id: number;
}

/**
 * Registrations for the CSV, in order of arrival, one page at a time after a cursor (keyset
 * paging), so that a large export is read and sent in pieces rather than held whole.
 */
export async function registrationsForExport(db: Executor, conveningId: number, filters: RegistrationFilters, sensitive: boolean, page: { after: ExportCursor | null; size: number } = { after: null, size: 100_000 }) {
  let query = filtered(
    db
      .selectFrom("registrations")
      .innerJoin("people", "people.id", "registrations.person_id")
      .selectAll("registrations")
      // Email and full name leave the database only for an export that asked for them.
      .select((eb) => [
        sensitive ? eb.ref("people.email").as("email") : sql<string | null>`null`.as("email"),
        sensitive ? eb.ref("people.full_name").as("full_name") : sql<string | null>`null`.as("full_name"),
        // The reason now lives with the support request (registrations.support_reason is no longer written).
        sensitive
          ? eb.selectFrom("support_requests").select("support_requests.reason").whereRef("support_requests.registration_id", "=", "registrations.id").as("support_request_reason")
          : sql<string | null>`null`.as("support_request_reason"),
      ]),
    conveningId,
    filters,
  );
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb("registrations.created_at", ">", after.createdAt), eb.and([eb("registrations.created_at", "=", after.createdAt), eb("registrations.id", ">", after.id)])]),
    );
  }
  const rows = await query.orderBy("registrations.created_at").orderBy("registrations.id").limit(page.size).execute();
  const tracks = await tracksByRegistration(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...withLists(r, REGISTRATION_LISTS), trackIds: tracks.get(r.id) ?? [] }));
}

/** How many registrations an export with these filters holds. */
export async function countForExport(db: Executor, conveningId: number, filters: RegistrationFilters): Promise<number> {
  const row = await filtered(db.selectFrom("registrations").select((eb) => eb.fn.countAll<number>().as("n")), conveningId, filters).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The participant directory: only vetted people who agreed to be listed (isListable); email only where they agreed to share it. */
export async function participantDirectory(db: Executor, conveningId: number) {
  const rows = await db
    .selectFrom("registrations")
    .innerJoin("people", "people.id", "registrations.person_id")
    .select((eb) => [
      "registrations.id",
      "registrations.display_name",
      "registrations.pronouns",
      "registrations.organization",
      // The address leaves the database only for those who agreed to share it.
      eb.case().when("registrations.consent_contact", "=", 1).then(eb.ref("people.email")).else(null).end().as("email"),
    ])
    .where("registrations.convening_id", "=", conveningId)
    .where("registrations.status", "in", [...VETTED_STATUSES])
    .where("registrations.consent_directory", "=", 1)
    .orderBy("registrations.display_name")
    .execute();
  const tracks = await tracksByRegistration(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    pronouns: r.pronouns,
    organization: r.organization,
    email: r.email,
    trackIds: tracks.get(r.id) ?? [],
  }));
}

/** The person's own registration, with its tracks and (when waiting) its place on the waitlist. */
export async function getOwnRegistration(db: Executor, conveningId: number, personId: number) {
  const registration = await db
    .selectFrom("registrations")
    .selectAll()
    .where("convening_id", "=", conveningId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  if (!registration) return undefined;
  const tracks = await db.selectFrom("registration_tracks").select("track_id").where("registration_id", "=", registration.id).execute();
  return {
    ...withLists(registration, REGISTRATION_LISTS),
    trackIds: tracks.map((t) => t.track_id),
    position: registration.status === "waitlisted" ? await waitlistPosition(db, registration) : null,
    // the person's own request, in their own words, with the decision
    support: await supportRequestOf(db, registration.id),
  };
}
