// The organizers' own questions where pages show them: as fields on the registration form, as
// answers on an organizer's page, and as the table's filter "question = option".
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { FieldErrors, FormValues } from "../lib/forms";
import { formatDay } from "../lib/format";
import { ChoiceGroup, Field, TextareaField } from "./field";
import { fieldName, QUESTION_LIMITS, type AnswerView, type Question } from "../modules/registration/questions";

/** The form's section of the organizers' questions, in their order, with what was typed and the errors beside each. */
export function QuestionFields({ questions, values, errors }: { questions: readonly Question[]; values: FormValues; errors: FieldErrors }) {
  const { t } = useTranslation();
  if (questions.length === 0) return null;
  const list = (name: string): string[] => {
    const v = values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const text = (name: string) => {
    const v = values[name];
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  };
  return (
    <section aria-labelledby="questions-heading" className="question-fields">
      <h2 id="questions-heading">{t("registrationQuestions.form.heading")}</h2>
      {questions.some((q) => q.sensitive) ? <p className="hint">{t("registrationQuestions.form.sensitiveIntro")}</p> : null}
      {questions.map((q) => {
        const name = fieldName(q.id);
        const hint = [q.help, q.required ? null : t("account.optional"), q.sensitive ? t("registrationQuestions.form.sensitiveHint") : null].filter(Boolean).join(" ") || undefined;
        const label = q.label;
        switch (q.kind) {
          case "short_text":
            return <Field key={q.id} name={name} label={label} hint={hint} required={q.required} maxLength={QUESTION_LIMITS.shortText} defaultValue={text(name)} errors={errors[name]} />;
          case "long_text":
            return <TextareaField key={q.id} name={name} label={label} hint={hint} required={q.required} maxLength={QUESTION_LIMITS.longText} rows={4} defaultValue={text(name)} errors={errors[name]} />;
          case "date":
            return <Field key={q.id} name={name} type="date" label={label} hint={hint} required={q.required} defaultValue={text(name)} errors={errors[name]} />;
          case "yes_no":
            return (
              <ChoiceGroup
                key={q.id}
                name={name}
                type="radio"
                legend={label}
                hint={hint}
                required={q.required}
                errors={errors[name]}
                selected={list(name)}
                options={[
                  { value: "yes", label: t("registration.yes") },
                  { value: "no", label: t("registration.no") },
                ]}
              />
            );
          case "one_choice":
          case "several_choices":
            return (
              <ChoiceGroup
                key={q.id}
                name={name}
                type={q.kind === "one_choice" ? "radio" : "checkbox"}
                legend={label}
                hint={hint}
                required={q.required}
                errors={errors[name]}
                selected={list(name)}
                options={q.options.filter((o) => !o.retired).map((o) => ({ value: o.id, label: o.label }))}
              />
            );
        }
      })}
    </section>
  );
}

/** One answer's words: yes/no and dates in the reader's language, choices by their labels. */
export function AnswerText({ answer, locale }: { answer: AnswerView; locale: string }) {
  const { t } = useTranslation();
  if (answer.kind === "yes_no") return <>{answer.text === "yes" ? t("registration.yes") : t("registration.no")}</>;
  if (answer.kind === "date" && answer.text) return <>{formatDay(answer.text, locale)}</>;
  if (answer.choices.length) return <>{answer.choices.join(", ")}</>;
  return <span className="prewrap">{answer.text}</span>;
}

/** Answers as terms and descriptions (inside a `dl`), each with a note when it was given to an earlier wording or the question is retired. */
export function AnswerFacts({ answers, locale }: { answers: readonly AnswerView[]; locale: string }) {
  const { t } = useTranslation();
  return (
    <>
      {answers.map((a) => (
        <Fragment key={a.questionId}>
          <dt>{a.label}</dt>
          <dd>
            <AnswerText answer={a} locale={locale} />
            {a.answeredLabel ? <span className="hint"> {t("registrationQuestions.answers.earlierWording", { label: a.answeredLabel })}</span> : null}
            {a.retired ? <span className="hint"> {t("registrationQuestions.answers.retired")}</span> : null}
          </dd>
        </Fragment>
      ))}
    </>
  );
}

/** The registrations table's filter by an answer: each choice and yes/no question with its options. */
export function AnswerFilterField({ questions, value }: { questions: readonly Question[]; value: string | undefined }) {
  const { t } = useTranslation();
  if (questions.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor="field-answer">{t("registrationQuestions.filter.label")}</label>
      <select id="field-answer" name="answer" defaultValue={value ?? ""}>
        <option value="">{t("organizeRegistrations.filter.any")}</option>
        {questions.map((q) => (
          <optgroup key={q.id} label={q.label}>
            {(q.kind === "yes_no"
              ? [
                  { id: "yes", label: t("registration.yes") },
                  { id: "no", label: t("registration.no") },
                ]
              : q.options
            ).map((o) => (
              <option key={o.id} value={`${q.id}:${o.id}`}>
                {t("registrationQuestions.filter.option", { question: q.label, option: o.label })}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
