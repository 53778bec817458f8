// Action-item statuses, their groups and the moves between them, defined once (client-safe).
import { ACTION_STATUSES, type ActionStatus } from "../../../db/schema";

export { ACTION_STATUSES, type ActionStatus };

/** Still to be done: reminded, in the digest, counted as carried over, overdue once past due. */
export const OPEN_STATUSES: readonly ActionStatus[] = ["open", "in_progress"];
/** Finished one way or the other; leaving them (reopening) needs a note saying why. */
export const CLOSED_STATUSES: readonly ActionStatus[] = ["done", "dropped"];
/** Will not happen: calendars show its due date as cancelled. */
export const CANCELLED_STATUSES: readonly ActionStatus[] = ["dropped"];

/** Moves an owner may make. */
export const TRANSITIONS: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ["in_progress", "done", "dropped"],
  in_progress: ["open", "done", "dropped"],
  done: ["open", "in_progress"],
  dropped: ["open", "in_progress"],
};

export function canTransition(from: ActionStatus, to: ActionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: ActionStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function isClosed(status: ActionStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Reopening a closed item needs a note saying why. */
export function needsNote(from: ActionStatus, to: ActionStatus): boolean {
  return isClosed(from) && !isClosed(to);
}

/** Past its due date (YYYY-MM-DD, compared with the day) and still open. */
export function isOverdue(item: { status: ActionStatus; due_on: string }, day: string): boolean {
  return isOpen(item.status) && item.due_on < day;
}

/** A count per status, every status present (for progress tables and reports). */
export function countByStatus(): Record<ActionStatus, number> {
  return Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as Record<ActionStatus, number>;
}

/** Who sees an item: the working group (the session's participants and organizers) or organizers only. */
export const ACTION_VISIBILITIES = ["group", "organizers"] as const;
export type ActionVisibility = (typeof ACTION_VISIBILITIES)[number];
