import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Travel support as real requests: one per registration, with an amount and currency per kind
// (travel, lodging, per diem, visa fees), decided by organizers against a budget per convening.
// Amounts are whole minor units (cents). The old yes/no and reason become requests with the
// reason and no amounts, so nothing asked for is lost.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("support_budgets")
    .addColumn("convening_id", "integer", (c) => c.primaryKey().references("convenings.id").onDelete("cascade"))
    .addColumn("amount_cents", "integer", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("support_requests")
    .addColumn("id", "integer", id)
    .addColumn("registration_id", "integer", (c) => c.notNull().unique().references("registrations.id").onDelete("cascade"))
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    // waiting | granted | partly_granted | declined
    .addColumn("status", "text", (c) => c.notNull().defaultTo("waiting"))
    .addColumn("reason", "text")
    .addColumn("message", "text")
    // 1: the person changed the request after it was decided (it waits again)
    .addColumn("changed_after_decision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .addColumn("decided_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("erased_at", "text")
    .execute();
  await db.schema.createIndex("support_requests_convening").on("support_requests").columns(["convening_id", "status"]).execute();

  await db.schema
    .createTable("support_request_items")
    .addColumn("request_id", "integer", (c) => c.notNull().references("support_requests.id").onDelete("cascade"))
    // travel | lodging | per_diem | visa_fees
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    // null once erased
    .addColumn("requested_cents", "integer")
    .addColumn("granted_cents", "integer")
    .addPrimaryKeyConstraint("support_request_items_pk", ["request_id", "kind"])
    .execute();

  const old = await db.selectFrom("registrations").select(["id", "convening_id", "support_reason", "created_at"]).where("support_requested", "=", 1).execute();
  for (const r of old) {
    await db
      .insertInto("support_requests")
      .values({ registration_id: r.id, convening_id: r.convening_id, status: "waiting", reason: r.support_reason, requested_at: r.created_at })
      .execute();
  }
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.dropTable("support_request_items").execute();
  await db.schema.dropTable("support_requests").execute();
  await db.schema.dropTable("support_budgets").execute();
}
