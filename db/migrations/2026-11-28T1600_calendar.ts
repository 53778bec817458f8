import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Calendars: secret feed tokens per person, and calendar parts carried by queued mail.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("feed_tokens")
    .addColumn("id", "integer", (col) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()))
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("counter", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("feed_tokens_person_kind", ["person_id", "kind"])
    .execute();
  await db.schema.alterTable("mail_outbox").addColumn("ics", "text").execute();
  await db.schema.alterTable("mail_outbox").addColumn("ics_method", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("mail_outbox").dropColumn("ics_method").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("ics").execute();
  await db.schema.dropTable("feed_tokens").execute();
}
