import { z } from "zod";
import { ACTION_STATUSES } from "../../../db/schema";

/** Filters of the organizers' action list, from the query string; unknown values are ignored. */
export const actionFiltersSchema = z.object({
  track: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().optional()).catch(undefined),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(ACTION_STATUSES).optional()).catch(undefined),
  overdue: z.preprocess((v) => v === "1", z.boolean()).catch(false),
  owner: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 80) : undefined), z.string().optional()).catch(undefined),
});
