import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// The check-in desk: people an organizer names as desk volunteers of a convening (a table of
// their own: the roles table's CHECK on role names cannot change on SQLite without a rebuild),
// and a short check-in code per registration, unique within its convening, that the desk
// searches by and the participant's QR code carries. Existing registrations get theirs here.

// Frozen copy of the alphabet the app uses: no 0/O, 1/I/L, so a code read aloud or typed is unambiguous.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH = 6;

function code(): string {
  let out = "";
  for (let i = 0; i < LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("desk_volunteers")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("added_by", "integer", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("desk_volunteers_one", ["convening_id", "person_id"])
    .execute();
  await db.schema.createIndex("desk_volunteers_person").on("desk_volunteers").column("person_id").execute();

  await db.schema.alterTable("registrations").addColumn("check_in_code", "text").execute();
  const rows: { id: number; convening_id: number }[] = await db.selectFrom("registrations").select(["id", "convening_id"]).orderBy("id").execute();
  const taken = new Map<number, Set<string>>();
  for (const row of rows) {
    const used = taken.get(row.convening_id) ?? new Set<string>();
    taken.set(row.convening_id, used);
    let next = code();
    while (used.has(next)) next = code();
    used.add(next);
    await db.updateTable("registrations").set({ check_in_code: next }).where("id", "=", row.id).execute();
  }
  await db.schema.createIndex("registrations_check_in_code").on("registrations").columns(["convening_id", "check_in_code"]).unique().execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.dropIndex("registrations_check_in_code").execute();
  await db.schema.alterTable("registrations").dropColumn("check_in_code").execute();
  await db.schema.dropTable("desk_volunteers").execute();
}
