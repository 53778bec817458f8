import { useTranslation } from "react-i18next";

/** A labelled multiple-choice list (works without JavaScript), with its hint and errors. */
export function MultiSelect({ name, label, hint, options, errors, selected }: { name: string; label: string; hint: string; options: Array<{ id: number; name: string }>; errors?: string[]; selected?: number[] }) {
  const { t } = useTranslation();
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <select id={id} name={name} multiple defaultValue={selected?.map(String)} size={Math.min(6, Math.max(2, options.length))} aria-describedby={`${id}-hint${errors?.length ? ` ${id}-error` : ""}`} aria-invalid={errors?.length ? true : undefined}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {errors?.length ? (
        <p className="field-error" id={`${id}-error`}>
          {errors.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}
    </div>
  );
}
