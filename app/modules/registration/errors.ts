// How the registration domain refuses a change: its codes, and what the person is told for each.
import { DomainError, refusals } from "../../lib/domain-error";

export type RegistrationErrorCode =
  | "closed"
  | "already_registered"
  | "not_registered"
  | "invalid_transition"
  | "full"
  | "unknown_track"
  | "not_found"
  | "nobody_waiting"
  | "retention_before_end"
  | "not_confirmed"
  | "desk_closed"
  | "not_yet"
  | "place_free";

export const REGISTRATION_REFUSALS = refusals<RegistrationErrorCode>({
  closed: "errors.registrationClosed",
  already_registered: "errors.alreadyRegistered",
  not_registered: "errors.notRegistered",
  invalid_transition: "errors.invalidTransition",
  full: "errors.full",
  unknown_track: { key: "errors.unknownTrack", field: "tracks" },
  not_found: "errors.page.notFound",
  nobody_waiting: "errors.nobodyWaiting",
  retention_before_end: { key: "errors.retentionBeforeEnd", field: "retentionOn" },
  not_confirmed: "checkInDesk.refused.notConfirmed",
  desk_closed: "checkInDesk.refused.closed",
  not_yet: "registrationsTable.errors.notYet",
  place_free: "registrationsTable.errors.placeFree",
});

export class RegistrationError extends DomainError<RegistrationErrorCode> {
  constructor(code: RegistrationErrorCode, status: number) {
    super(code, status, REGISTRATION_REFUSALS);
    this.name = "RegistrationError";
  }
}
