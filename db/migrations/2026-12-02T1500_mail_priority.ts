import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Transactional mail (sign-in, invitations, registration and proposal status) is sent before
// bulk mail (agenda changes, action reminders and digests), whatever their order in the queue:
// a priority per mail, 0 transactional and 1 bulk, and an index in the order the sender claims
// (due mail by priority, then the longest due). It replaces the index on status and due time,
// which the new one leads with. Mail already queued is given the priority of its template as
// the templates stood when this was written.

const BULK_AT_THE_TIME = ["agenda-changed", "action-due-7d", "action-due-1d", "action-overdue", "action-digest", "group-message"];

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("mail_outbox").addColumn("priority", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable("mail_outbox").set({ priority: 1 }).where("template", "in", BULK_AT_THE_TIME).execute();
  await db.schema.createIndex("mail_outbox_claim").on("mail_outbox").columns(["status", "priority", "next_attempt_at", "id"]).execute();
  await db.schema.dropIndex("mail_outbox_due").execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.createIndex("mail_outbox_due").on("mail_outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.dropIndex("mail_outbox_claim").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("priority").execute();
}
