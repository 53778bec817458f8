import type { Kysely } from "kysely";
import type { MigrationDialect } from "../dialect";

// Organizers' own questions on a convening's registration form, and the answers to them.
// A question with answers is retired rather than deleted, so its answers stay readable; an
// answer keeps the wording it was given to (label and chosen options' labels), and choices are
// stored by the options' stable ids.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (col: any) => (dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());

  await db.schema
    .createTable("registration_questions")
    .addColumn("id", "integer", id)
    .addColumn("convening_id", "integer", (c) => c.notNull().references("convenings.id").onDelete("cascade"))
    // short_text | long_text | one_choice | several_choices | yes_no | date
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("help", "text")
    .addColumn("required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sensitive", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: [{ id, label, retired }] for the choice kinds, [] otherwise
    .addColumn("options", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("registration_questions_convening").on("registration_questions").columns(["convening_id", "position"]).execute();

  await db.schema
    .createTable("registration_answers")
    .addColumn("id", "integer", id)
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("question_id", "integer", (c) => c.notNull().references("registration_questions.id").onDelete("cascade"))
    // text, a date (YYYY-MM-DD), "yes"/"no", or a JSON list of option ids
    .addColumn("value", "text", (c) => c.notNull())
    // the question's wording and the chosen options' labels when it was answered
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("option_labels", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("answered_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("registration_answers_one").on("registration_answers").columns(["registration_id", "question_id"]).unique().execute();
  await db.schema.createIndex("registration_answers_question").on("registration_answers").columns(["question_id", "value"]).execute();
}

export async function down(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.dropTable("registration_answers").execute();
  await db.schema.dropTable("registration_questions").execute();
}
