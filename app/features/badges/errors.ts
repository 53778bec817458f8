// How a badge export is refused: nobody chosen, or a track that is not the convening's.
import { DomainError, refusals } from "../../lib/domain-error";

export type BadgeErrorCode = "nobody" | "unknown_track";

export const BADGE_REFUSALS = refusals<BadgeErrorCode>({
  nobody: "badgesLetters.errors.nobody",
  unknown_track: { key: "errors.unknownTrack", field: "track" },
});

export class BadgeError extends DomainError<BadgeErrorCode> {
  constructor(code: BadgeErrorCode, status: number) {
    super(code, status, BADGE_REFUSALS);
    this.name = "BadgeError";
  }
}
