import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// People, convenings and tracks, roles, sign-in, the mail outbox and the audit log.
// Times are ISO-8601 UTC text and flags are 0/1 integers on both databases (see ADR 004).

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (name = "id") =>
    [name, "integer", (col: any) =>
      dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    ] as const;

  await db.schema
    .createTable("organizations")
    .addColumn(...id())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("people")
    .addColumn(...id())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("full_name", "text")
    .addColumn("public_name", "text")
    .addColumn("pronouns", "text")
    .addColumn("organization_id", "integer", (c) => c.references("organizations.id").onDelete("set null"))
    .addColumn("constituency", "text")
    .addColumn("country", "text")
    .addColumn("languages", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("profile_completed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("people_email_lowercase", sql`email = lower(email)`)
    .execute();

  await db.schema
    .createTable("convenings")
    .addColumn(...id())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en-GB"))
    .addColumn("venue", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("convenings_status", sql`status in ('draft', 'published', 'archived')`)
    .execute();

  await db.schema
    .createTable("tracks")
    .addColumn(...id())
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("tracks_convening_slug", ["convening_id", "slug"])
    .execute();

  await db.schema
    .createTable("roles")
    .addColumn(...id())
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("convening_id", "integer", (c) => c.references("convenings.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("track_id", "integer", (c) => c.references("tracks.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("roles_role", sql`role in ('organizer', 'reviewer')`)
    .execute();
  await db.schema.createIndex("roles_person").on("roles").column("person_id").execute();

  await db.schema
    .createTable("login_tokens")
    .addColumn(...id())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("code_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("redirect_to", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("login_tokens_email").on("login_tokens").columns(["email", "created_at"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_person").on("sessions").column("person_id").execute();

  await db.schema
    .createTable("mail_outbox")
    .addColumn(...id())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("convening_id", "integer", (c) => c.references("convenings.id").onDelete("set null"))
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("sent_at", "text")
    .addColumn("error", "text")
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("mail_outbox_status", sql`status in ('queued', 'sending', 'sent', 'failed')`)
    .execute();
  await db.schema.createIndex("mail_outbox_due").on("mail_outbox").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("audit_log")
    .addColumn(...id())
    .addColumn("actor_id", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("convening_id", "integer", (c) => c.references("convenings.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_subject").on("audit_log").columns(["subject_type", "subject_id"]).execute();

  await db.schema
    .createTable("rate_limit_hits")
    .addColumn(...id())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limit_hits_bucket").on("rate_limit_hits").columns(["bucket", "at"]).execute();

  await db.schema
    .createTable("job_runs")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("last_run_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "job_runs",
    "rate_limit_hits",
    "audit_log",
    "mail_outbox",
    "sessions",
    "login_tokens",
    "roles",
    "tracks",
    "convenings",
    "people",
    "organizations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
