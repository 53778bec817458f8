// Totals of requests against the budget, per currency: never converted, the budget's currency first.
import type { SupportItem } from "./requests.server";

export interface CurrencyTotal {
  currency: string;
  requestedCents: number;
  grantedCents: number;
}

export function supportTotals(requests: Array<{ items: SupportItem[] }>, budgetCurrency: string | null): { main: CurrencyTotal | null; others: CurrencyTotal[] } {
  const by = new Map<string, CurrencyTotal>();
  if (budgetCurrency) by.set(budgetCurrency, { currency: budgetCurrency, requestedCents: 0, grantedCents: 0 });
  for (const r of requests) {
    for (const i of r.items) {
      const total = by.get(i.currency) ?? { currency: i.currency, requestedCents: 0, grantedCents: 0 };
      total.requestedCents += i.requestedCents ?? 0;
      total.grantedCents += i.grantedCents ?? 0;
      by.set(i.currency, total);
    }
  }
  const main = budgetCurrency ? by.get(budgetCurrency)! : null;
  const others = [...by.values()].filter((t) => t.currency !== budgetCurrency).sort((a, b) => a.currency.localeCompare(b.currency));
  return { main, others };
}
