// The travel-support part of the registration form, and the person's view of their request and its decision.
import { useTranslation } from "react-i18next";
import { SUPPORT_KINDS, type SupportKind, type SupportStatus } from "../../db/schema";
import { amountField, currencyField, SUPPORT_CURRENCIES, SUPPORT_LIMITS } from "../modules/support/schema";
import type { FieldErrors, FormValues } from "../lib/forms";
import { formatMoney } from "../lib/money";
import { ChoiceGroup, Field, SelectField, TextareaField } from "./field";

function textOf(values: FormValues, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}
function listOf(values: FormValues, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function SupportRequestFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  const { t } = useTranslation();
  return (
    <div className="support-fields">
      <ChoiceGroup
        name="supportRequested"
        type="radio"
        legend={t("travelSupport.form.legend")}
        hint={t("travelSupport.form.hint")}
        errors={errors.supportRequested}
        selected={[textOf(values, "supportRequested") || "no"]}
        options={[
          { value: "no", label: t("registration.no") },
          { value: "yes", label: t("registration.yes") },
        ]}
      />
      <ChoiceGroup
        name="supportKinds"
        type="checkbox"
        legend={t("travelSupport.form.kinds")}
        hint={t("travelSupport.form.kindsHint")}
        errors={errors.supportKinds}
        selected={listOf(values, "supportKinds")}
        options={SUPPORT_KINDS.map((k) => ({ value: k, label: t(`travelSupport.kind.${k}`) }))}
      />
      {SUPPORT_KINDS.map((kind) => (
        <div className="support-amount" key={kind}>
          <Field
            name={amountField(kind)}
            label={t("travelSupport.form.amount", { kind: t(`travelSupport.kind.${kind}`) })}
            hint={t("travelSupport.form.amountHint")}
            inputMode="decimal"
            maxLength={16}
            defaultValue={textOf(values, amountField(kind))}
            errors={errors[amountField(kind)]}
          />
          <SelectField
            name={currencyField(kind)}
            label={t("travelSupport.form.currency", { kind: t(`travelSupport.kind.${kind}`) })}
            defaultValue={textOf(values, currencyField(kind))}
            errors={errors[currencyField(kind)]}
            options={[{ value: "", label: t("travelSupport.form.chooseCurrency") }, ...SUPPORT_CURRENCIES.map((c) => ({ value: c, label: c }))]}
          />
        </div>
      ))}
      <TextareaField
        name="supportReason"
        label={t("travelSupport.form.reason")}
        hint={t("travelSupport.form.reasonHint")}
        maxLength={SUPPORT_LIMITS.reason}
        defaultValue={textOf(values, "supportReason")}
        errors={errors.supportReason}
      />
    </div>
  );
}

export interface OwnSupport {
  status: SupportStatus;
  message: string | null;
  changedAfterDecision: boolean;
  items: Array<{ kind: SupportKind; currency: string; requestedCents: number | null; grantedCents: number | null }>;
}

/** The person's request and, once decided, what was granted and the organizers' message. */
export function OwnSupportDecision({ support, locale }: { support: OwnSupport; locale: string }) {
  const { t } = useTranslation();
  const money = (cents: number | null, currency: string) => (cents === null ? t("travelSupport.none") : formatMoney(cents, currency, locale));
  const decided = support.status !== "waiting";
  return (
    <section aria-labelledby="own-support-heading" className="own-support">
      <h2 id="own-support-heading">{t("travelSupport.own.heading")}</h2>
      <p>
        <strong>{t(`travelSupport.status.${support.status}`)}</strong>
      </p>
      {support.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("travelSupport.csv.kind")}</th>
              <th scope="col">{t("travelSupport.own.asked")}</th>
              {decided ? <th scope="col">{t("travelSupport.own.granted")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {support.items.map((i) => (
              <tr key={i.kind}>
                <th scope="row">{t(`travelSupport.kind.${i.kind}`)}</th>
                <td>{money(i.requestedCents, i.currency)}</td>
                {decided ? <td>{money(i.grantedCents, i.currency)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {!decided ? <p>{support.changedAfterDecision ? t("travelSupport.own.changed") : t("travelSupport.own.waiting")}</p> : null}
      {decided && support.message ? <p>{t("travelSupport.own.message", { message: support.message })}</p> : null}
    </section>
  );
}
