import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Privacy: erased accounts, a retention date per convening after which sensitive registration
// answers are erased, a per-convening anonymous facilitation label, and the agenda-update mails
// a person can turn off from a link in the mail (and that link, kept with each queued mail).

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("people").addColumn("deleted_at", "text").execute();
  await db.schema.alterTable("people").addColumn("agenda_mail_off", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("convenings").addColumn("retention_on", "text").execute();
  await db.schema.alterTable("convenings").addColumn("sensitive_erased_at", "text").execute();
  // Raised whenever a name shown for one of its facilitators may have changed: cached calendars are keyed by it.
  await db.schema.alterTable("convenings").addColumn("names_version", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("mail_outbox").addColumn("unsubscribe_url", "text").execute();
  await db.schema
    .createTable("facilitation_labels")
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("facilitation_labels_pk", ["convening_id", "person_id"])
    .execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.dropTable("facilitation_labels").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("unsubscribe_url").execute();
  await db.schema.alterTable("convenings").dropColumn("names_version").execute();
  await db.schema.alterTable("convenings").dropColumn("sensitive_erased_at").execute();
  await db.schema.alterTable("convenings").dropColumn("retention_on").execute();
  await db.schema.alterTable("people").dropColumn("agenda_mail_off").execute();
  await db.schema.alterTable("people").dropColumn("deleted_at").execute();
}
