// Who may see what of a convening's registrations: pure rules of a Viewer.
import type { Viewer } from "../people/viewer";

/** The directory is for the people taking part (and their organizers), nobody else. */
export function canSeeDirectory(viewer: Viewer): boolean {
  return viewer.organizer || viewer.participant;
}
