import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SESSION_NEEDS, type SessionFormat } from "../../db/schema";
import { PROPOSAL_LIMITS } from "../modules/proposals/schema";
import { valueOf, type FieldErrors, type FormValues } from "../lib/forms";
import { CsrfInput } from "./csrf";
import { CreateForm } from "./create-form";
import { ChoiceGroup, Field, SelectField, TextareaField } from "./field";
import { TrackSwatch } from "./track-swatch";

interface Props {
  values: FormValues;
  errors: FieldErrors;
  formats: SessionFormat[];
  lengths: number[];
  tracks: Array<{ id: number; name: string; color: string }>;
  /** whether the proposal is still a draft (so it can be saved as one) */
  draft: boolean;
  /** a new proposal: sent once, however often the button is pressed */
  creating?: boolean;
}

/** The proposal form, for a new proposal and for editing one. Works without JavaScript. */
export function ProposalForm({ values, errors, formats, lengths, tracks, draft, creating = false }: Props) {
  const { t } = useTranslation();
  const text = (name: string) => valueOf(values, name) ?? "";
  const list = (name: string): string[] => {
    const v = values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const fields = (
    <>
      <Field name="title" label={t("proposal.field.title")} required maxLength={PROPOSAL_LIMITS.title} defaultValue={text("title")} errors={errors.title} />
      <TextareaField name="abstract" label={t("proposal.field.abstract")} hint={t("proposal.field.abstractHint")} required maxLength={PROPOSAL_LIMITS.abstract} defaultValue={text("abstract")} errors={errors.abstract} />
      <TextareaField name="description" label={t("proposal.field.description")} hint={t("proposal.field.descriptionHint")} rows={8} maxLength={PROPOSAL_LIMITS.description} defaultValue={text("description")} errors={errors.description} />
      <SelectField
        name="format"
        label={t("proposal.field.format")}
        required
        defaultValue={text("format")}
        errors={errors.format}
        options={[{ value: "", label: t("proposal.field.choose") }, ...formats.map((f) => ({ value: f, label: t(`format.${f}`) }))]}
      />
      <ChoiceGroup
        name="length"
        type="radio"
        legend={t("proposal.field.length")}
        required
        errors={errors.length}
        selected={list("length")}
        options={lengths.map((l) => ({ value: String(l), label: t("proposal.minutes", { count: l }) }))}
      />
      <SelectField
        name="primaryTrack"
        label={t("proposal.field.primaryTrack")}
        required
        defaultValue={text("primaryTrack")}
        errors={errors.primaryTrack}
        options={[{ value: "", label: t("proposal.field.choose") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]}
      />
      <ChoiceGroup
        name="linkedTracks"
        type="checkbox"
        legend={t("proposal.field.linkedTracks")}
        hint={t("proposal.field.linkedTracksHint")}
        errors={errors.linkedTracks}
        selected={list("linkedTracks")}
        options={tracks.map((tr) => ({
          value: String(tr.id),
          label: (
            <>
              <TrackSwatch color={tr.color} /> {tr.name}
            </>
          ),
        }))}
      />
      <Field name="languages" label={t("proposal.field.languages")} hint={t("account.languagesHint")} defaultValue={text("languages")} errors={errors.languages} />
      <Field name="audienceSize" type="number" min={1} max={PROPOSAL_LIMITS.audienceMax} label={t("proposal.field.audienceSize")} hint={t("account.optional")} defaultValue={text("audienceSize")} errors={errors.audienceSize} />
      <ChoiceGroup
        name="needs"
        type="checkbox"
        legend={t("proposal.field.needs")}
        errors={errors.needs}
        selected={list("needs")}
        options={SESSION_NEEDS.map((n) => ({ value: n, label: t(`need.${n}`) }))}
      />
      <TextareaField name="coFacilitators" label={t("proposal.field.coFacilitators")} hint={t("proposal.field.coFacilitatorsHint")} defaultValue={text("coFacilitators")} errors={errors.coFacilitators} />
      <div className="actions">
        <button type="submit" name="intent" value="submit" className="button">
          {draft ? t("proposal.submit") : t("proposal.save")}
        </button>
        {draft ? (
          <button type="submit" name="intent" value="draft" className="button button--secondary">
            {t("proposal.saveDraft")}
          </button>
        ) : null}
      </div>
    </>
  );
  return creating ? (
    <CreateForm className="form" noValidate>
      {fields}
    </CreateForm>
  ) : (
    <Form method="post" className="form" noValidate>
      <CsrfInput />
      {fields}
    </Form>
  );
}
