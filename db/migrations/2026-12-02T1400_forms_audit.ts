import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Forms that create something keep the token and a fingerprint of each submission they carried
// out, so that a double click or a form sent again from the back button creates nothing twice. The audit log
// is read a page at a time in time order. A draft proposal holds only what its author chose: its
// format, length and primary track stay empty until they choose them (submission requires them).

const DRAFT_COLUMNS = ["format", "length_minutes", "primary_track_id"] as const;

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("form_submissions")
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("form_submissions_pk", ["token", "form"])
    .execute();
  await db.schema.createIndex("form_submissions_created").on("form_submissions").column("created_at").execute();
  await db.schema.createIndex("form_submissions_same").on("form_submissions").columns(["person_id", "form", "fingerprint", "created_at"]).execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").columns(["at", "id"]).execute();

  if (dialect === "postgres") {
    for (const column of DRAFT_COLUMNS) await db.schema.alterTable("proposals").alterColumn(column, (c) => c.dropNotNull()).execute();
    return;
  }
  await rebuildProposals(db, (definition) => {
    let changed = definition;
    for (const column of DRAFT_COLUMNS) changed = changed.replace(new RegExp(`("${column}" (?:text|integer)) not null`), "$1");
    return changed;
  });
}

export async function down(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  // A draft that never chose gets what drafts used to get: the first format, length and track on offer.
  await sql`update proposals set format = coalesce(format, 'workshop'), length_minutes = coalesce(length_minutes, 60),
    primary_track_id = coalesce(primary_track_id, (select min(tracks.id) from tracks where tracks.convening_id = proposals.convening_id))`.execute(db);
  if (dialect === "postgres") {
    for (const column of DRAFT_COLUMNS) await db.schema.alterTable("proposals").alterColumn(column, (c) => c.setNotNull()).execute();
  } else {
    await rebuildProposals(db, (definition) => {
      let changed = definition;
      for (const column of DRAFT_COLUMNS) changed = changed.replace(new RegExp(`("${column}" (?:text|integer))(?! not null)`), "$1 not null");
      return changed;
    });
  }
  await db.schema.dropIndex("audit_log_at").execute();
  await db.schema.dropTable("form_submissions").execute();
}

/**
 * SQLite cannot drop or add a NOT NULL in place: the table is rebuilt from its own definition
 * (whatever columns earlier migrations gave it), its rows copied and its indexes recreated, with
 * foreign keys off so that dropping the old table deletes nothing that refers to it.
 */
async function rebuildProposals(db: Kysely<any>, change: (definition: string) => string): Promise<void> {
  const rows = await sql<{ type: string; sql: string | null }>`select type, sql from sqlite_master where tbl_name = 'proposals'`.execute(db);
  const table = rows.rows.find((r) => r.type === "table")?.sql;
  if (!table) throw new Error("proposals table not found");
  const indexes = rows.rows.filter((r) => r.type === "index" && r.sql).map((r) => r.sql!);
  const rebuilt = change(table).replace(/^CREATE TABLE "proposals"/, 'CREATE TABLE "proposals_rebuilt"');
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(rebuilt).execute(trx);
      await sql`insert into proposals_rebuilt select * from proposals`.execute(trx);
      await sql`drop table proposals`.execute(trx);
      await sql`alter table proposals_rebuilt rename to proposals`.execute(trx);
      for (const index of indexes) await sql.raw(index).execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error("rebuilding proposals broke a foreign key");
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
