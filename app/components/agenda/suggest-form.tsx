import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "../../lib/forms";
import { CsrfInput } from "../csrf";
import { SUGGESTION_SECONDS } from "../../modules/agenda/schema";
import { CheckboxField, ChoiceGroup, SelectField } from "../field";

/** The form that starts a suggestion: keep the published agenda or a fresh schedule, and fairness. Posts to the suggestion's page. */
export function SuggestForm({ action, keepByDefault, errors = {} }: { action: string; keepByDefault: boolean; errors?: FieldErrors }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action={action} className="suggest-form">
      <CsrfInput />
      <ChoiceGroup
        name="mode"
        type="radio"
        legend={t("suggest15.mode.legend")}
        errors={errors.mode}
        selected={[keepByDefault ? "keep" : "fresh"]}
        options={[
          { value: "keep", label: t("suggest15.mode.keep") },
          { value: "fresh", label: t("suggest15.mode.fresh") },
        ]}
      />
      <CheckboxField name="fairness" label={t("agenda.fairness")} errors={errors.fairness} />
      <SelectField
        name="seconds"
        label={t("suggest15.seconds.label")}
        hint={t("suggest15.seconds.hint")}
        errors={errors.seconds}
        defaultValue="20"
        options={SUGGESTION_SECONDS.map((s) => ({ value: String(s), label: s < 60 ? t("suggest15.seconds.short", { count: s }) : t("suggest15.seconds.long", { count: s / 60 }) }))}
      />
      <button type="submit" name="intent" value="start" className="button">
        {t("agenda.suggest")}
      </button>
    </Form>
  );
}
