// Who is looking at a convening's page: the one input of every domain's policy (`can…(viewer, thing)`),
// built once per request by `loadViewer`, in place of flags passed in from routes.
import type { RegistrationStatus } from "../../../db/schema";

export interface Viewer {
  /** The person, or null for an anonymous visitor. */
  id: number | null;
  /** An organizer of this convening (or of every convening). */
  organizer: boolean;
  /** The tracks of this convening whose proposals this person reviews. */
  reviewerTrackIds: readonly number[];
  /** This person's registration for the convening, in whatever status, or null. */
  registration: RegistrationStatus | null;
  /** Registered and taking part (pending, confirmed or waitlisted); who sees other people is registration's canSeePeople. */
  participant: boolean;
}

export const ANONYMOUS: Viewer = { id: null, organizer: false, reviewerTrackIds: [], registration: null, participant: false };
