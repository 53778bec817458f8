// The registration forms' schemas, shared by the pages (for field limits) and the actions.
import { z } from "zod";
import { ACCESS_NEEDS, ATTENDANCE, CONSTITUENCIES, REGISTRATION_STATUSES } from "../../../db/schema";
import { answerFilterSchema } from "./questions";
import { idNumber, localDateTime, optionalText, requiredText, textList } from "../../lib/forms";
import { checkSupportRequest, SUPPORT_FILTERS, supportRequestShape, withSupportRequest } from "../support/schema";

export const REGISTRATION_LIMITS = {
  displayName: 80,
  pronouns: 40,
  organization: 120,
  country: 80,
  languages: 10,
  language: 40,
  accessOther: 500,
  dietary: 300,
  emergencyContact: 200,
  message: 1000,
} as const;

const checkbox = z.preprocess((v) => v === "on" || v === "yes" || v === "true", z.boolean());

const idList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(idNumber("errors.unknownTrack"), "errors.invalid").max(20, "errors.tooMany"),
);

export const registrationSchema = z
  .object({
    displayName: requiredText(REGISTRATION_LIMITS.displayName),
    pronouns: optionalText(REGISTRATION_LIMITS.pronouns),
    organization: optionalText(REGISTRATION_LIMITS.organization),
    constituency: z.preprocess((v) => (v === "" ? undefined : v), z.enum(CONSTITUENCIES, "errors.invalidChoice").optional()),
    country: optionalText(REGISTRATION_LIMITS.country),
    attendance: z.enum(ATTENDANCE, "errors.chooseAttendance"),
    tracks: idList.refine((ids) => ids.length > 0, "errors.chooseTrack"),
    languages: textList(REGISTRATION_LIMITS.languages, REGISTRATION_LIMITS.language),
    interpretation: textList(REGISTRATION_LIMITS.languages, REGISTRATION_LIMITS.language),
    accessNeeds: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.enum(ACCESS_NEEDS, "errors.invalidChoice")),
    ),
    accessOther: optionalText(REGISTRATION_LIMITS.accessOther),
    dietary: optionalText(REGISTRATION_LIMITS.dietary),
    ...supportRequestShape,
    emergencyContact: optionalText(REGISTRATION_LIMITS.emergencyContact),
    consentDirectory: checkbox,
    consentContact: checkbox,
    consentPhotos: checkbox,
  })
  .superRefine(checkSupportRequest)
  // The support fields become one request (or null), saved by the support domain.
  .transform((value) => withSupportRequest(value));
export type RegistrationInput = z.output<typeof registrationSchema>;

/** A registration's columns stored as JSON lists: the domain reads them decoded (withLists), pages never parse them. */
export const REGISTRATION_LISTS = ["languages", "interpretation", "access_needs"] as const;

export const settingsSchema = z
  .object({
    opensAt: localDateTime(),
    closesAt: localDateTime(),
    capacity: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number("errors.wholeNumber").int("errors.wholeNumber").min(0, "errors.wholeNumber").max(1_000_000, "errors.wholeNumber").optional(),
    ),
    approvalRequired: checkbox,
    retentionOn: z.preprocess((v) => (v === "" ? undefined : v), z.iso.date("errors.date").optional()),
  })
  .superRefine((value, ctx) => {
    if (value.opensAt && value.closesAt && value.closesAt <= value.opensAt) {
      ctx.addIssue({ code: "custom", path: ["closesAt"], message: "errors.closesBeforeOpens" });
    }
  });
export type SettingsInput = z.output<typeof settingsSchema>;

export const DECISIONS = ["approve", "decline", "waitlist", "confirm", "attended", "not-attended"] as const;
export type Decision = (typeof DECISIONS)[number];

export const decisionSchema = z.object({
  decision: z.enum(DECISIONS, "errors.invalidChoice"),
  message: optionalText(REGISTRATION_LIMITS.message),
});

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(values).optional()).catch(undefined);

/** Filters of the organizer's table, read from the query string; unknown values are ignored. */
export const filtersSchema = z.object({
  status: optionalEnum(REGISTRATION_STATUSES),
  track: z.preprocess((v) => (v === "" || v === null ? undefined : v), idNumber().optional()).catch(undefined),
  constituency: optionalEnum(CONSTITUENCIES),
  attendance: optionalEnum(ATTENDANCE),
  support: optionalEnum(SUPPORT_FILTERS),
  /** an answer to an organizer's question: `<question id>:<option id>` */
  answer: answerFilterSchema,
  page: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).max(100_000).default(1)).catch(1),
});
export type RegistrationFilters = z.output<typeof filtersSchema>;
