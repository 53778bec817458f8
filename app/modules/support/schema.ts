// The travel-support forms: the registrant's request (part of the registration form), the
// organizer's budget and decision. Client-safe, so pages read the limits from here too.
import { z } from "zod";
import { SUPPORT_KINDS, SUPPORT_STATUSES, type SupportKind } from "../../../db/schema";
import { optionalText } from "../../lib/forms";

/** The currencies support may be asked and budgeted in (ISO 4217, all with two decimals). */
export const SUPPORT_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "ZAR", "KES", "NGN", "GHS", "UGX", "TZS", "INR", "THB", "PHP", "MYR", "BRL", "MXN", "ARS", "COP", "TRY"] as const;
export type SupportCurrency = (typeof SUPPORT_CURRENCIES)[number];

export const SUPPORT_LIMITS = {
  reason: 1000,
  message: 1000,
  /** the largest amount of one kind, in whole units */
  amount: 1_000_000,
  /** the largest budget, in whole units (cents must fit a 32-bit integer) */
  budget: 20_000_000,
} as const;

/** The form fields of one kind's amount and currency. */
export const amountField = (kind: SupportKind) => `support_${kind}_amount` as const;
export const currencyField = (kind: SupportKind) => `support_${kind}_currency` as const;

/** "1 250.5" or "1250,50" as cents (125050); null when it is not a positive amount with at most 2 decimals or above max. */
export function parseAmount(text: string, max: number): number | null {
  const s = text.replace(/[\s\u00a0']/g, "").replace(/,(\d{1,2})$/, ".$1");
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, fraction = ""] = s.split(".");
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (cents <= 0 || cents > max * 100) return null;
  return cents;
}

/** Cents as the text a form shows again: 125050 → "1250.50", 2000 → "20". */
export function centsText(cents: number | null): string {
  if (cents === null) return "";
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

const text = z.preprocess((v) => (typeof v === "string" ? v.trim() : v === undefined ? "" : v), z.string("errors.invalid"));
// Checked in checkSupportRequest with the other support fields, so that one bad currency does not hide the other errors.
const currency = text;
const isCurrency = (v: string): v is SupportCurrency => (SUPPORT_CURRENCIES as readonly string[]).includes(v);

/** The support fields of the registration form, to spread into its object schema. */
export const supportRequestShape = {
  supportRequested: z.preprocess((v) => (v === undefined ? "no" : v), z.enum(["yes", "no"], "errors.invalidChoice")),
  supportKinds: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(SUPPORT_KINDS, "errors.invalidChoice")).max(SUPPORT_KINDS.length, "errors.tooMany")),
  supportReason: optionalText(SUPPORT_LIMITS.reason),
  ...(Object.fromEntries(SUPPORT_KINDS.flatMap((k) => [
    [amountField(k), text],
    [currencyField(k), currency],
  ])) as Record<`support_${SupportKind}_amount`, typeof text> & Record<`support_${SupportKind}_currency`, typeof currency>),
};

type SupportAnswers = z.output<z.ZodObject<typeof supportRequestShape>>;

export interface SupportItemInput {
  kind: SupportKind;
  currency: SupportCurrency;
  cents: number;
}
export interface SupportRequestInput {
  items: SupportItemInput[];
  reason: string;
}

/** The checks across the support fields, for the registration schema's superRefine: an amount and currency for each kind asked, and a reason. */
export function checkSupportRequest(value: SupportAnswers, ctx: z.RefinementCtx): void {
  if (value.supportRequested !== "yes") return;
  if (value.supportKinds.length === 0) ctx.addIssue({ code: "custom", path: ["supportKinds"], message: "travelSupport.errors.kinds" });
  for (const kind of new Set(value.supportKinds)) {
    if (parseAmount(value[amountField(kind)], SUPPORT_LIMITS.amount) === null) ctx.addIssue({ code: "custom", path: [amountField(kind)], message: "travelSupport.errors.amount" });
    if (!isCurrency(value[currencyField(kind)])) ctx.addIssue({ code: "custom", path: [currencyField(kind)], message: "travelSupport.errors.currency" });
  }
  if (!value.supportReason) ctx.addIssue({ code: "custom", path: ["supportReason"], message: "travelSupport.errors.reason" });
}

/** What a parsed registration form asks for: null when no support is asked. Only the ticked kinds count. */
export function supportRequestFrom(value: SupportAnswers): SupportRequestInput | null {
  if (value.supportRequested !== "yes") return null;
  const items = SUPPORT_KINDS.filter((k) => value.supportKinds.includes(k)).map((kind) => ({
    kind,
    currency: value[currencyField(kind)] as SupportCurrency,
    cents: parseAmount(value[amountField(kind)], SUPPORT_LIMITS.amount)!,
  }));
  return { items, reason: value.supportReason ?? "" };
}

type SupportRawField = keyof typeof supportRequestShape;

/**
 * A parsed form's support fields replaced by the one request they ask for (`support`, null when
 * none), so the rest of registration never sees the raw fields.
 */
export function withSupportRequest<T extends SupportAnswers>(value: T): Omit<T, SupportRawField> & { support?: SupportRequestInput | null } {
  const support = supportRequestFrom(value);
  const rest: Record<string, unknown> = { ...value };
  for (const key of Object.keys(supportRequestShape)) delete rest[key];
  return { ...(rest as Omit<T, SupportRawField>), support };
}

/** A saved request as the registration form's values, to edit it. */
export function supportFormValues(request: { reason: string | null; items: Array<{ kind: SupportKind; currency: string; requestedCents: number | null }> } | null): Record<string, string | string[]> {
  if (!request) return { supportRequested: "no" };
  const values: Record<string, string | string[]> = { supportRequested: "yes", supportKinds: request.items.map((i) => i.kind), supportReason: request.reason ?? "" };
  for (const i of request.items) {
    values[amountField(i.kind)] = centsText(i.requestedCents);
    values[currencyField(i.kind)] = i.currency;
  }
  return values;
}

/** The organizer's budget for a convening. */
export const budgetSchema = z.object({
  amount: text.transform((v, ctx) => {
    const cents = parseAmount(v, SUPPORT_LIMITS.budget);
    if (cents === null) {
      ctx.addIssue({ code: "custom", message: "travelSupport.errors.amount" });
      return z.NEVER;
    }
    return cents;
  }),
  currency: z.enum(SUPPORT_CURRENCIES, "travelSupport.errors.currency"),
});
export type BudgetInput = z.output<typeof budgetSchema>;

export const SUPPORT_OUTCOMES = ["granted", "partly_granted", "declined"] as const;
export type SupportOutcome = (typeof SUPPORT_OUTCOMES)[number];

/** The granted field of one kind on the decision form. */
export const grantedField = (kind: SupportKind) => `granted_${kind}` as const;

/** An organizer's decision: in full, in part (an amount per kind, 0 allowed), or not; with an optional message. */
export const decisionSchema = z
  .object({
    requestId: z.coerce.number("errors.invalid").int("errors.invalid").positive("errors.invalid").max(2 ** 31 - 1, "errors.invalid"),
    outcome: z.enum(SUPPORT_OUTCOMES, "travelSupport.errors.outcome"),
    message: optionalText(SUPPORT_LIMITS.message),
    ...(Object.fromEntries(SUPPORT_KINDS.map((k) => [grantedField(k), text])) as Record<`granted_${SupportKind}`, typeof text>),
  })
  .transform((value, ctx) => {
    const granted: Partial<Record<SupportKind, number>> = {};
    if (value.outcome === "partly_granted") {
      for (const kind of SUPPORT_KINDS) {
        const raw = value[grantedField(kind)];
        if (raw === "") continue;
        const cents = raw.replace(/[\s.,0]/g, "") === "" ? 0 : parseAmount(raw, SUPPORT_LIMITS.amount);
        if (cents === null) ctx.addIssue({ code: "custom", path: [grantedField(kind)], message: "travelSupport.errors.grantedAmount" });
        else granted[kind] = cents;
      }
    }
    return { requestId: value.requestId, outcome: value.outcome, message: value.message ?? null, granted };
  });
export type SupportDecisionInput = z.output<typeof decisionSchema>;

/** The registrations table's support filter: none asked, or the request's status. */
export const SUPPORT_FILTERS = ["none", "asked", "waiting", "granted", "partly", "declined"] as const;
export type SupportFilter = (typeof SUPPORT_FILTERS)[number];
export const FILTER_STATUS: Record<Exclude<SupportFilter, "none" | "asked">, (typeof SUPPORT_STATUSES)[number]> = {
  waiting: "waiting",
  granted: "granted",
  partly: "partly_granted",
  declined: "declined",
};
