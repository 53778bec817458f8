// What the organizer's agenda page shows, one part per section, with ids already turned into the
// names and labels people read. Types only, so the page's components can use them in the browser.
import type { RoomFeature, SuggestionStatus } from "../../../db/schema";
import type { Score } from "../../modules/agenda/instance";

export interface Option {
  value: string;
  label: string;
}

export interface RoomChoice {
  id: number;
  name: string;
  capacity: number;
}

/** The slots and rooms offered by the forms that place a session or add a fixed item. */
export interface AgendaChoices {
  slots: Option[];
  rooms: RoomChoice[];
}

/** The figures of the current agenda and of the pending suggestion, with what to do about it. */
export interface FiguresView {
  current: Score;
  suggestion: {
    id: number;
    status: SuggestionStatus;
    fairness: boolean;
    /** null until the suggestion has finished */
    score: Score | null;
    /** the sessions the scheduler could not place, and why */
    cannotPlace: Array<{ proposalId: number; title: string; reason: string }>;
  } | null;
  /** constituency ("unknown" when not given) and its attendee clashes, in the scheduler's order */
  clashesByGroup: Array<{ group: string; count: number }>;
  lostSessions: number;
  /** a version is published: "Suggest" keeps it unless the organizer asks for a fresh schedule */
  keepByDefault: boolean;
}

export interface PlacedSessionView {
  id: number;
  title: string;
  minutes: number;
  pinned: boolean;
  /** breaks a hard rule */
  flagged: boolean;
  trackColor: string | null;
}

export interface GridRow {
  slotId: number;
  label: string;
  minutes: number;
  /** the title of a fixed item that takes the whole venue for this slot; then there are no cells */
  whole: string | null;
  /** sessions placed in a whole-venue slot anyway (older data): shown there, flagged, never hidden */
  wholeSessions: PlacedSessionView[];
  /** the fragment id of this row's whole-venue cell */
  anchor: string;
  cells: Array<{ roomId: number; fixed: string | null; sessions: PlacedSessionView[]; anchor: string }>;
}

/** One table per day that has slots, rooms across, slots down. */
export interface GridView {
  zone: string;
  rooms: RoomChoice[];
  days: Array<{ value: string; label: string; rows: GridRow[] }>;
}

export interface UnplacedView {
  /** every session that may be placed, for the form that places one by hand */
  sessions: Option[];
  /** the sessions not placed yet */
  list: Array<{ id: number; title: string; minutes: number; trackColor: string | null }>;
}

export type HardConflictView = (
  | { kind: "room_double_booked"; room: string; slot: string; sessions: string[] }
  | { kind: "facilitator_double_booked"; slot: string; sessions: string[] }
  | { kind: "facilitator_unavailable"; slot: string; session: string }
  | { kind: "missing_feature"; session: string; room: string; features: string[] }
  | { kind: "too_long"; session: string; minutes: number; slotMinutes: number }
  | { kind: "fixed_item_taken"; session: string; fixed: string; slot: string; room: string }
  | { kind: "not_alone"; session: string; slot: string; others: string[] }
  | { kind: "plenary_room"; session: string; room: string; largest: string }
) & {
  /** the fragment id of the grid cell where it is (`#` + anchor links to it) */
  anchor: string;
};

export type SoftConflictView =
  | { kind: "over_capacity"; session: string; room: string; interest: number; capacity: number }
  | { kind: "same_track"; slot: string; track: string; sessions: string[] }
  | { kind: "attendee_clash"; slot: string; people: number; a: string; b: string };

/** Every hard conflict, and the first soft ones (the page shows no more than that). */
export interface ConflictsView {
  hard: HardConflictView[];
  soft: SoftConflictView[];
}

/** A change the next version makes against the published one, with times and rooms as people read them. */
export type ChangePreview =
  | { kind: "added"; title: string; at: string; room: string }
  | { kind: "moved"; title: string; at: string; room: string; fromAt: string; fromRoom: string }
  | { kind: "renamed"; title: string; fromTitle: string; at: string; room: string }
  | { kind: "cancelled"; title: string };

export interface PublishView {
  slug: string;
  nextNumber: number;
  /** what publishing now does: its changes, the people mailed, and what stops it */
  preview: {
    changes: ChangePreview[];
    mailed: number;
    fingerprint: string;
    /** facilitators who keep a placed session from being confirmed, and their registration's status (null: not registered) */
    missing: Array<{ title: string; name: string; registration: string | null }>;
  };
  /** newest first */
  versions: Array<{ id: number; number: number; note: string; changes: Array<{ kind: "added" | "moved" | "renamed" | "cancelled"; title: string }> }>;
}

export interface SetupView {
  rooms: Array<RoomChoice & { features: RoomFeature[] }>;
  slots: Array<{ id: number; label: string; minutes: number }>;
  /** room is null for an item that takes the whole venue */
  fixed: Array<{ id: number; title: string; slot: string; room: string | null }>;
  /** the convening's days, for the form that adds a slot */
  days: Option[];
}

export interface AgendaPage {
  convening: { slug: string; title: string };
  choices: AgendaChoices;
  figures: FiguresView;
  grid: GridView;
  unplaced: UnplacedView;
  conflicts: ConflictsView;
  publish: PublishView;
  setup: SetupView;
}
