// Reading the proposal form: a draft needs only a title, a submission needs everything.
import { parseSubmission, type Submission } from "../../lib/forms";
import { draftSchema, proposalSchema, type DraftInput } from "./schema";

export function parseProposalForm(form: FormData): { submit: boolean; submission: Submission<DraftInput> } {
  const submit = form.get("intent") !== "draft";
  return { submit, submission: submit ? parseSubmission(proposalSchema, form) : parseSubmission(draftSchema, form) };
}
