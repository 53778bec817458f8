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
  | "stale_suggestion";

export const AGENDA_REFUSALS = refusals<AgendaErrorCode>({
  not_found: "errors.page.notFound",
  slot_overlaps: "errors.slotOverlaps",
  outside_dates: "errors.outsideDates",
  not_accepted: "errors.notAccepted",
  unknown_slot: "errors.unknownSlot",
  unknown_room: "errors.unknownRoom",
  position_taken: "errors.positionTaken",
  facilitators_unregistered: "errors.facilitatorsUnregistered",
  nothing_to_publish: "errors.nothingToPublish",
  stale_suggestion: "errors.staleSuggestion",
});

export class AgendaError extends DomainError<AgendaErrorCode> {
  constructor(code: AgendaErrorCode, status: number, detail: string | null = null) {
    super(code, status, AGENDA_REFUSALS, detail);
    this.name = "AgendaError";
  }
}
