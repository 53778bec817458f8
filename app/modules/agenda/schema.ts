import { z } from "zod";
import { FIXED_KINDS, ROOM_FEATURES } from "../../../db/schema";
import { idNumber, optionalText, requiredText } from "../../lib/forms";

const toList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const id = (message: string) => idNumber(message);

export const roomSchema = z.object({
  name: requiredText(80),
  capacity: z.coerce.number("errors.wholeNumber").int("errors.wholeNumber").min(0, "errors.wholeNumber").max(100_000, "errors.wholeNumber"),
  features: z.preprocess(toList, z.array(z.enum(ROOM_FEATURES, "errors.invalidChoice"))),
});

export const slotSchema = z.object({
  date: z.string("errors.required").regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date"),
  time: z.string("errors.required").regex(/^([01]\d|2[0-3]):[0-5]\d$/, "errors.time"),
  minutes: z.coerce.number("errors.minutes").int("errors.minutes").min(10, "errors.minutes").max(600, "errors.minutes"),
});

export const fixedItemSchema = z.object({
  title: requiredText(120),
  kind: z.enum(FIXED_KINDS, "errors.invalidChoice"),
  slot: id("errors.unknownSlot"),
  room: z.preprocess((v) => (v === "" ? undefined : v), id("errors.unknownRoom").optional()),
});

export const placeSchema = z.object({
  proposal: id("errors.invalid"),
  slot: id("errors.unknownSlot"),
  room: id("errors.unknownRoom"),
});

export const proposalRefSchema = z.object({ proposal: id("errors.invalid") });
export const removeSchema = z.object({ kind: z.enum(["room", "slot", "fixed"], "errors.invalid"), id: id("errors.invalid") });
/** Starting a suggestion: keep the published agenda (moves of its sessions cost) or a fresh schedule. */
export const SUGGESTION_SECONDS = [20, 60, 120, 300] as const;
export const suggestSchema = z.object({
  mode: z.enum(["keep", "fresh"], "suggest15.errors.mode"),
  fairness: z.preprocess((v) => v === "on", z.boolean()),
  /** how long the scheduler may search; a form without the field (an older page) gets the shortest */
  seconds: z.preprocess((v) => (v === undefined || v === "" ? "20" : v), z.enum(SUGGESTION_SECONDS.map(String) as ["20", "60", "120", "300"], "suggest15.errors.seconds")).transform(Number),
});
/** Stopping, accepting or discarding a suggestion. */
export const suggestionRefSchema = z.object({ job: id("errors.invalid") });
export const publishSchema = z.object({
  note: optionalText(500),
  /** the preview the organizer saw; publishing refuses when the agenda has changed since */
  fingerprint: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[0-9a-f]{64}$/, "errors.invalid").optional()),
});
export const unavailableSchema = z.object({ slots: z.preprocess(toList, z.array(id("errors.unknownSlot")).max(500, "errors.tooMany")) });

/** The organizer's "alone in its slot" checkbox: absent from the form means off. */
export const aloneSchema = z.object({ alone: z.preprocess((v) => v === "on" || v === "1" || v === "true", z.boolean()) });
