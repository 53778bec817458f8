import { useTranslation } from "react-i18next";
import { ChoiceGroup, Field } from "./field";
import { MultiSelect } from "./multi-select";

interface Choices {
  people: Array<{ id: number; name: string }>;
  organizations: Array<{ id: number; name: string }>;
}

/** The fields of an action item (what, due date, owners, visibility): the same on the session page and the organizers' pages. */
export function ActionItemFields({
  owners,
  errors,
  item,
}: {
  owners: Choices;
  errors: Record<string, string[] | undefined>;
  item?: { title: string; dueOn: string; people: number[]; organizations: number[]; visibility: "group" | "organizers" };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field name="title" label={t("outcomes.what")} maxLength={300} defaultValue={item?.title} errors={errors.title} />
      <Field name="dueOn" type="date" label={t("outcomes.dueOn")} defaultValue={item?.dueOn} errors={errors.dueOn} />
      <MultiSelect name="people" label={t("outcomes.people")} hint={t("outcomes.ownersHint")} options={owners.people} selected={item?.people} errors={errors.people} />
      <MultiSelect name="organizations" label={t("outcomes.organizations")} hint={t("outcomes.ownersHint")} options={owners.organizations} selected={item?.organizations} errors={errors.organizations} />
      <ChoiceGroup
        name="visibility"
        type="radio"
        legend={t("outcomes.visibility")}
        selected={[item?.visibility ?? "group"]}
        options={[
          { value: "group", label: t("outcomes.group") },
          { value: "organizers", label: t("outcomes.organizers") },
        ]}
      />
    </>
  );
}
