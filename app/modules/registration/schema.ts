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

/** The longest search an organizer may type in the table's search box. */
export const SEARCH_MAX = 100;

/** Filters of the organizer's table, read from the query string; unknown values are ignored. */
export const filtersSchema = z.object({
  /** a part of a name organizers see (shown name, full name), an email address or an organization */
  q: z.preprocess((v) => (typeof v === "string" ? v.trim().slice(0, SEARCH_MAX) || undefined : undefined), z.string().optional()).catch(undefined),
  status: optionalEnum(REGISTRATION_STATUSES),
  track: z.preprocess((v) => (v === "" || v === null ? undefined : v), idNumber().optional()).catch(undefined),
  constituency: optionalEnum(CONSTITUENCIES),
  attendance: optionalEnum(ATTENDANCE),
  support: optionalEnum(SUPPORT_FILTERS),
  /** an answer to an organizer's question: `<question id>:<option id>` */
  answer: answerFilterSchema,
});
export type RegistrationFilters = z.output<typeof filtersSchema>;

/** The table's columns an organizer may sort by (the tracks column holds several values and is not one of them). */
export const SORTS = ["registered", "name", "status", "attendance", "organization", "constituency", "country", "support"] as const;
export type Sort = (typeof SORTS)[number];

/** Where a page of the table starts: after (next) or before (previous) a row, by its sort value and id. */
export interface Cursor {
  key: string | number;
  id: number;
}

/** A cursor as it travels in the URL: base64url of [key, id]. Anything else reads as none. */
export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.key, cursor.id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(value: unknown): Cursor | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > 400) return undefined;
  try {
    const parsed: unknown = JSON.parse(atob(value.replace(/-/g, "+").replace(/_/g, "/")));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [key, id] = parsed as unknown[];
    if ((typeof key !== "string" && typeof key !== "number") || typeof id !== "number" || !Number.isSafeInteger(id)) return undefined;
    return { key, id };
  } catch {
    return undefined;
  }
}

const cursorParam = z.preprocess(decodeCursor, z.custom<Cursor>().optional()).catch(undefined);

/** The table's view: its filters, its order (stable: id breaks ties) and where its page starts. */
export const tableSchema = filtersSchema.extend({
  sort: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(SORTS).default("registered")).catch("registered"),
  dir: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(["asc", "desc"]).default("asc")).catch("asc"),
  after: cursorParam,
  before: cursorParam,
});
export type TableView = z.output<typeof tableSchema>;

/** How the CSV writes its values: the words of the reader's language, or the internal codes for spreadsheets. */
export const CSV_VALUES = ["labels", "codes"] as const;
export type CsvValues = (typeof CSV_VALUES)[number];
/** Without a choice (an older link), the codes, as the export always wrote them. */
export const csvValuesSchema = z.enum(CSV_VALUES).catch("codes");

export const BULK_DECISIONS = ["approve", "waitlist", "decline", "attended"] as const;
export type BulkDecision = (typeof BULK_DECISIONS)[number];
/** The most rows one bulk action may touch: a page of the table. */
export const BULK_MAX = 100;

const bulkIds = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(idNumber("errors.invalid"), "errors.invalid").max(BULK_MAX, "errors.tooMany"),
);

/** The bulk form under the table: the rows ticked (or every row of the page), what to do, and a message for a decline. */
export const bulkSchema = z
  .object({
    bulk: z.enum(BULK_DECISIONS, "registrationsTable.errors.chooseAction"),
    ids: bulkIds,
    pageIds: bulkIds,
    allOnPage: checkbox,
    message: optionalText(REGISTRATION_LIMITS.message),
  })
  .transform(({ ids, pageIds, allOnPage, ...rest }) => ({ ...rest, ids: [...new Set(allOnPage ? pageIds : ids)] }))
  .superRefine((value, ctx) => {
    if (value.ids.length === 0) ctx.addIssue({ code: "custom", path: ["ids"], message: "registrationsTable.errors.chooseRows" });
  });
export type BulkInput = z.output<typeof bulkSchema>;
