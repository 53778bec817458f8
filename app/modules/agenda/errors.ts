// How the agenda domain refuses a change: its codes, and what the organizer is told for each.
import { DomainError, refusals } from "../../lib/domain-error";

export type AgendaErrorCode =
  | "not_found"
  | "slot_overlaps"
  | "outside_dates"
  | "not_accepted"
  | "unknown_slot"
  | "unknown_room"
  | "position_taken"
  | "facilitators_unregistered"
  | "nothing_to_publish"
  | "stale_suggestion"
  | "fixed_item_there"
  | "hard_conflicts"
  | "publish_preview_stale"
  // "Suggest" as a job (suggestions.server.ts)
  | "suggestion_running"
  | "suggestion_not_ready"
  | "suggestion_breaks_rules";

export const AGENDA_REFUSALS = refusals<AgendaErrorCode>({
  not_found: "errors.page.notFound",
  slot_overlaps: "errors.slotOverlaps",
  outside_dates: "errors.outsideDates",
  not_accepted: "errors.notAccepted",
  unknown_slot: "errors.unknownSlot",
  unknown_room: "errors.unknownRoom",
  position_taken: "errors.positionTaken",
  facilitators_unregistered: "agenda15.errors.facilitatorsMissing",
  nothing_to_publish: "errors.nothingToPublish",
  stale_suggestion: "errors.staleSuggestion",
  fixed_item_there: { key: "agenda15.errors.fixedItemThere", field: "slot" },
  hard_conflicts: "agenda15.errors.hardConflicts",
  publish_preview_stale: "agenda15.errors.previewStale",
  suggestion_running: "suggest15.errors.running",
  suggestion_not_ready: "suggest15.errors.notReady",
  suggestion_breaks_rules: "suggest15.errors.breaksRules",
});

export class AgendaError extends DomainError<AgendaErrorCode> {
  constructor(code: AgendaErrorCode, status: number, detail: string | null = null) {
    super(code, status, AGENDA_REFUSALS, detail);
    this.name = "AgendaError";
  }
}
