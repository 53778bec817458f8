import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Registration: per-convening settings, one registration per person and convening, the tracks
// each registration is interested in.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  for (const [name, type] of [
    ["registration_opens_at", "text"],
    ["registration_closes_at", "text"],
    ["capacity_in_person", "integer"],
  ] as const) {
    await db.schema.alterTable("convenings").addColumn(name, type).execute();
  }
  await db.schema
    .alterTable("convenings")
    .addColumn("approval_required", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("registrations")
    .addColumn("id", "integer", (col) =>
      dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attendance", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("pronouns", "text")
    .addColumn("organization", "text")
    .addColumn("constituency", "text")
    .addColumn("country", "text")
    .addColumn("languages", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("interpretation", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("access_needs", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("access_other", "text")
    .addColumn("dietary", "text")
    .addColumn("support_requested", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("support_reason", "text")
    .addColumn("emergency_contact", "text")
    .addColumn("consent_directory", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("consent_contact", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("consent_photos", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("organizer_message", "text")
    .addColumn("queued_at", "text", (c) => c.notNull())
    .addColumn("attended_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("registrations_one_per_person", ["convening_id", "person_id"])
    .addCheckConstraint(
      "registrations_status",
      sql`status in ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')`,
    )
    .addCheckConstraint("registrations_attendance", sql`attendance in ('in_person', 'remote')`)
    .execute();
  await db.schema
    .createIndex("registrations_convening_status")
    .on("registrations")
    .columns(["convening_id", "status", "queued_at"])
    .execute();

  await db.schema
    .createTable("registration_tracks")
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("track_id", "integer", (c) => c.notNull().references("tracks.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("registration_tracks_pk", ["registration_id", "track_id"])
    .execute();
  await db.schema.createIndex("registration_tracks_track").on("registration_tracks").column("track_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("registration_tracks").execute();
  await db.schema.dropTable("registrations").execute();
  for (const name of ["approval_required", "capacity_in_person", "registration_closes_at", "registration_opens_at"]) {
    await db.schema.alterTable("convenings").dropColumn(name).execute();
  }
}
