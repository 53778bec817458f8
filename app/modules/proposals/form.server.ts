// Reading the proposal form: a draft needs only a title, a submission needs everything.
import type { z } from "zod";
import { draftSchema, proposalSchema, type DraftInput } from "./schema";

/** Whether the form submits the proposal (else saves a draft), and the schema its answers must meet. */
export function proposalForm(form: FormData): { submit: boolean; schema: z.ZodType<DraftInput> } {
  const submit = form.get("intent") !== "draft";
  return { submit, schema: (submit ? proposalSchema : draftSchema) as z.ZodType<DraftInput> };
}
