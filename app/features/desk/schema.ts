// The check-in desk's forms, client-safe: marking an arrival (or undoing it) and naming volunteers.
import { z } from "zod";
import { idNumber } from "../../lib/forms";
import { emailSchema } from "../../modules/people/schema";

export const arrivalSchema = z.object({
  intent: z.enum(["arrived", "undo"], "errors.invalidChoice"),
  registrationId: idNumber(),
});

export const addVolunteerSchema = z.object({ intent: z.literal("add"), email: emailSchema });
export const removeVolunteerSchema = z.object({ intent: z.literal("remove"), personId: idNumber() });
export const volunteerSchema = z.discriminatedUnion("intent", [addVolunteerSchema, removeVolunteerSchema], "errors.invalidChoice");

/** The desk's search, read from the query string: words of a chosen name or a check-in code. */
export const deskSearchSchema = z.object({
  q: z.string().max(100).catch("").default(""),
  code: z.string().max(20).catch("").default(""),
});

/** The access needs the desk acts on at the door (a step-free way in, a sign interpreter, large print). Other needs stay with organizers who may read them. */
export const DESK_FLAGS = ["step_free", "sign_language", "large_print"] as const;
export type DeskFlag = (typeof DESK_FLAGS)[number];
