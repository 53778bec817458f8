import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Indexes for a convening of thousands (the load benchmark, bench/load.ts): the organizer's
// registrations table reads its first page in order instead of sorting every registration; its
// counts, and the capacity check every registration makes while holding the write lock, read a
// narrow index instead of the wide rows; a session page finds its action items, notes and
// agenda entries without scanning all of them.

const INDEXES = [
  { name: "registrations_convening_created", table: "registrations", columns: ["convening_id", "created_at", "id"] },
  { name: "registrations_counts", table: "registrations", columns: ["convening_id", "status", "attendance", "support_requested", "constituency", "country"] },
  { name: "action_items_proposal", table: "action_items", columns: ["proposal_id"] },
  { name: "session_notes_proposal", table: "session_notes", columns: ["proposal_id"] },
  { name: "agenda_entries_proposal", table: "agenda_entries", columns: ["proposal_id"] },
] as const;

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  for (const index of INDEXES) await db.schema.createIndex(index.name).on(index.table).columns([...index.columns]).execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  for (const index of [...INDEXES].reverse()) await db.schema.dropIndex(index.name).execute();
}
