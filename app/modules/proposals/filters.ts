import { z } from "zod";
import { idNumber } from "../../lib/forms";
import { PROPOSAL_STATUSES, SESSION_FORMATS } from "../../../db/schema";

/** Filters of the organizers' ranking, from the query string; unknown values are ignored. */
export const rankingFiltersSchema = z.object({
  track: z.preprocess((v) => (v === "" || v === null ? undefined : v), idNumber().optional()).catch(undefined),
  format: z.preprocess((v) => (v === "" ? undefined : v), z.enum(SESSION_FORMATS).optional()).catch(undefined),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(PROPOSAL_STATUSES).optional()).catch(undefined),
});
