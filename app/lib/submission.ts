// The hidden field that makes a creating form's submission happen once (platform/submissions).
export const SUBMISSION_FIELD = "submission";
