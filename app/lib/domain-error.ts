// How a domain refuses a change: a typed code, the HTTP status the refusal answers with, and the
// words (a translation key) and field the person sees it next to. Every domain states its codes
// once, in one map of this shape, and throws its subclass; routes never map codes themselves.
import type { FieldErrors } from "./forms";

/** What a person is told about one refusal: a translation key, next to a field or ("form") the whole form. */
export interface Refusal {
  key: string;
  field: string;
}

export type Refusals<Code extends string> = Record<Code, Refusal>;

export class DomainError<Code extends string = string> extends Error {
  constructor(
    public readonly code: Code,
    public readonly status: number,
    private readonly refusals: Refusals<Code>,
    /** for the person's eyes (a name of what clashed, say), never a value they may not see */
    public readonly detail: string | null = null,
  ) {
    super(code);
    this.name = "DomainError";
  }

  get refusal(): Refusal {
    return this.refusals[this.code];
  }

  /** The refusal as form errors: its key next to its field. */
  fieldErrors(): FieldErrors {
    return { [this.refusal.field]: [this.refusal.key] };
  }
}

/** The refusals of a domain, with "form" as the field wherever none is named. */
export function refusals<Code extends string>(map: Record<Code, string | Refusal>): Refusals<Code> {
  const out = {} as Refusals<Code>;
  for (const code of Object.keys(map) as Code[]) {
    const value: string | Refusal = map[code];
    out[code] = typeof value === "string" ? { key: value, field: "form" } : value;
  }
  return out;
}
