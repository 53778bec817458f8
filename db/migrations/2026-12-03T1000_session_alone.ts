import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Organizers may mark a session "alone in its slot" (a keynote, a caucus everyone should be free
// for): the scheduler then puts nothing else beside it. Plenaries run alone by their format.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("proposals").addColumn("alone_in_slot", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("proposals").dropColumn("alone_in_slot").execute();
}
