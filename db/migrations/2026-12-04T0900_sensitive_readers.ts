import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Sensitive answers (access needs, legal names, travel support, passport details, sensitive
// questions) are read only by organizers who need them: a flag on the organizer's role. Every
// organizer had read them until now, so existing organizer roles keep the right.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("roles").addColumn("reads_sensitive", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable("roles").set({ reads_sensitive: 1 }).where("role", "=", "organizer").execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("roles").dropColumn("reads_sensitive").execute();
}
