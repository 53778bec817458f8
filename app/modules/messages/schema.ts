// The group message form, shared by the page (for field limits) and the action. The filters are
// the registrations table's (same names, same values, read by the same query), but parsed
// strictly: the table may ignore a value it does not know, a message must not reach a wider
// group because a value was not understood.
import { z } from "zod";
import { ATTENDANCE, CONSTITUENCIES, REGISTRATION_STATUSES } from "../../../db/schema";
import { idNumber, optionalText, requiredText } from "../../lib/forms";

export const GROUP_MESSAGE_LIMITS = { subject: 150, body: 10_000, language: 40 } as const;

const checkbox = z.preprocess((v) => v === "on" || v === "yes" || v === "true", z.boolean());

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values, "errors.invalidChoice").optional());

/** Who receives it. No status chosen means everyone taking part (pending, confirmed or waitlisted). */
export const groupFiltersSchema = z.object({
  status: choice(REGISTRATION_STATUSES),
  attendance: choice(ATTENDANCE),
  track: z.preprocess((v) => (v === "" ? undefined : v), idNumber("errors.invalidChoice").optional()),
  constituency: choice(CONSTITUENCIES),
  language: optionalText(GROUP_MESSAGE_LIMITS.language),
  support: choice(["yes", "no"] as const),
  facilitators: checkbox,
});
export type GroupFilters = z.output<typeof groupFiltersSchema>;

/** Line breaks as one "\n", whatever the browser sent. */
const text = (max: number) => z.preprocess((v) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : v), requiredText(max));

export const groupMessageSchema = groupFiltersSchema.extend({
  subject: requiredText(GROUP_MESSAGE_LIMITS.subject).refine((s) => !/[\r\n]/.test(s), "errors.invalid"),
  body: text(GROUP_MESSAGE_LIMITS.body),
  essential: checkbox,
});
export type GroupMessageInput = z.output<typeof groupMessageSchema>;

/** Queueing what was previewed: the message, the preview's token and the fingerprint of what it showed. */
export const queueGroupMessageSchema = groupMessageSchema.extend({
  token: z.string("errors.invalid").regex(/^[A-Za-z0-9_-]{20,64}$/, "errors.invalid"),
  fingerprint: z.string("errors.invalid").regex(/^[0-9a-f]{64}$/, "errors.invalid"),
});

/** The filter fields, in the order the form and the stored message list them. */
export const GROUP_FILTER_FIELDS = ["status", "attendance", "track", "constituency", "language", "support", "facilitators"] as const;
