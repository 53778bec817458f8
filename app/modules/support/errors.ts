// How the support domain refuses a change.
import { DomainError, refusals } from "../../lib/domain-error";

export type SupportErrorCode = "not_found" | "erased" | "too_much" | "amount_missing";

export const SUPPORT_REFUSALS = refusals<SupportErrorCode>({
  not_found: "errors.page.notFound",
  erased: "travelSupport.errors.erased",
  too_much: { key: "travelSupport.errors.tooMuch", field: "form" },
  amount_missing: { key: "travelSupport.errors.grantedAmount", field: "form" },
});

export class SupportError extends DomainError<SupportErrorCode> {
  constructor(code: SupportErrorCode, status: number) {
    super(code, status, SUPPORT_REFUSALS);
    this.name = "SupportError";
  }
}
