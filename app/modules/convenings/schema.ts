import { IANAZone } from "luxon";
import { z } from "zod";
import { idNumber, isCalendarDate, requiredText, optionalText } from "../../lib/forms";

export const conveningSchema = z
  .object({
    title: requiredText(150),
    slug: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.string("errors.required").regex(/^[a-z0-9][a-z0-9-]{2,60}[a-z0-9]$/, "errors.slug")),
    // Two dates side by side: each error names its own, so the page never says "Enter a date." twice.
    startsOn: z.string("forms14.dates.startsOn").regex(/^\d{4}-\d{2}-\d{2}$/, "forms14.dates.startsOn").refine(isCalendarDate, "forms14.dates.startsOn"),
    endsOn: z.string("forms14.dates.endsOn").regex(/^\d{4}-\d{2}-\d{2}$/, "forms14.dates.endsOn").refine(isCalendarDate, "forms14.dates.endsOn"),
    timeZone: z.string("errors.required").refine((v) => IANAZone.isValidZone(v), "errors.timeZone"),
    venue: optionalText(200),
    copyFrom: z.preprocess((v) => (v === "" ? undefined : v), idNumber().optional()),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "errors.endsBeforeStarts" });
  });
