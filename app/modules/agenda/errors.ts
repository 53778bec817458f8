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

export class AgendaError extends Error {
  constructor(
    public readonly code: AgendaErrorCode,
    public readonly status: number,
    public readonly detail: string | null = null,
  ) {
    super(code);
    this.name = "AgendaError";
  }
}

/** The translation key for each refusal. */
export const AGENDA_ERROR_MESSAGES: Record<AgendaErrorCode, string> = {
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
};
