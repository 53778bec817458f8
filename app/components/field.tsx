import type { InputHTMLAttributes, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { readMessage } from "../lib/forms";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  id?: string;
}

function ErrorText({ id, errors }: { id: string; errors: string[] }) {
  const { t } = useTranslation();
  return (
    <p className="field-error" id={id}>
      {errors
        .map((e) => {
          const { key, values } = readMessage(e);
          // The keys are only known at run time; their placeholders come with them.
          return (t as unknown as (key: string, values: Record<string, string>) => string)(key, values);
        })
        .join(" ")}
    </p>
  );
}

/** The ids that tie a control to its hint and error, so both are announced with it. */
function describedBy(fieldId: string, hint: ReactNode, errors: string[] | undefined) {
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = errors?.length ? `${fieldId}-error` : undefined;
  return {
    hintId,
    errorId,
    control: {
      "aria-invalid": errorId ? (true as const) : undefined,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
    },
  };
}

/** Label, hint, the control, and the errors beside it: the frame of every single-control field. */
function FieldFrame({ fieldId, label, hint, hintId, errorId, errors, children }: { fieldId: string; label: ReactNode; hint: ReactNode; hintId?: string; errorId?: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      {errorId ? <ErrorText id={errorId} errors={errors!} /> : null}
    </div>
  );
}

/** A labelled input whose errors sit beside it and are announced with it. */
export function Field({ name, label, hint, errors, id, ...input }: FieldProps) {
  const fieldId = id ?? `field-${name}`;
  const { hintId, errorId, control } = describedBy(fieldId, hint, errors);
  return (
    <FieldFrame fieldId={fieldId} label={label} hint={hint} hintId={hintId} errorId={errorId} errors={errors}>
      <input id={fieldId} name={name} {...control} {...input} />
    </FieldFrame>
  );
}

interface SelectFieldProps {
  name: string;
  /** needed when two forms on one page have a field of the same name */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  options: Array<{ value: string; label: string }>;
  defaultValue?: string;
  required?: boolean;
}

export function SelectField({ name, id, label, hint, errors, options, defaultValue, required }: SelectFieldProps) {
  const fieldId = id ?? `field-${name}`;
  const { hintId, errorId, control } = describedBy(fieldId, hint, errors);
  return (
    <FieldFrame fieldId={fieldId} label={label} hint={hint} hintId={hintId} errorId={errorId} errors={errors}>
      <select id={fieldId} name={name} defaultValue={defaultValue} required={required} {...control}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface TextareaFieldProps {
  name: string;
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  defaultValue?: string;
  maxLength?: number;
  rows?: number;
  required?: boolean;
}

export function TextareaField({ name, id, label, hint, errors, defaultValue, maxLength, rows = 3, required }: TextareaFieldProps) {
  const fieldId = id ?? `field-${name}`;
  const { hintId, errorId, control } = describedBy(fieldId, hint, errors);
  return (
    <FieldFrame fieldId={fieldId} label={label} hint={hint} hintId={hintId} errorId={errorId} errors={errors}>
      <textarea id={fieldId} name={name} rows={rows} maxLength={maxLength} required={required} defaultValue={defaultValue} {...control} />
    </FieldFrame>
  );
}

interface ChoiceGroupProps {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  type: "radio" | "checkbox";
  options: Array<{ value: string; label: ReactNode }>;
  selected: readonly string[];
  required?: boolean;
  /** the group's id when a page holds several groups of one name (one form per row) */
  id?: string;
}

/** A group of radio buttons or checkboxes under one legend, with the group's error beside it. */
export function ChoiceGroup({ name, legend, hint, errors, type, options, selected, required, id }: ChoiceGroupProps) {
  const groupId = id ?? `field-${name}`;
  const hintId = hint ? `${groupId}-hint` : undefined;
  const errorId = errors?.length ? `${groupId}-error` : undefined;
  return (
    <fieldset className="field" id={groupId} aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}>
      <legend>
        {legend}
        {required ? <span className="visually-hidden"> *</span> : null}
      </legend>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errorId ? <ErrorText id={errorId} errors={errors!} /> : null}
      <div className="checks">
        {options.map((option) => (
          <label key={option.value}>
            <input type={type} name={name} value={option.value} defaultChecked={selected.includes(option.value)} aria-invalid={errorId ? true : undefined} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** One yes/no checkbox with its label and an optional hint. */
export function CheckboxField({ name, label, hint, defaultChecked, errors }: { name: string; label: ReactNode; hint?: ReactNode; defaultChecked?: boolean; errors?: string[] }) {
  const fieldId = `field-${name}`;
  const { hintId, errorId, control } = describedBy(fieldId, hint, errors);
  return (
    <div className="field checks">
      <label htmlFor={fieldId}>
        <input type="checkbox" id={fieldId} name={name} value="on" defaultChecked={defaultChecked} {...control} />
        <span>{label}</span>
      </label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errorId ? <ErrorText id={errorId} errors={errors!} /> : null}
    </div>
  );
}
