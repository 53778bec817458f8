import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Visa invitation letters: one template per convening, written by its organizers, and one
// request per registration. The passport details of a request are sensitive: they are set to
// null on the convening's retention date (erased_at says when), after which no letter is made.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("letter_templates")
    .addColumn("convening_id", "integer", (c) => c.primaryKey().references("convenings.id").onDelete("cascade"))
    .addColumn("letterhead", "text", (c) => c.notNull())
    .addColumn("signer_name", "text", (c) => c.notNull())
    .addColumn("signer_role", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("letter_requests")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().unique().references("registrations.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("requested"))
    // sensitive: null once erased
    .addColumn("passport_name", "text")
    .addColumn("nationality", "text")
    .addColumn("passport_number", "text")
    .addColumn("birth_date", "text")
    .addColumn("note", "text")
    .addColumn("organizer_message", "text")
    .addColumn("decided_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("decided_at", "text")
    .addColumn("erased_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("letter_requests_status", sql`status in ('requested', 'approved', 'declined')`)
    .execute();
  await db.schema.createIndex("letter_requests_convening").on("letter_requests").columns(["convening_id", "status", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("letter_requests").execute();
  await db.schema.dropTable("letter_templates").execute();
}
