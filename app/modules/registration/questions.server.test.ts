import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, registrationAnswers } from "../../../tests/factories";
import { fixedT } from "../../platform/i18n/i18next.server";
import { copySetup } from "../convenings/copy.server";
import { createConvening } from "../convenings/convenings.server";
import { eraseExpiredAnswers } from "../../features/account/erase.server";
import { personalData } from "../../features/account/export.server";
import { exportRegistrations } from "./csv.server";
import { listRegistrations } from "./queries.server";
import { submitRegistration, updateRegistration } from "./registering.server";
import { updateRegistrationSettings } from "./settings.server";
import { answersSchema, editQuestionSchema, newQuestionSchema, type Question } from "./questions";
import { addQuestion, answersForOrganizer, editQuestion, listQuestions, moveQuestion, ownAnswerValues, QuestionError, removeQuestion, restoreQuestion } from "./questions.server";
import { parseSubmission } from "../../lib/forms";

const DURING = new Date("2027-02-01T12:00:00Z");

function form(entries: Array<[string, string]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

const question = (over: Partial<Question> & Pick<Question, "kind">): Question => ({ id: 1, label: "Q", help: null, required: false, sensitive: false, options: [], position: 1, retired: false, ...over });

describe("the answers' schema", () => {
  const choices = [
    { id: "o1", label: "Tea", retired: false },
    { id: "o2", label: "Coffee", retired: false },
    { id: "o3", label: "Juice", retired: true },
  ];
  const qs: Question[] = [
    question({ id: 1, kind: "short_text", required: true }),
    question({ id: 2, kind: "long_text" }),
    question({ id: 3, kind: "one_choice", required: true, options: choices }),
    question({ id: 4, kind: "several_choices", options: choices }),
    question({ id: 5, kind: "yes_no", required: true }),
    question({ id: 6, kind: "date" }),
    question({ id: 7, kind: "short_text", required: true, retired: true }),
  ];
  const parse = (entries: Array<[string, string]>) => parseSubmission(answersSchema(qs), form(entries));

  it("takes right answers of each kind, trimmed, and leaves out empty optional ones and retired questions", () => {
    expect(parse([["q1", "  Hello "], ["q2", ""], ["q3", "o2"], ["q4", "o1"], ["q4", "o2"], ["q5", "no"], ["q6", "2027-06-02"]])).toEqual({
      ok: true,
      value: { q1: "Hello", q2: undefined, q3: "o2", q4: ["o1", "o2"], q5: "no", q6: "2027-06-02" },
    });
    expect(parse([["q1", "x"], ["q3", "o1"], ["q5", "yes"]])).toEqual({ ok: true, value: { q1: "x", q2: undefined, q3: "o1", q4: undefined, q5: "yes", q6: undefined } });
  });

  it("names each wrong answer beside its field: missing, too long, unknown or retired option, not yes/no, impossible date", () => {
    expect(parse([])).toMatchObject({ ok: false, errors: { q1: ["errors.required"], q3: ["errors.invalidChoice"], q5: ["errors.invalidChoice"] } });
    const wrong = parse([["q1", "x".repeat(201)], ["q2", "y".repeat(2001)], ["q3", "o3"], ["q4", "o9"], ["q5", "maybe"], ["q6", "2027-02-31"]]);
    expect(wrong).toMatchObject({ ok: false, errors: { q1: ["errors.tooLong"], q2: ["errors.tooLong"], q3: ["errors.invalidChoice"], q4: ["errors.invalidChoice"], q5: ["errors.invalidChoice"], q6: ["errors.date"] } });
    expect(parse([["q1", "x"], ["q3", "o1"], ["q3", "o2"], ["q5", "yes"]])).toMatchObject({ ok: false, errors: { q3: ["errors.invalidChoice"] } });
  });

  it("asks for two options for the choice kinds, and reads an edit's options by id", () => {
    expect(parseSubmission(newQuestionSchema, form([["kind", "one_choice"], ["label", "Pick"], ["options", "Only one"]]))).toMatchObject({ ok: false, errors: { options: ["registrationQuestions.errors.twoOptions"] } });
    expect(parseSubmission(newQuestionSchema, form([["kind", "one_choice"], ["label", "Pick"], ["options", "A\r\n\r\n B \nC"]]))).toMatchObject({ ok: true, value: { options: ["A", "B", "C"] } });
    expect(parseSubmission(editQuestionSchema, form([["id", "4"], ["label", "Pick"], ["option-o1", " Tea "], ["option-o2", ""], ["newOptions", "Mate"]]))).toEqual({
      ok: true,
      value: { id: 4, label: "Pick", help: undefined, required: false, sensitive: false, newOptions: ["Mate"], options: { o1: "Tea", o2: "" } },
    });
  });
});

describe.each(DATABASE_KINDS)("registration questions on %s", (kind) => {
  let t: TestDatabase;
  let organizerId: number;
  let conveningId: number;
  let trackId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    organizerId = (await person(t.db, { name: "Organizer" })).id;
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    const c = await convening(t.db, { slug: `q-${++seq}`, organizerId, registration: { opensAt: "2027-01-01T00:00:00.000Z", closesAt: "2027-05-01T00:00:00.000Z", now: DURING } });
    conveningId = c.id;
    trackId = c.trackIds[0]!;
  });

  const who = () => ({ conveningId, organizerId, now: DURING });
  async function setUp() {
    const diet = await addQuestion(t.db, { ...who(), question: { kind: "one_choice", label: "Meal", help: "For lunch", required: true, sensitive: false, options: ["Vegan", "Any"] } });
    const visa = await addQuestion(t.db, { ...who(), question: { kind: "yes_no", label: "Do you need a visa?", required: false, sensitive: true, options: [] } });
    const topics = await addQuestion(t.db, { ...who(), question: { kind: "several_choices", label: "Topics", required: false, sensitive: false, options: ["Law", "Health", "Money"] } });
    return { diet, visa, topics };
  }
  async function register(name: string, values: Record<string, string | string[]>) {
    const personId = (await person(t.db, { name })).id;
    const registration = await submitRegistration(t.db, { conveningId, personId, answers: { ...registrationAnswers({ tracks: [trackId], displayName: name }), ...values }, now: DURING });
    return { personId, registration };
  }

  it("stores the answers with the registration and gives them back to the person; an update changes them in place", async () => {
    const { diet, visa, topics } = await setUp();
    const { personId, registration } = await register("Ana", { [`q${diet.id}`]: "o1", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o1", "o3"] });
    expect(await ownAnswerValues(t.db, registration.id)).toEqual({ [`q${diet.id}`]: "o1", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o1", "o3"] });
    await updateRegistration(t.db, { conveningId, personId, answers: { ...registrationAnswers({ tracks: [trackId], displayName: "Ana" }), [`q${diet.id}`]: "o2", [`q${visa.id}`]: undefined, [`q${topics.id}`]: ["o3"] }, now: DURING });
    expect(await ownAnswerValues(t.db, registration.id)).toEqual({ [`q${diet.id}`]: "o2", [`q${topics.id}`]: ["o3"] });
  });

  it("refuses answers that do not fit the questions as they are now, and then stores nothing, not even the registration", async () => {
    const { diet } = await setUp();
    const personId = (await person(t.db, { name: "Bo" })).id;
    await expect(submitRegistration(t.db, { conveningId, personId, answers: { ...registrationAnswers({ tracks: [trackId] }), [`q${diet.id}`]: "o7" }, now: DURING })).rejects.toMatchObject({ code: "form_changed", status: 409 });
    await expect(submitRegistration(t.db, { conveningId, personId, answers: registrationAnswers({ tracks: [trackId] }), now: DURING })).rejects.toBeInstanceOf(QuestionError);
    expect(await t.db.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).execute()).toEqual([]);
    expect(await t.db.selectFrom("registration_answers").select("id").where("question_id", "=", diet.id).execute()).toHaveLength(0);
  });

  it("keeps answers readable after rewording, renaming and retiring options, and retiring the question", async () => {
    const { diet, topics } = await setUp();
    const { registration } = await register("Cy", { [`q${diet.id}`]: "o1", [`q${topics.id}`]: ["o2", "o3"] });
    await editQuestion(t.db, { ...who(), question: { id: diet.id, label: "Lunch", help: undefined, required: true, sensitive: false, newOptions: ["Halal"], options: { o1: "", o2: "Anything" } } });
    await editQuestion(t.db, { ...who(), question: { id: topics.id, label: "Topics", help: undefined, required: false, sensitive: false, newOptions: [], options: { o2: "Health and HIV" } } });
    const edited = (await listQuestions(t.db, conveningId)).find((q) => q.id === diet.id)!;
    expect(edited.options).toEqual([
      { id: "o1", label: "Vegan", retired: true },
      { id: "o2", label: "Anything", retired: false },
      { id: "o3", label: "Halal", retired: false },
    ]);
    expect(await removeQuestion(t.db, { ...who(), id: topics.id })).toBe("retired");
    const seen = await answersForOrganizer(t.db, { conveningId, registrationId: registration.id, organizerId, sensitive: false });
    expect(seen.open).toEqual([
      { questionId: diet.id, kind: "one_choice", label: "Lunch", answeredLabel: "Meal", text: null, choices: ["Vegan"], retired: false, answeredAt: DURING.toISOString() },
      { questionId: topics.id, kind: "several_choices", label: "Topics", answeredLabel: null, text: null, choices: ["Health and HIV", "Money"], retired: true, answeredAt: DURING.toISOString() },
    ]);
    expect((await listQuestions(t.db, conveningId)).map((q) => q.label)).toEqual(["Lunch", "Do you need a visa?"]);
    await restoreQuestion(t.db, { ...who(), id: topics.id });
    expect((await listQuestions(t.db, conveningId)).map((q) => q.label)).toEqual(["Lunch", "Do you need a visa?", "Topics"]);
  });

  it("deletes a question nobody answered, moves questions, and keeps an answered sensitive question sensitive", async () => {
    const { diet, visa, topics } = await setUp();
    await moveQuestion(t.db, { ...who(), id: topics.id, direction: "up" });
    // The first question cannot go further up: nothing changes, nothing is logged.
    await moveQuestion(t.db, { ...who(), id: diet.id, direction: "up" });
    expect((await listQuestions(t.db, conveningId)).map((q) => q.id)).toEqual([diet.id, topics.id, visa.id]);
    expect(await removeQuestion(t.db, { ...who(), id: topics.id })).toBe("deleted");
    await register("Di", { [`q${diet.id}`]: "o2", [`q${visa.id}`]: "no" });
    await expect(editQuestion(t.db, { ...who(), question: { id: visa.id, label: "Visa?", help: undefined, required: false, sensitive: false, newOptions: [], options: {} } })).rejects.toMatchObject({ code: "stays_sensitive" });
    const other = await createConvening(t.db, { slug: `other-${seq}`, title: "Other", startsOn: "2027-06-01", endsOn: "2027-06-03", timeZone: "UTC" });
    await expect(removeQuestion(t.db, { conveningId: other, organizerId, id: diet.id })).rejects.toMatchObject({ code: "not_found", status: 404 });
    const actions = await t.db.selectFrom("audit_log").select("action").where("convening_id", "=", conveningId).where("action", "like", "registration_question.%").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["registration_question.added", "registration_question.added", "registration_question.added", "registration_question.moved", "registration_question.removed"]);
  });

  it("shows sensitive answers only to organizers who read them, auditing each view", async () => {
    const { diet, visa } = await setUp();
    const { registration } = await register("Eli", { [`q${diet.id}`]: "o1", [`q${visa.id}`]: "yes" });
    const audits = () => t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "registration.sensitive_viewed").where("subject_id", "=", registration.id).execute();
    const withheld = await answersForOrganizer(t.db, { conveningId, registrationId: registration.id, organizerId, sensitive: false });
    expect(withheld.sensitive).toBeNull();
    expect(withheld.open.map((a) => a.questionId)).toEqual([diet.id]);
    expect(JSON.stringify(withheld)).not.toContain("visa");
    expect(await audits()).toEqual([]);
    const shown = await answersForOrganizer(t.db, { conveningId, registrationId: registration.id, organizerId, sensitive: true });
    expect(shown.sensitive).toMatchObject([{ questionId: visa.id, label: "Do you need a visa?", text: "yes" }]);
    expect(await audits()).toEqual([{ actor_id: organizerId, details: JSON.stringify({ questions: [visa.id] }) }]);
  });

  it("filters the table by an answer, never by a sensitive one", async () => {
    const { diet, visa, topics } = await setUp();
    await register("Fa", { [`q${diet.id}`]: "o1", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o1"] });
    await register("Gu", { [`q${diet.id}`]: "o2", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o1", "o3"] });
    await register("Ha", { [`q${diet.id}`]: "o2" });
    const names = async (answer: string) => (await listRegistrations(t.db, conveningId, { answer })).rows.map((r) => r.display_name);
    expect(await names(`${diet.id}:o2`)).toEqual(["Gu", "Ha"]);
    expect(await names(`${topics.id}:o1`)).toEqual(["Fa", "Gu"]);
    expect(await names(`${topics.id}:o3`)).toEqual(["Gu"]);
    expect(await names(`${visa.id}:yes`)).toEqual([]);
    expect((await listRegistrations(t.db, conveningId, { answer: `${diet.id}:o2` })).total).toBe(2);
  });

  it("gives each question a CSV column; sensitive ones only in the sensitive export", async () => {
    const { diet, visa, topics } = await setUp();
    await register("Ivo", { [`q${diet.id}`]: "o1", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o1", "o2"] });
    const csv = async (sensitive: boolean) => {
      const stream = await exportRegistrations(t.db, { conveningId, actorId: organizerId, filters: {}, sensitive, t: fixedT() });
      return (await new Response(stream).text()).split("\r\n").filter(Boolean);
    };
    const plain = await csv(false);
    expect(plain[0]!.endsWith(",Meal,Topics")).toBe(true);
    expect(plain[1]!.endsWith(",Vegan,Law; Health")).toBe(true);
    expect(plain.join("\n")).not.toContain("visa");
    const sensitive = await csv(true);
    expect(sensitive[0]!.endsWith(",Meal,Do you need a visa?,Topics")).toBe(true);
    expect(sensitive[1]!.endsWith(",Vegan,yes,Law; Health")).toBe(true);
  });

  it("copies the active questions with the setup, erases sensitive answers on the retention date, and puts every answer in the person's download", async () => {
    const { diet, visa, topics } = await setUp();
    const { personId } = await register("Jo", { [`q${diet.id}`]: "o2", [`q${visa.id}`]: "yes", [`q${topics.id}`]: ["o3"] });
    await removeQuestion(t.db, { ...who(), id: topics.id });

    const next = await createConvening(t.db, { slug: `next-${seq}`, title: "Next", startsOn: "2028-06-01", endsOn: "2028-06-03", timeZone: "UTC" });
    await copySetup(t.db, { fromId: conveningId, toId: next, organizerId });
    expect((await listQuestions(t.db, next, { retired: true })).map((q) => ({ kind: q.kind, label: q.label, sensitive: q.sensitive, required: q.required, options: q.options.map((o) => o.label) }))).toEqual([
      { kind: "one_choice", label: "Meal", sensitive: false, required: true, options: ["Vegan", "Any"] },
      { kind: "yes_no", label: "Do you need a visa?", sensitive: true, required: false, options: [] },
    ]);

    const data = await personalData(t.db, personId);
    expect(data!.registrationAnswers).toEqual([
      { convening: "Test Meeting", question: "Meal", questionNow: "Meal", sensitive: false, answer: "Any", answeredAt: DURING.toISOString() },
      { convening: "Test Meeting", question: "Do you need a visa?", questionNow: "Do you need a visa?", sensitive: true, answer: "yes", answeredAt: DURING.toISOString() },
      { convening: "Test Meeting", question: "Topics", questionNow: "Topics", sensitive: false, answer: "Money", answeredAt: DURING.toISOString() },
    ]);

    await updateRegistrationSettings(t.db, { conveningId, organizerId, opensAt: null, closesAt: null, capacity: null, approvalRequired: false, retentionOn: "2027-07-01", now: DURING });
    expect(await eraseExpiredAnswers(t.db, new Date("2027-07-02T12:00:00Z"))).toContain(conveningId);
    const left = await t.db.selectFrom("registration_answers").innerJoin("registrations", "registrations.id", "registration_answers.registration_id").select("registration_answers.question_id").where("registrations.person_id", "=", personId).orderBy("registration_answers.question_id").execute();
    expect(left.map((a) => a.question_id)).toEqual([diet.id, topics.id]);
    const audit = await t.db.selectFrom("audit_log").select("details").where("action", "=", "registrations.sensitive_erased").where("subject_id", "=", conveningId).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({ registrations: 1, answers: 1, letterRequests: 0, supportRequests: 0 });
  });
});
