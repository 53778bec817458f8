import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// The call for proposals: its settings on the convening, review criteria, proposals with their
// tracks and facilitators, reviews with a score per criterion, and attendees' interest marks.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) =>
    dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();

  await db.schema.alterTable("convenings").addColumn("cfp_opens_at", "text").execute();
  await db.schema.alterTable("convenings").addColumn("cfp_closes_at", "text").execute();
  await db.schema
    .alterTable("convenings")
    .addColumn("cfp_formats", "text", (c) => c.notNull().defaultTo('["workshop","panel","roundtable","caucus","skill_share","plenary"]'))
    .execute();
  await db.schema.alterTable("convenings").addColumn("cfp_lengths", "text", (c) => c.notNull().defaultTo("[60,90]")).execute();
  await db.schema.alterTable("convenings").addColumn("review_anonymous", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("convenings").addColumn("interest_open", "integer", (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable("review_criteria")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("weight", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("position", "integer", (c) => c.notNull())
    .addCheckConstraint("review_criteria_weight", sql`weight between 1 and 10`)
    .execute();

  await db.schema
    .createTable("proposals")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("proposer_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("abstract", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("length_minutes", "integer", (c) => c.notNull())
    .addColumn("primary_track_id", "integer", (c) => c.notNull().references("tracks.id"))
    .addColumn("languages", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("audience_size", "integer")
    .addColumn("needs", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("decision_message", "text")
    .addColumn("submitted_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "proposals_status",
      sql`status in ('draft', 'submitted', 'pending_accepted', 'pending_declined', 'pending_waitlisted', 'accepted', 'declined', 'waitlisted', 'withdrawn', 'confirmed')`,
    )
    .execute();
  await db.schema.createIndex("proposals_convening_status").on("proposals").columns(["convening_id", "status"]).execute();
  await db.schema.createIndex("proposals_proposer").on("proposals").column("proposer_id").execute();

  await db.schema
    .createTable("proposal_tracks")
    .addColumn("proposal_id", "integer", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("track_id", "integer", (c) => c.notNull().references("tracks.id").onDelete("cascade"))
    .addColumn("is_primary", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("proposal_tracks_pk", ["proposal_id", "track_id"])
    .execute();
  await db.schema.createIndex("proposal_tracks_track").on("proposal_tracks").column("track_id").execute();

  await db.schema
    .createTable("facilitators")
    .addColumn("id", "integer", id)
    .addColumn("proposal_id", "integer", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("email", "text")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("invite_token_hash", "text", (c) => c.unique())
    .addColumn("anonymous_label", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("responded_at", "text")
    .addCheckConstraint("facilitators_role", sql`role in ('proposer', 'co')`)
    .addCheckConstraint("facilitators_status", sql`status in ('invited', 'accepted', 'declined')`)
    .execute();
  await db.schema.createIndex("facilitators_proposal").on("facilitators").column("proposal_id").execute();
  await db.schema.createIndex("facilitators_person").on("facilitators").column("person_id").execute();

  await db.schema
    .createTable("reviews")
    .addColumn("id", "integer", id)
    .addColumn("proposal_id", "integer", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("reviewer_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("reviews_one_per_reviewer", ["proposal_id", "reviewer_id"])
    .execute();

  await db.schema
    .createTable("review_scores")
    .addColumn("review_id", "integer", (c) => c.notNull().references("reviews.id").onDelete("cascade"))
    .addColumn("criterion_id", "integer", (c) => c.notNull().references("review_criteria.id").onDelete("cascade"))
    .addColumn("score", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("review_scores_pk", ["review_id", "criterion_id"])
    .addCheckConstraint("review_scores_range", sql`score between 1 and 5`)
    .execute();

  await db.schema
    .createTable("interests")
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("proposal_id", "integer", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("interests_pk", ["person_id", "proposal_id"])
    .execute();
  await db.schema.createIndex("interests_proposal").on("interests").column("proposal_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["interests", "review_scores", "reviews", "facilitators", "proposal_tracks", "proposals", "review_criteria"]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ["interest_open", "review_anonymous", "cfp_lengths", "cfp_formats", "cfp_closes_at", "cfp_opens_at"]) {
    await db.schema.alterTable("convenings").dropColumn(column).execute();
  }
}
