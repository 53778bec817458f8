// Organizers' own registration questions and their answers: the editor's changes (each audited),
// storing a form's answers inside the registration's transaction, and every reading of answers
// (the person's own, the organizer's with sensitive ones audited, filters, export, erasure).
import type { ExpressionBuilder } from "kysely";
import type { Database, QuestionKind } from "../../../db/schema";
import { inTransaction, type Executor, type Trx } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { DomainError, refusals } from "../../lib/domain-error";
import type { FormValues } from "../../lib/forms";
import {
  answersOf,
  answersSchema,
  CHOICE_KINDS,
  FILTERABLE_KINDS,
  fieldName,
  QUESTION_LIMITS,
  type AnswerValue,
  type AnswerView,
  type EditQuestionInput,
  type NewQuestionInput,
  type Question,
  type QuestionOption,
} from "./questions";

type QuestionErrorCode = "not_found" | "two_options" | "stays_sensitive" | "too_many" | "form_changed";

const QUESTION_REFUSALS = refusals<QuestionErrorCode>({
  not_found: "errors.page.notFound",
  two_options: { key: "registrationQuestions.errors.twoOptions", field: "newOptions" },
  stays_sensitive: { key: "registrationQuestions.errors.staysSensitive", field: "sensitive" },
  too_many: "registrationQuestions.errors.tooMany",
  form_changed: "registrationQuestions.errors.formChanged",
});

export class QuestionError extends DomainError<QuestionErrorCode> {
  constructor(code: QuestionErrorCode, status: number) {
    super(code, status, QUESTION_REFUSALS);
    this.name = "QuestionError";
  }
}

type QuestionRow = { id: number; kind: QuestionKind; label: string; help: string | null; required: number; sensitive: number; options: string; position: number; retired_at: string | null };

function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    help: row.help,
    required: row.required === 1,
    sensitive: row.sensitive === 1,
    options: JSON.parse(row.options) as QuestionOption[],
    position: row.position,
    retired: row.retired_at !== null,
  };
}

const QUESTION_COLUMNS = ["id", "kind", "label", "help", "required", "sensitive", "options", "position", "retired_at"] as const;

/** A convening's questions in form order; retired ones (after the active) only when asked for. */
export async function listQuestions(db: Executor, conveningId: number, options: { retired?: boolean } = {}): Promise<Question[]> {
  let query = db.selectFrom("registration_questions").select(QUESTION_COLUMNS).where("convening_id", "=", conveningId);
  if (!options.retired) query = query.where("retired_at", "is", null);
  const rows = await query.orderBy("position").orderBy("id").execute();
  const questions = rows.map(toQuestion);
  return [...questions.filter((q) => !q.retired), ...questions.filter((q) => q.retired)];
}

async function questionOf(trx: Executor, conveningId: number, id: number): Promise<Question> {
  const row = await trx.selectFrom("registration_questions").select(QUESTION_COLUMNS).where("convening_id", "=", conveningId).where("id", "=", id).executeTakeFirst();
  if (!row) throw new QuestionError("not_found", 404);
  return toQuestion(row);
}

async function answerCount(trx: Executor, questionId: number): Promise<number> {
  const row = await trx.selectFrom("registration_answers").select((eb) => eb.fn.countAll<number>().as("n")).where("question_id", "=", questionId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many answers each of a convening's questions has (the editor says so before retiring). */
export async function answerCounts(db: Executor, conveningId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("registration_answers")
    .innerJoin("registration_questions", "registration_questions.id", "registration_answers.question_id")
    .select((eb) => ["registration_answers.question_id", eb.fn.countAll<number>().as("n")])
    .where("registration_questions.convening_id", "=", conveningId)
    .groupBy("registration_answers.question_id")
    .execute();
  return new Map(rows.map((r) => [r.question_id, Number(r.n)]));
}

type Actor = { conveningId: number; organizerId: number; now?: Date };

/** An organizer adds a question at the end of the form. */
export async function addQuestion(db: Executor, input: Actor & { question: NewQuestionInput }): Promise<Question> {
  const now = (input.now ?? new Date()).toISOString();
  return inTransaction(db, async (trx) => {
    const existing = await trx.selectFrom("registration_questions").select(["position"]).where("convening_id", "=", input.conveningId).execute();
    if (existing.length >= QUESTION_LIMITS.questions) throw new QuestionError("too_many", 409);
    const q = input.question;
    const options: QuestionOption[] = CHOICE_KINDS.includes(q.kind) ? q.options.map((label, i) => ({ id: `o${i + 1}`, label, retired: false })) : [];
    const row = await trx
      .insertInto("registration_questions")
      .values({
        convening_id: input.conveningId,
        kind: q.kind,
        label: q.label,
        help: q.help ?? null,
        required: q.required ? 1 : 0,
        sensitive: q.sensitive ? 1 : 0,
        options: JSON.stringify(options),
        position: Math.max(0, ...existing.map((e) => e.position)) + 1,
        created_at: now,
        updated_at: now,
      })
      .returning(QUESTION_COLUMNS)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.added", subjectType: "registration_question", subjectId: row.id, conveningId: input.conveningId, details: { kind: q.kind, sensitive: q.sensitive }, now: input.now });
    return toQuestion(row);
  });
}

/**
 * An organizer changes a question's wording, help, whether it is required or sensitive, and its
 * options. The kind stays. Options keep their ids: an emptied one is retired (answers that chose
 * it keep its label), new ones get new ids. A sensitive question with answers stays sensitive.
 */
export async function editQuestion(db: Executor, input: Actor & { question: EditQuestionInput }): Promise<Question> {
  const now = (input.now ?? new Date()).toISOString();
  return inTransaction(db, async (trx) => {
    const current = await questionOf(trx, input.conveningId, input.question.id);
    const q = input.question;
    if (current.sensitive && !q.sensitive && (await answerCount(trx, current.id)) > 0) throw new QuestionError("stays_sensitive", 409);
    let options = current.options;
    if (CHOICE_KINDS.includes(current.kind)) {
      options = current.options.map((o) => {
        const label = q.options[o.id];
        if (label === undefined || o.retired) return o;
        return label === "" ? { ...o, retired: true } : { ...o, label };
      });
      let next = Math.max(0, ...options.map((o) => Number(o.id.slice(1)) || 0)) + 1;
      for (const label of q.newOptions) options.push({ id: `o${next++}`, label, retired: false });
      if (options.filter((o) => !o.retired).length < 2) throw new QuestionError("two_options", 400);
      if (options.length > QUESTION_LIMITS.options * 2) throw new QuestionError("too_many", 409);
    }
    const row = await trx
      .updateTable("registration_questions")
      .set({ label: q.label, help: q.help ?? null, required: q.required ? 1 : 0, sensitive: q.sensitive ? 1 : 0, options: JSON.stringify(options), updated_at: now })
      .where("id", "=", current.id)
      .returning(QUESTION_COLUMNS)
      .executeTakeFirstOrThrow();
    const changed = (["label", "help", "required", "sensitive"] as const).filter((k) => current[k] !== (k === "help" ? (q.help ?? null) : q[k]));
    if (JSON.stringify(options) !== JSON.stringify(current.options)) changed.push("options" as never);
    await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.edited", subjectType: "registration_question", subjectId: row.id, conveningId: input.conveningId, details: { fields: changed }, now: input.now });
    return toQuestion(row);
  });
}

/** Moves an active question one place up or down the form. */
export async function moveQuestion(db: Executor, input: Actor & { id: number; direction: "up" | "down" }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await questionOf(trx, input.conveningId, input.id);
    if (current.retired) throw new QuestionError("not_found", 404);
    const list = await listQuestions(trx, input.conveningId);
    const at = list.findIndex((q) => q.id === current.id);
    const other = list[input.direction === "up" ? at - 1 : at + 1];
    if (!other) return;
    // Renumber the form so that equal positions (after a copy, say) cannot make a swap a no-op.
    const order = list.map((q) => q.id);
    [order[at], order[list.indexOf(other)]] = [other.id, current.id];
    for (const [i, id] of order.entries()) await trx.updateTable("registration_questions").set({ position: i + 1 }).where("id", "=", id).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.moved", subjectType: "registration_question", subjectId: current.id, conveningId: input.conveningId, details: { direction: input.direction }, now: input.now });
  });
}

/** Takes a question off the form: deleted when nobody answered it, retired (its answers kept) otherwise. */
export async function removeQuestion(db: Executor, input: Actor & { id: number }): Promise<"deleted" | "retired"> {
  return inTransaction(db, async (trx) => {
    const current = await questionOf(trx, input.conveningId, input.id);
    const answers = await answerCount(trx, current.id);
    if (answers === 0) {
      await trx.deleteFrom("registration_questions").where("id", "=", current.id).execute();
      await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.removed", subjectType: "registration_question", subjectId: current.id, conveningId: input.conveningId, now: input.now });
      return "deleted";
    }
    if (!current.retired) {
      await trx.updateTable("registration_questions").set({ retired_at: (input.now ?? new Date()).toISOString() }).where("id", "=", current.id).execute();
      await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.retired", subjectType: "registration_question", subjectId: current.id, conveningId: input.conveningId, details: { answers }, now: input.now });
    }
    return "retired";
  });
}

/** Puts a retired question back at the end of the form. */
export async function restoreQuestion(db: Executor, input: Actor & { id: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await questionOf(trx, input.conveningId, input.id);
    if (!current.retired) return;
    const last = await trx.selectFrom("registration_questions").select((eb) => eb.fn.max("position").as("p")).where("convening_id", "=", input.conveningId).executeTakeFirst();
    await trx.updateTable("registration_questions").set({ retired_at: null, position: Number(last?.p ?? 0) + 1 }).where("id", "=", current.id).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: "registration_question.restored", subjectType: "registration_question", subjectId: current.id, conveningId: input.conveningId, now: input.now });
  });
}

function optionLabels(question: Question, value: AnswerValue): string[] {
  if (!CHOICE_KINDS.includes(question.kind)) return [];
  const ids = Array.isArray(value) ? value : [value];
  return ids.map((id) => question.options.find((o) => o.id === id)?.label ?? "");
}

/**
 * Stores a form's answers to the convening's active questions, inside the registration's own
 * transaction. The answers are checked again against the questions as they are now: a form
 * shown before an organizer changed its questions is refused, and nothing is stored.
 * An emptied answer is removed; answers to retired questions stay as they were.
 */
export async function saveAnswers(trx: Trx, input: { conveningId: number; registrationId: number; values: Record<string, unknown>; now: Date }): Promise<void> {
  const questions = await listQuestions(trx, input.conveningId);
  if (questions.length === 0) return;
  const parsed = answersSchema(questions).safeParse(Object.fromEntries(questions.map((q) => [fieldName(q.id), input.values[fieldName(q.id)]])));
  if (!parsed.success) throw new QuestionError("form_changed", 409);
  const answers = answersOf(questions, parsed.data);
  const existing = await trx.selectFrom("registration_answers").select(["question_id", "value", "label"]).where("registration_id", "=", input.registrationId).execute();
  const before = new Map(existing.map((a) => [a.question_id, a]));
  const at = input.now.toISOString();
  for (const question of questions) {
    const answer = answers.get(question.id);
    const stored = before.get(question.id);
    if (answer === undefined) {
      if (stored) await trx.deleteFrom("registration_answers").where("registration_id", "=", input.registrationId).where("question_id", "=", question.id).execute();
      continue;
    }
    const value = Array.isArray(answer) ? JSON.stringify(answer) : answer;
    // An answer left as it was keeps the wording it was given to.
    if (stored && stored.value === value) continue;
    const row = { value, label: question.label, option_labels: JSON.stringify(optionLabels(question, answer)), answered_at: at };
    if (stored) await trx.updateTable("registration_answers").set(row).where("registration_id", "=", input.registrationId).where("question_id", "=", question.id).execute();
    else await trx.insertInto("registration_answers").values({ ...row, registration_id: input.registrationId, question_id: question.id }).execute();
  }
}

type AnswerRow = { question_id: number; value: string; label: string; option_labels: string; answered_at: string };

function view(question: Question, row: AnswerRow): AnswerView {
  const isChoice = CHOICE_KINDS.includes(question.kind);
  const snapshot = JSON.parse(row.option_labels) as string[];
  const ids = isChoice ? (question.kind === "several_choices" ? (JSON.parse(row.value) as string[]) : [row.value]) : [];
  return {
    questionId: question.id,
    kind: question.kind,
    label: question.label,
    answeredLabel: row.label !== question.label ? row.label : null,
    text: isChoice ? null : row.value,
    // An option's current label, or the one it had when chosen if it has gone since.
    choices: ids.map((id, i) => question.options.find((o) => o.id === id)?.label ?? snapshot[i] ?? id),
    retired: question.retired,
    answeredAt: row.answered_at,
  };
}

async function answerRows(db: Executor, registrationIds: number[], questionIds: number[]) {
  if (registrationIds.length === 0 || questionIds.length === 0) return [];
  return db
    .selectFrom("registration_answers")
    .select(["registration_id", "question_id", "value", "label", "option_labels", "answered_at"])
    .where("registration_id", "in", registrationIds)
    .where("question_id", "in", questionIds)
    .execute();
}

/**
 * A registration's answers for an organizer, in form order (retired questions last). Answers to
 * sensitive questions are read only when the organizer may (`sensitive`), and that reading is
 * written to the audit log; otherwise they are not read at all and `sensitive` is null.
 */
export async function answersForOrganizer(db: Executor, input: { conveningId: number; registrationId: number; organizerId: number; sensitive: boolean }) {
  const questions = (await listQuestions(db, input.conveningId, { retired: true })).filter((q) => input.sensitive || !q.sensitive);
  const rows = await answerRows(db, [input.registrationId], questions.map((q) => q.id));
  const byQuestion = new Map(rows.map((r) => [r.question_id, r]));
  const answered = questions.flatMap((q) => {
    const row = byQuestion.get(q.id);
    return row ? [{ question: q, answer: view(q, row) }] : [];
  });
  const open = answered.filter((a) => !a.question.sensitive).map((a) => a.answer);
  if (!input.sensitive) return { open, sensitive: null };
  const sensitive = answered.filter((a) => a.question.sensitive).map((a) => a.answer);
  if (sensitive.length > 0) {
    await writeAudit(db, {
      actorId: input.organizerId,
      action: "registration.sensitive_viewed",
      subjectType: "registration",
      subjectId: input.registrationId,
      conveningId: input.conveningId,
      details: { questions: sensitive.map((a) => a.questionId) },
    });
  }
  return { open, sensitive };
}

/** The person's own answers as the form's values (`q<id>`), to show them again when they return. */
export async function ownAnswerValues(db: Executor, registrationId: number): Promise<FormValues> {
  const rows = await db
    .selectFrom("registration_answers")
    .innerJoin("registration_questions", "registration_questions.id", "registration_answers.question_id")
    .select(["registration_answers.question_id", "registration_answers.value", "registration_questions.kind"])
    .where("registration_answers.registration_id", "=", registrationId)
    .where("registration_questions.retired_at", "is", null)
    .execute();
  const values: FormValues = {};
  for (const row of rows) values[fieldName(row.question_id)] = row.kind === "several_choices" ? (JSON.parse(row.value) as string[]) : row.value;
  return values;
}

/** Every answer a person gave, for their own data download: the question as they answered it and as it reads now. */
export async function answersOfPerson(db: Executor, personId: number) {
  const rows = await db
    .selectFrom("registration_answers")
    .innerJoin("registrations", "registrations.id", "registration_answers.registration_id")
    .innerJoin("convenings", "convenings.id", "registrations.convening_id")
    .select(["convenings.title as convening", "registration_answers.question_id", "registration_answers.value", "registration_answers.label", "registration_answers.option_labels", "registration_answers.answered_at"])
    .where("registrations.person_id", "=", personId)
    .orderBy("registrations.id")
    .orderBy("registration_answers.question_id")
    .execute();
  if (rows.length === 0) return [];
  const questions = await db.selectFrom("registration_questions").select(QUESTION_COLUMNS).where("id", "in", [...new Set(rows.map((r) => r.question_id))]).execute();
  const byId = new Map(questions.map((q) => [q.id, toQuestion(q)]));
  return rows.map((r) => {
    const question = byId.get(r.question_id)!;
    const v = view(question, r);
    return { convening: r.convening, question: r.label, questionNow: v.label, sensitive: question.sensitive, answer: v.text ?? v.choices.join("; "), answeredAt: v.answeredAt };
  });
}

/** The questions a registrations table can filter by: one choice, several choices, yes/no; never a sensitive one. */
export async function filterableQuestions(db: Executor, conveningId: number): Promise<Question[]> {
  return (await listQuestions(db, conveningId, { retired: true })).filter((q) => !q.sensitive && FILTERABLE_KINDS.includes(q.kind));
}

/**
 * The filter "question = option" (`<question id>:<option id>`) as a condition on registrations:
 * an answer to that (non-sensitive) question of the same convening that chose the option.
 */
export function answerFilter(filter: string) {
  const [questionPart, option] = filter.split(":") as [string, string];
  const questionId = Number(questionPart);
  return (eb: ExpressionBuilder<Database, "registrations">) =>
    eb.exists(
      eb
        .selectFrom("registration_answers")
        .innerJoin("registration_questions", "registration_questions.id", "registration_answers.question_id")
        .select("registration_answers.id")
        .whereRef("registration_answers.registration_id", "=", "registrations.id")
        .whereRef("registration_questions.convening_id", "=", "registrations.convening_id")
        .where("registration_questions.id", "=", questionId)
        .where("registration_questions.sensitive", "=", 0)
        .where((inner) =>
          inner.or([
            inner.and([inner("registration_questions.kind", "in", ["one_choice", "yes_no"]), inner("registration_answers.value", "=", option)]),
            // several choices: a JSON list of ids, one of them this one (ids are letters and digits, so the quoted id is exact)
            inner.and([inner("registration_questions.kind", "=", "several_choices"), inner("registration_answers.value", "like", `%"${option}"%`)]),
          ]),
        ),
    );
}

/** The questions an export has a column for: sensitive ones only in a sensitive export. */
export async function exportQuestions(db: Executor, conveningId: number, sensitive: boolean): Promise<Question[]> {
  return (await listQuestions(db, conveningId, { retired: true })).filter((q) => sensitive || !q.sensitive);
}

/** The answers of a page of exported registrations, as cell texts by registration and question. */
export async function answerCells(db: Executor, registrationIds: number[], questions: readonly Question[]): Promise<Map<number, Map<number, AnswerView>>> {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const rows = await answerRows(db, registrationIds, questions.map((q) => q.id));
  const cells = new Map<number, Map<number, AnswerView>>();
  for (const row of rows) {
    const list = cells.get(row.registration_id) ?? new Map<number, AnswerView>();
    list.set(row.question_id, view(byId.get(row.question_id)!, row));
    cells.set(row.registration_id, list);
  }
  return cells;
}

/** Erases the answers to a convening's sensitive questions (the retention job, in its transaction). */
export async function eraseSensitiveAnswers(trx: Executor, conveningId: number): Promise<number> {
  const result = await trx
    .deleteFrom("registration_answers")
    .where("question_id", "in", (eb) => eb.selectFrom("registration_questions").select("id").where("convening_id", "=", conveningId).where("sensitive", "=", 1))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
