// The organizers' own questions on a convening's registration form: add, edit, reorder, retire.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, Field, SelectField, TextareaField } from "../components/field";
import { requireConveningOrganizer } from "../features/access/access.server";
import { readForm } from "../modules/auth/csrf.server";
import { addQuestion, answerCounts, editQuestion, listQuestions, moveQuestion, removeQuestion, restoreQuestion } from "../modules/registration/questions.server";
import { CHOICE_KINDS, editQuestionSchema, moveQuestionSchema, newQuestionSchema, QUESTION_KINDS, QUESTION_LIMITS, questionIdSchema, type Question } from "../modules/registration/questions";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formAction, invalid } from "../lib/form-action.server";
import { valueOf, type FieldErrors, type FormValues } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const [questions, counts, t] = await Promise.all([listQuestions(db, convening.id, { retired: true }), answerCounts(db, convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("registrationQuestions.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    questions: questions.map((q) => ({ ...q, answers: counts.get(q.id) ?? 0 })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const here = `/organize/${convening.slug}/registrations/questions`;
  const who = { conveningId: convening.id, organizerId: user.id };
  const echo = { intent, id: String(form.get("id") ?? "") };
  switch (intent) {
    case "add":
      return formAction(form, newQuestionSchema, async (question) => (await addQuestion(db, { ...who, question }), redirect(`${here}?done=added`)), { echo, summary: "errors.fixBelow" });
    case "edit":
      return formAction(form, editQuestionSchema, async (question) => (await editQuestion(db, { ...who, question }), redirect(`${here}?done=edited`)), { echo, summary: "errors.fixBelow" });
    case "move":
      return formAction(form, moveQuestionSchema, async (v) => (await moveQuestion(db, { ...who, id: v.id, direction: v.direction }), redirect(`${here}?done=moved`)), { echo });
    case "remove":
      return formAction(form, questionIdSchema, async (v) => redirect(`${here}?done=${await removeQuestion(db, { ...who, id: v.id })}`), { echo });
    case "restore":
      return formAction(form, questionIdSchema, async (v) => (await restoreQuestion(db, { ...who, id: v.id }), redirect(`${here}?done=restored`)), { echo });
    default:
      return invalid({ form: ["errors.invalid"] }, form, { echo });
  }
}

type LoadedQuestion = Question & { answers: number };

function QuestionEditor({ question, values, errors }: { question: LoadedQuestion | null; values: FormValues | null; errors: FieldErrors }) {
  const { t } = useTranslation();
  const prefix = question ? `edit-${question.id}` : "new";
  const value = (name: string, saved: string) => (values ? (valueOf(values, name) ?? "") : saved);
  const checked = (name: string, saved: boolean) => (values ? values[name] === "on" : saved);
  return (
    <Form method="post" className="form" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value={question ? "edit" : "add"} />
      {question ? <input type="hidden" name="id" value={question.id} /> : null}
      {question ? (
        <p>
          {t("registrationQuestions.editor.kindFixed", { kind: t(`registrationQuestions.kind.${question.kind}`) })}
        </p>
      ) : (
        <SelectField
          id={`${prefix}-kind`}
          name="kind"
          label={t("registrationQuestions.editor.kind")}
          defaultValue={value("kind", "short_text")}
          errors={errors.kind}
          options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`registrationQuestions.kind.${k}`) }))}
        />
      )}
      <Field id={`${prefix}-label`} name="label" label={t("registrationQuestions.editor.label")} required maxLength={QUESTION_LIMITS.label} defaultValue={value("label", question?.label ?? "")} errors={errors.label} />
      <TextareaField id={`${prefix}-help`} name="help" label={t("registrationQuestions.editor.help")} hint={t("account.optional")} maxLength={QUESTION_LIMITS.help} defaultValue={value("help", question?.help ?? "")} errors={errors.help} />
      {question === null ? (
        <TextareaField id={`${prefix}-options`} name="options" label={t("registrationQuestions.editor.options")} hint={t("registrationQuestions.editor.optionsHint")} rows={4} defaultValue={value("options", "")} errors={errors.options} />
      ) : CHOICE_KINDS.includes(question.kind) ? (
        <fieldset className="field">
          <legend>{t("registrationQuestions.editor.options")}</legend>
          <p className="hint">{t("registrationQuestions.editor.optionsEditHint")}</p>
          {question.options
            .filter((o) => !o.retired)
            .map((o, i) => (
              <Field key={o.id} id={`${prefix}-option-${o.id}`} name={`option-${o.id}`} label={t("registrationQuestions.editor.optionN", { n: i + 1 })} maxLength={QUESTION_LIMITS.option} defaultValue={value(`option-${o.id}`, o.label)} errors={errors[`option-${o.id}`]} />
            ))}
          {question.options.some((o) => o.retired) ? (
            <p className="hint">{t("registrationQuestions.editor.retiredOptions", { options: question.options.filter((o) => o.retired).map((o) => o.label).join(", ") })}</p>
          ) : null}
          <TextareaField id={`${prefix}-newOptions`} name="newOptions" label={t("registrationQuestions.editor.newOptions")} hint={t("registrationQuestions.editor.optionsHint")} rows={2} defaultValue={value("newOptions", "")} errors={errors.newOptions} />
        </fieldset>
      ) : null}
      <CheckboxField name="required" label={t("registrationQuestions.editor.required")} defaultChecked={checked("required", question?.required ?? false)} />
      <CheckboxField name="sensitive" label={t("registrationQuestions.editor.sensitive")} hint={t("registrationQuestions.editor.sensitiveHint")} defaultChecked={checked("sensitive", question?.sensitive ?? false)} errors={errors.sensitive} />
      <div className="actions">
        <button type="submit" className="button">
          {question ? t("registrationQuestions.editor.save") : t("registrationQuestions.editor.add")}
        </button>
        {question ? (
          <Link to="." className="button button--secondary">
            {t("registrationQuestions.editor.cancel")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

function SmallForm({ intent, id, extra, label, danger }: { intent: string; id: number; extra?: Record<string, string>; label: string; danger?: boolean }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={`button button--small ${danger ? "button--danger" : "button--secondary"}`}>
        {label}
      </button>
    </Form>
  );
}

export default function RegistrationQuestions() {
  const { convening, questions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  const failed = actionData && !actionData.ok ? actionData : null;
  const editing = failed?.intent === "edit" ? Number(failed.id) : Number(params.get("edit") ?? 0);
  const active = questions.filter((q) => !q.retired);
  const retired = questions.filter((q) => q.retired);
  const errorsFor = (intent: string, id?: number) => (failed && failed.intent === intent && (id === undefined || Number(failed.id) === id) ? failed.errors : {});
  const valuesFor = (intent: string, id?: number) => (failed && failed.intent === intent && (id === undefined || Number(failed.id) === id) ? failed.values : null);

  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/registrations`}>{t("registrationQuestions.back")}</Link>
      </p>
      <h1>{t("registrationQuestions.heading")}</h1>
      <p>{t("registrationQuestions.intro")}</p>
      {done ? (
        <p className="notice notice--ok" role="status">
          {t(`registrationQuestions.done.${done as "added"}`)}
        </p>
      ) : null}
      {failed ? (
        <p className="notice notice--error" role="alert">
          {t(failed.message as "errors.invalid")}
        </p>
      ) : null}

      <h2>{t("registrationQuestions.onForm")}</h2>
      {active.length === 0 ? <p>{t("registrationQuestions.none")}</p> : null}
      <ol className="question-list">
        {active.map((q, i) => (
          <li key={q.id} className="card">
            <h3>{q.label}</h3>
            <p className="muted">
              {[t(`registrationQuestions.kind.${q.kind}`), q.required ? t("registrationQuestions.required") : t("registrationQuestions.optional"), q.sensitive ? t("registrationQuestions.sensitive") : null, t("registrationQuestions.answerCount", { count: q.answers })]
                .filter(Boolean)
                .join(" · ")}
            </p>
            {q.help ? <p className="hint">{q.help}</p> : null}
            {CHOICE_KINDS.includes(q.kind) ? (
              <ul>
                {q.options
                  .filter((o) => !o.retired)
                  .map((o) => (
                    <li key={o.id}>{o.label}</li>
                  ))}
              </ul>
            ) : null}
            {editing === q.id ? (
              <QuestionEditor question={q} values={valuesFor("edit", q.id)} errors={errorsFor("edit", q.id)} />
            ) : (
              <div className="actions">
                <Link to={`?edit=${q.id}`} className="button button--small button--secondary" aria-label={t("registrationQuestions.editNamed", { label: q.label })}>
                  {t("registrationQuestions.edit")}
                </Link>
                {i > 0 ? <SmallForm intent="move" id={q.id} extra={{ direction: "up" }} label={t("registrationQuestions.moveUp")} /> : null}
                {i < active.length - 1 ? <SmallForm intent="move" id={q.id} extra={{ direction: "down" }} label={t("registrationQuestions.moveDown")} /> : null}
                <SmallForm intent="remove" id={q.id} label={q.answers > 0 ? t("registrationQuestions.retire") : t("registrationQuestions.remove")} danger />
              </div>
            )}
          </li>
        ))}
      </ol>

      <h2 id="add-heading">{t("registrationQuestions.add")}</h2>
      {/* A new key after each question added: with JavaScript the page stays, and the form must start empty again. */}
      <QuestionEditor key={`new-${questions.length}`} question={null} values={valuesFor("add")} errors={errorsFor("add")} />

      {retired.length ? (
        <>
          <h2>{t("registrationQuestions.retiredHeading")}</h2>
          <p>{t("registrationQuestions.retiredIntro")}</p>
          <ul className="question-list">
            {retired.map((q) => (
              <li key={q.id} className="card">
                <h3>{q.label}</h3>
                <p className="muted">{[t(`registrationQuestions.kind.${q.kind}`), t("registrationQuestions.answerCount", { count: q.answers })].join(" · ")}</p>
                <SmallForm intent="restore" id={q.id} label={t("registrationQuestions.restore")} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
