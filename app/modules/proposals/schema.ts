import { z } from "zod";
import { SESSION_FORMATS, SESSION_NEEDS } from "../../../db/schema";
import { idNumber, localDateTime, messageWith, optionalText, requiredText, textList } from "../../lib/forms";

export const PROPOSAL_LIMITS = {
  title: 150,
  abstract: 600,
  description: 4000,
  languages: 6,
  language: 40,
  coFacilitators: 5,
  audienceMax: 5000,
  message: 1000,
  comment: 2000,
  criterionName: 120,
  criterionDescription: 400,
  label: 80,
} as const;

/** A proposal's columns stored as JSON lists: the domain reads them decoded (withLists), pages never parse them. */
export const PROPOSAL_LISTS = ["languages", "needs"] as const;

const toList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The addresses in the co-facilitators field, with the line each is on (people put one per line, or several with commas). */
function emailEntries(text: string): Array<{ line: number; entry: string }> {
  return text.split(/\r?\n/).flatMap((line, i) =>
    line
      .split(/[\s,;]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
      .map((entry) => ({ line: i + 1, entry })),
  );
}

/** Co-facilitators' addresses: a wrong one is named with its line, so the person finds it. */
const emailList = z.preprocess(
  (v) => (Array.isArray(v) ? v.join("\n") : v === undefined ? "" : v),
  z
    .string("errors.invalid")
    .superRefine((text, ctx) => {
      const entries = emailEntries(text);
      for (const { line, entry } of entries) {
        if (entry.length > 254 || !EMAIL.test(entry)) ctx.addIssue({ code: "custom", message: messageWith("forms14.emailLine", { line, entry: entry.length > 60 ? `${entry.slice(0, 60)}…` : entry }) });
      }
      if (entries.length > PROPOSAL_LIMITS.coFacilitators) ctx.addIssue({ code: "custom", message: "errors.tooManyFacilitators" });
    })
    .transform((text) => emailEntries(text).map((e) => e.entry)),
);

export const proposalSchema = z.object({
  title: requiredText(PROPOSAL_LIMITS.title),
  abstract: requiredText(PROPOSAL_LIMITS.abstract),
  description: optionalText(PROPOSAL_LIMITS.description),
  format: z.enum(SESSION_FORMATS, "errors.chooseFormat"),
  length: z.coerce.number("errors.chooseLength").int("errors.chooseLength").positive("errors.chooseLength"),
  primaryTrack: idNumber("errors.chooseTrack"),
  linkedTracks: z.preprocess(toList, z.array(idNumber("errors.unknownTrack")).max(6, "errors.tooMany")),
  languages: textList(PROPOSAL_LIMITS.languages, PROPOSAL_LIMITS.language),
  audienceSize: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number("errors.wholeNumber").int("errors.wholeNumber").min(1, "errors.wholeNumber").max(PROPOSAL_LIMITS.audienceMax, "errors.audienceMax").optional(),
  ),
  needs: z.preprocess(toList, z.array(z.enum(SESSION_NEEDS, "errors.invalidChoice"))),
  coFacilitators: emailList,
});
export type ProposalInput = z.output<typeof proposalSchema>;

/**
 * A draft may be saved with only a title; everything else is checked on submission. Empty
 * fields of the form arrive as empty strings, and count as not given.
 */
export const draftSchema = z.preprocess(
  (v) => (v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, value]) => value !== "")) : v),
  proposalSchema.partial().required({ title: true }),
);
export type DraftInput = z.output<typeof draftSchema>;

const checkbox = z.preprocess((v) => v === "on" || v === "yes", z.boolean());

export const cfpSettingsSchema = z
  .object({
    opensAt: localDateTime(),
    closesAt: localDateTime(),
    formats: z.preprocess(toList, z.array(z.enum(SESSION_FORMATS, "errors.invalidChoice")).min(1, "errors.chooseFormat")),
    lengths: z.preprocess(
      (v) => (typeof v === "string" ? v.split(/[\s,;]+/).filter(Boolean) : toList(v)),
      z
        .array(z.coerce.number("errors.lengths").int("errors.lengths").min(15, "errors.lengths").max(480, "errors.lengths"))
        .min(1, "errors.lengths")
        .max(6, "errors.tooMany"),
    ),
    reviewAnonymous: checkbox,
    interestOpen: checkbox,
  })
  .superRefine((value, ctx) => {
    if (value.opensAt && value.closesAt && value.closesAt <= value.opensAt) {
      ctx.addIssue({ code: "custom", path: ["closesAt"], message: "errors.closesBeforeOpens" });
    }
  });

export const criterionSchema = z.object({
  name: requiredText(PROPOSAL_LIMITS.criterionName),
  description: optionalText(PROPOSAL_LIMITS.criterionDescription),
  weight: z.coerce.number("errors.weight").int("errors.weight").min(1, "errors.weight").max(10, "errors.weight"),
});

export const reviewerSchema = z.object({
  email: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.string("errors.required").min(1, "errors.required").max(254, "errors.tooLong").regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "errors.email"),
  ),
  track: idNumber("errors.chooseTrack"),
});

/** Scores arrive as fields named score-<criterion id>; each must be a whole number from 1 to 5. */
export function reviewSchema(criterionIds: number[]) {
  const score = z.coerce.number("errors.score").int("errors.score").min(1, "errors.score").max(5, "errors.score");
  return z.object({
    comment: optionalText(PROPOSAL_LIMITS.comment),
    ...Object.fromEntries(criterionIds.map((id) => [`score-${id}`, score])),
  });
}

export const batchDecisionSchema = z.object({
  decision: z.enum(["accepted", "declined", "waitlisted", "undecided"], "errors.chooseDecision"),
  ids: z.preprocess(toList, z.array(idNumber(), "errors.invalid").min(1, "errors.chooseProposals").max(2000, "errors.tooMany")),
  message: optionalText(PROPOSAL_LIMITS.message),
});

export const anonymousLabelSchema = z.object({ label: optionalText(PROPOSAL_LIMITS.label) });

/** The release form carries the fingerprint of the mails the organizer was shown. */
export const releaseSchema = z.object({
  fingerprint: z.string("errors.invalid").regex(/^[0-9a-f]{64}$/, "errors.invalid"),
});
