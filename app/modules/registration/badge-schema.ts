// The badge form: which paper, and which registrations (confirmed and in person unless told
// otherwise). Parsed strictly: badges for a wider group than asked must not come out of a value
// that was not understood. Client-safe: the page reads the choices.
import { z } from "zod";
import { ATTENDANCE, REGISTRATION_STATUSES } from "../../../db/schema";
import { idNumber } from "../../lib/forms";

export const BADGE_PAPERS = ["A4", "LETTER"] as const;

export const badgeSchema = z.object({
  paper: z.enum(BADGE_PAPERS, "errors.invalidChoice"),
  status: z.enum(REGISTRATION_STATUSES, "errors.invalidChoice").default("confirmed"),
  /** "any": in person and remote alike */
  attendance: z.enum([...ATTENDANCE, "any"] as const, "errors.invalidChoice").default("in_person"),
  track: z.preprocess((v) => (v === "" ? undefined : v), idNumber("errors.invalidChoice").optional()),
});
export type BadgeChoice = z.output<typeof badgeSchema>;
