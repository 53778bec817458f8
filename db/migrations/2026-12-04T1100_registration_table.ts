import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// The organizer's registrations table sorts by any of its columns and pages with a cursor (no
// OFFSET): each sort reads its first page, and any later one, along an index of the convening's
// rows in that order, id last, instead of sorting every registration. The expressions are the
// table's sort keys (registration/queries.server.ts), which an index must repeat to be used.

const INDEXES = [
  { name: "registrations_sort_name", key: "lower(display_name)" },
  { name: "registrations_sort_status", key: "status" },
  { name: "registrations_sort_attendance", key: "attendance" },
  { name: "registrations_sort_organization", key: "coalesce(lower(organization), '')" },
  { name: "registrations_sort_constituency", key: "coalesce(constituency, '')" },
  { name: "registrations_sort_country", key: "coalesce(lower(country), '')" },
  { name: "registrations_sort_support", key: "support_requested" },
] as const;

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  for (const index of INDEXES) {
    await db.schema
      .createIndex(index.name)
      .on("registrations")
      .expression(sql.raw(`convening_id, ${index.key}, id`))
      .execute();
  }
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  for (const index of [...INDEXES].reverse()) await db.schema.dropIndex(index.name).execute();
}
