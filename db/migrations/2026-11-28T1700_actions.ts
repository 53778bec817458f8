import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Action items: commitments made at (or after) a convening, their owners (people or member
// organizations), their history of updates, sessions' notes, and each person's reminder choices.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("action_items")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("proposal_id", "integer", (c) => c.references("proposals.id").onDelete("set null"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("group"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("closing_note", "text")
    .addColumn("carried_from", "integer", (c) => c.references("action_items.id").onDelete("set null"))
    .addColumn("created_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("action_items_status", sql`status in ('open', 'in_progress', 'done', 'dropped')`)
    .addCheckConstraint("action_items_visibility", sql`visibility in ('group', 'organizers')`)
    .execute();
  await db.schema.createIndex("action_items_convening").on("action_items").columns(["convening_id", "due_on"]).execute();

  await db.schema
    .createTable("action_owners")
    .addColumn("id", "integer", id)
    .addColumn("action_id", "integer", (c) => c.notNull().references("action_items.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.references("people.id").onDelete("cascade"))
    .addColumn("organization_id", "integer", (c) => c.references("organizations.id").onDelete("cascade"))
    .addCheckConstraint("action_owners_one", sql`(person_id is null) <> (organization_id is null)`)
    .execute();
  await db.schema.createIndex("action_owners_action").on("action_owners").column("action_id").execute();
  await db.schema.createIndex("action_owners_person").on("action_owners").column("person_id").execute();
  await db.schema.createIndex("action_owners_organization").on("action_owners").column("organization_id").execute();

  await db.schema
    .createTable("action_updates")
    .addColumn("id", "integer", id)
    .addColumn("action_id", "integer", (c) => c.notNull().references("action_items.id").onDelete("cascade"))
    .addColumn("author_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("status_from", "text")
    .addColumn("status_to", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("action_updates_action").on("action_updates").column("action_id").execute();

  await db.schema
    .createTable("session_notes")
    .addColumn("id", "integer", id)
    .addColumn("proposal_id", "integer", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("author_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("people").addColumn("reminders_off", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("people").addColumn("digest_off", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("people").dropColumn("digest_off").execute();
  await db.schema.alterTable("people").dropColumn("reminders_off").execute();
  for (const table of ["session_notes", "action_updates", "action_owners", "action_items"]) await db.schema.dropTable(table).execute();
}
