import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// The agenda: rooms, time slots and fixed items of a convening; the working copy of placements;
// facilitators' unavailable slots; scheduler suggestions; and published versions, frozen as
// entries with a sequence number per session for calendars.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("rooms")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("features", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addCheckConstraint("rooms_capacity", sql`capacity >= 0`)
    .execute();

  await db.schema
    .createTable("slots")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addUniqueConstraint("slots_convening_start", ["convening_id", "starts_at"])
    .addCheckConstraint("slots_minutes", sql`minutes > 0`)
    .execute();

  await db.schema
    .createTable("fixed_items")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("slot_id", "integer", (c) => c.notNull().references("slots.id").onDelete("cascade"))
    .addColumn("room_id", "integer", (c) => c.references("rooms.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addCheckConstraint("fixed_items_kind", sql`kind in ('plenary', 'break', 'meal', 'other')`)
    .execute();

  await db.schema
    .createTable("placements")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("proposal_id", "integer", (c) => c.notNull().unique().references("proposals.id").onDelete("cascade"))
    .addColumn("slot_id", "integer", (c) => c.notNull().references("slots.id").onDelete("cascade"))
    .addColumn("room_id", "integer", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("pinned", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("placements_convening").on("placements").column("convening_id").execute();

  await db.schema
    .createTable("unavailability")
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("slot_id", "integer", (c) => c.notNull().references("slots.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("unavailability_pk", ["person_id", "slot_id"])
    .execute();

  await db.schema
    .createTable("agenda_suggestions")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("created_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("fairness", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("placements", "text", (c) => c.notNull())
    .addColumn("unplaced", "text", (c) => c.notNull())
    .addColumn("score", "text", (c) => c.notNull())
    .addColumn("current_score", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("agenda_versions")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("published_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("changes", "text", (c) => c.notNull().defaultTo("[]"))
    .addUniqueConstraint("agenda_versions_number", ["convening_id", "number"])
    .execute();

  await db.schema
    .createTable("agenda_entries")
    .addColumn("id", "integer", id)
    .addColumn("version_id", "integer", (c) => c.notNull().references("agenda_versions.id").onDelete("cascade"))
    .addColumn("proposal_id", "integer", (c) => c.references("proposals.id").onDelete("set null"))
    .addColumn("fixed_item_id", "integer")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("slot_id", "integer")
    .addColumn("room_id", "integer")
    .addColumn("room_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("confirmed"))
    .addCheckConstraint("agenda_entries_status", sql`status in ('confirmed', 'cancelled')`)
    .execute();
  await db.schema.createIndex("agenda_entries_version").on("agenda_entries").column("version_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["agenda_entries", "agenda_versions", "agenda_suggestions", "unavailability", "placements", "fixed_items", "slots", "rooms"]) {
    await db.schema.dropTable(table).execute();
  }
}
