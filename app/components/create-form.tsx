import { Form, useRouteLoaderData, type FormProps } from "@remix-run/react";
import { SUBMISSION_FIELD } from "../lib/submission";
import { CsrfInput } from "./csrf";

/** This page view's token for creating forms: new after every action, so each creation is sent once. */
export function useSubmissionToken(): string {
  return useRouteLoaderData<{ submission: string }>("root")?.submission ?? "";
}

/**
 * A form that creates something (an item, an update, an owner): it carries the anti-forgery field
 * and the submission token, so a double click or a resend from the back button creates nothing
 * twice (platform/submissions.server); and it is keyed on the token, so after a success it starts again empty (with
 * JavaScript; without, the page the success leads to is new and empty anyway).
 */
export function CreateForm({ children, ...props }: Omit<FormProps, "method">) {
  const token = useSubmissionToken();
  return (
    <Form key={token} method="post" {...props}>
      <CsrfInput />
      <input type="hidden" name={SUBMISSION_FIELD} value={token} />
      {children}
    </Form>
  );
}
