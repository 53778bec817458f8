import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../../db/schema";
import { inTransaction, type Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { DEFAULT_TRACKS } from "./tracks";

export interface NewConveningInput {
  slug: string;
  title: string;
  description?: string;
  startsOn: string;
  endsOn: string;
  timeZone: string;
  locale?: string;
  venue?: string;
  status?: "draft" | "published" | "archived";
}

/** Creates a convening with the six default tracks. */
export async function createConvening(
  db: Executor,
  input: NewConveningInput,
  actorId: number | null = null,
  now = new Date(),
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto("convenings")
      .values({
        slug: input.slug,
        title: input.title,
        description: input.description ?? "",
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        time_zone: input.timeZone,
        locale: input.locale ?? "en-GB",
        venue: input.venue ?? "",
        status: input.status ?? "draft",
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("tracks")
      .values(DEFAULT_TRACKS.map((track, position) => ({ ...track, convening_id: id, position })))
      .execute();
    await writeAudit(trx, { actorId, action: "convening.created", subjectType: "convening", subjectId: id, conveningId: id, now });
    return id;
  });
}

const CONVENING_COLUMNS = [
  "id",
  "slug",
  "title",
  "description",
  "starts_on",
  "ends_on",
  "time_zone",
  "locale",
  "venue",
  "status",
  "registration_opens_at",
  "registration_closes_at",
  "capacity_in_person",
  "approval_required",
  "cfp_opens_at",
  "cfp_closes_at",
  "cfp_formats",
  "cfp_lengths",
  "review_anonymous",
  "interest_open",
  "retention_on",
  "sensitive_erased_at",
] as const;

/** A convening row with its 0/1 settings read once, as yes or no. */
function decodeConvening<R extends { approval_required: number; review_anonymous: number; interest_open: number }>(row: R) {
  const { approval_required, review_anonymous, interest_open, ...rest } = row;
  return { ...rest, approvalRequired: approval_required === 1, reviewAnonymous: review_anonymous === 1, interestOpen: interest_open === 1 };
}


export async function getPublicConvening(db: Executor, slug: string) {
  // An address holding a NUL character names nothing (and PostgreSQL refuses to compare one).
  if (slug.includes("\u0000")) return undefined;
  const row = await db.selectFrom("convenings").select(CONVENING_COLUMNS).where("slug", "=", slug).where("status", "!=", "draft").executeTakeFirst();
  return row && decodeConvening(row);
}

/** Any convening by slug, drafts included: for organizer pages only. */
export async function getConvening(db: Executor, slug: string) {
  if (slug.includes("\u0000")) return undefined;
  const row = await db.selectFrom("convenings").select(CONVENING_COLUMNS).where("slug", "=", slug).executeTakeFirst();
  return row && decodeConvening(row);
}

/** The convenings this person organizes (all of them for a site-wide organizer) or reviews for. */
export async function listOrganizedConvenings(db: Executor, personId: number) {
  const roleIn = (role: "organizer" | "reviewer") => (eb: ExpressionBuilder<Database, "convenings">) =>
    eb.exists(
      eb
        .selectFrom("roles")
        .select("roles.id")
        .where("roles.person_id", "=", personId)
        .where("roles.role", "=", role)
        .where((r) => r.or([r("roles.convening_id", "is", null), r("roles.convening_id", "=", r.ref("convenings.id"))])),
    );
  const rows = await db
    .selectFrom("convenings")
    .select((eb) => ["id", "slug", "title", "starts_on", "ends_on", "locale", "status", roleIn("organizer")(eb).as("organizer")])
    .where((eb) => eb.or([roleIn("organizer")(eb), roleIn("reviewer")(eb)]))
    .orderBy("starts_on", "desc")
    .execute();
  return rows.map((r) => ({ ...r, organizer: Boolean(r.organizer) }));
}

export async function listPublicConvenings(db: Executor) {
  return db
    .selectFrom("convenings")
    .select(["id", "slug", "title", "starts_on", "ends_on", "time_zone", "locale", "venue", "status"])
    .where("status", "!=", "draft")
    .orderBy("starts_on", "desc")
    .execute();
}

/** One of a convening's tracks by its address segment, or undefined. */
export async function trackBySlug(db: Executor, conveningId: number, slug: string) {
  if (slug.includes("\u0000")) return undefined;
  return db.selectFrom("tracks").select(["id", "slug", "name"]).where("convening_id", "=", conveningId).where("slug", "=", slug).executeTakeFirst();
}

export async function listTracks(db: Executor, conveningId: number) {
  return db
    .selectFrom("tracks")
    .select(["id", "slug", "name", "description", "color"])
    .where("convening_id", "=", conveningId)
    .orderBy("position")
    .execute();
}
