import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Mail to a group: organizers write one message to a filtered group of a convening's registrants.
// Each message is kept (what was chosen, who queued it, how many it reached); its mails are
// ordinary outbox rows. People can turn off the messages that are not essential.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema.alterTable("people").addColumn("messages_off", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable("group_messages")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    // JSON: the filters that chose the group
    .addColumn("filter", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("essential", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("recipients", "integer", (c) => c.notNull())
    .addColumn("left_out", "integer", (c) => c.notNull().defaultTo(0))
    // the preview the organizer queued: a second submission of the same preview queues nothing more
    .addColumn("preview_token", "text", (c) => c.notNull())
    .addColumn("queued_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("queued_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("group_messages_convening").on("group_messages").columns(["convening_id", "queued_at"]).execute();
  await db.schema.createIndex("group_messages_preview").on("group_messages").column("preview_token").unique().execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.dropTable("group_messages").execute();
  await db.schema.alterTable("people").dropColumn("messages_off").execute();
}
