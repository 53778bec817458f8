// How group messages are refused: their codes, and what the organizer is told for each.
import { DomainError, refusals } from "../../lib/domain-error";

export type MessagesErrorCode = "unknown_track" | "nobody" | "group_changed";

export const MESSAGES_REFUSALS = refusals<MessagesErrorCode>({
  unknown_track: { key: "errors.unknownTrack", field: "track" },
  nobody: "groupMail.errors.nobody",
  group_changed: "groupMail.errors.groupChanged",
});

export class MessagesError extends DomainError<MessagesErrorCode> {
  constructor(code: MessagesErrorCode, status: number) {
    super(code, status, MESSAGES_REFUSALS);
    this.name = "MessagesError";
  }
}
