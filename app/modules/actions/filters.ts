import { z } from "zod";
import { ACTION_STATUSES } from "./states";
import { MAX_ID } from "../../lib/forms";

/** Filters of the organizers' action list, from the query string; unknown values are ignored. */
export const actionFiltersSchema = z.object({
  track: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().max(MAX_ID).optional()).catch(undefined),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(ACTION_STATUSES).optional()).catch(undefined),
  overdue: z.preprocess((v) => v === "1", z.boolean()).catch(false),
  // NUL characters name no one (and PostgreSQL cannot compare them): dropped.
  owner: z.preprocess((v) => (typeof v === "string" && v.replaceAll("\u0000", "").trim() ? v.replaceAll("\u0000", "").trim().slice(0, 80) : undefined), z.string().optional()).catch(undefined),
});
