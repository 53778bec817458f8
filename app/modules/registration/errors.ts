// How a refused registration change is told to the person: a translation key and the field it belongs to.
export const REGISTRATION_ERROR_MESSAGES: Record<string, { key: string; field: string }> = {
  closed: { key: "errors.registrationClosed", field: "form" },
  already_registered: { key: "errors.alreadyRegistered", field: "form" },
  not_registered: { key: "errors.notRegistered", field: "form" },
  invalid_transition: { key: "errors.invalidTransition", field: "form" },
  full: { key: "errors.full", field: "form" },
  unknown_track: { key: "errors.unknownTrack", field: "tracks" },
  not_found: { key: "errors.page.notFound", field: "form" },
  nobody_waiting: { key: "errors.nobodyWaiting", field: "form" },
  retention_before_end: { key: "errors.retentionBeforeEnd", field: "retentionOn" },
};
