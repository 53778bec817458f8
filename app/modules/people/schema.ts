import { z } from "zod";
import { CONSTITUENCIES } from "../../../db/schema";
import { optionalText, requiredText, textList } from "../../lib/forms";

export const PROFILE_LIMITS = {
  fullName: 120,
  publicName: 80,
  pronouns: 40,
  organization: 120,
  country: 80,
  languages: 10,
  language: 40,
} as const;

export const profileSchema = z.object({
  publicName: requiredText(PROFILE_LIMITS.publicName),
  fullName: optionalText(PROFILE_LIMITS.fullName),
  pronouns: optionalText(PROFILE_LIMITS.pronouns),
  organization: optionalText(PROFILE_LIMITS.organization),
  constituency: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(CONSTITUENCIES, "errors.invalidChoice").optional(),
  ),
  country: optionalText(PROFILE_LIMITS.country),
  languages: textList(PROFILE_LIMITS.languages, PROFILE_LIMITS.language),
});
export type ProfileInput = z.output<typeof profileSchema>;

export const EMAIL_MAX = 254;
export const emailSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z
    .string("errors.required")
    .min(1, "errors.required")
    .max(EMAIL_MAX, "errors.tooLong")
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "errors.email"),
);
