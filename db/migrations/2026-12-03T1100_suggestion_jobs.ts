import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// "Suggest" becomes a job: the scheduler runs in a worker thread off the request path, and its
// progress, best figures and result live here, so they survive a page reload and a restart.
// At most one job per convening is queued or running, enforced by a partial unique index (both
// SQLite and PostgreSQL have them). The job replaces the old one-row-per-suggestion table.

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("suggestion_jobs")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued"))
    // options: keep the published agenda (moves of published sessions cost) or a fresh schedule
    .addColumn("keep_published", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("fairness", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("time_limit_ms", "integer", (c) => c.notNull())
    .addColumn("stop_requested", "integer", (c) => c.notNull().defaultTo(0))
    // the working agenda changed while the job ran: its result may not be accepted
    .addColumn("stale", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: { elapsedMs, timeLimitMs, iterations, best: Score }
    .addColumn("progress", "text")
    // JSON: the working agenda's figures when the job started
    .addColumn("current_score", "text")
    // JSON: { placements, unplaced, score, moves }
    .addColumn("result", "text")
    .addColumn("error", "text")
    // the process holding a running job, and when it last said so
    .addColumn("claimed_by", "text")
    .addColumn("heartbeat_at", "text")
    .addColumn("started_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addCheckConstraint("suggestion_jobs_status", sql`status in ('queued', 'running', 'done', 'stopped', 'failed', 'accepted', 'discarded')`)
    .execute();
  await db.schema.createIndex("suggestion_jobs_convening").on("suggestion_jobs").columns(["convening_id", "id"]).execute();
  await db.schema
    .createIndex("suggestion_jobs_one_active")
    .on("suggestion_jobs")
    .column("convening_id")
    .unique()
    .where(sql.ref("status"), "in", ["queued", "running"])
    .execute();
  await db.schema.createIndex("suggestion_jobs_queue").on("suggestion_jobs").columns(["status", "id"]).execute();
  await db.schema.dropTable("agenda_suggestions").execute();
}

export async function down(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());
  await db.schema.dropTable("suggestion_jobs").execute();
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
}
