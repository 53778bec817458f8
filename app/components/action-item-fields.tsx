import { useTranslation } from "react-i18next";
import { ChoiceGroup, Field, SelectField, TextareaField } from "./field";
import { ACTION_STATUSES } from "../modules/actions/states";
import { MultiSelect } from "./multi-select";
import { valueOf, type FormValues } from "../lib/forms";

interface Choices {
  people: Array<{ id: number; name: string }>;
  organizations: Array<{ id: number; name: string }>;
}

/** The fields of an action item (what, due date, owners, visibility): the same on the session page and the organizers' pages. */
export function ActionItemFields({
  owners,
  errors,
  item,
  values,
}: {
  owners: Choices;
  errors: Record<string, string[] | undefined>;
  item?: { title: string; dueOn: string; people: number[]; organizations: number[]; visibility: "group" | "organizers" };
  /** what was sent, when it was refused: shown again (without JavaScript the page is new) */
  values?: FormValues;
}) {
  const { t } = useTranslation();
  const ids = (name: string) => {
    const v = values?.[name];
    return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter(Number.isInteger);
  };
  const shown =
    item ??
    (values
      ? { title: valueOf(values, "title") ?? "", dueOn: valueOf(values, "dueOn") ?? "", people: ids("people"), organizations: ids("organizations"), visibility: valueOf(values, "visibility") === "organizers" ? ("organizers" as const) : ("group" as const) }
      : undefined);
  return (
    <>
      <Field name="title" label={t("outcomes.what")} maxLength={300} defaultValue={shown?.title} errors={errors.title} />
      <Field name="dueOn" type="date" label={t("outcomes.dueOn")} defaultValue={shown?.dueOn} errors={errors.dueOn} />
      <MultiSelect name="people" label={t("outcomes.people")} hint={t("outcomes.ownersHint")} options={owners.people} selected={shown?.people} errors={errors.people} />
      <MultiSelect name="organizations" label={t("outcomes.organizations")} hint={t("outcomes.ownersHint")} options={owners.organizations} selected={shown?.organizations} errors={errors.organizations} />
      <ChoiceGroup
        name="visibility"
        type="radio"
        legend={t("outcomes.visibility")}
        selected={[shown?.visibility ?? "group"]}
        options={[
          { value: "group", label: t("outcomes.group") },
          { value: "organizers", label: t("outcomes.organizers") },
        ]}
      />
    </>
  );
}

/** An update of an action item (what happened, and a new status if it changed), with its post button: the same on participants' and organizers' pages. */
export function ActionUpdateFields({ ids, values, errors }: { ids: { text: string; status: string }; values: { text?: string; status?: string }; errors?: Record<string, string[] | undefined> }) {
  const { t } = useTranslation();
  return (
    <>
      <TextareaField name="text" id={ids.text} label={t("actions.updateText")} rows={2} maxLength={2000} defaultValue={values.text} errors={errors?.text} />
      <SelectField name="status" id={ids.status} label={t("actions.newStatus")} defaultValue={values.status} errors={errors?.status} options={[{ value: "", label: t("actions.keepStatus") }, ...ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.status.${s}`) }))]} />
      <div>
        <button type="submit" className="button button--small">
          {t("actions.post")}
        </button>
      </div>
    </>
  );
}
