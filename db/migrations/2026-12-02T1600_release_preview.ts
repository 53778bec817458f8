import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// A held decision's revision: every decision taken on a proposal (a new state, or a new message
// with the same state) raises it, so a release preview can tell that a decision changed since it
// was shown even when the proposal ends up as it was (accepted, waitlisted, accepted again).
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("proposals").addColumn("decision_revision", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("proposals").dropColumn("decision_revision").execute();
}
