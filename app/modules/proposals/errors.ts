// How a refused proposal change is told to the person: a translation key and the field it belongs to.
export const PROPOSAL_ERROR_MESSAGES: Record<string, { key: string; field: string }> = {
  closed: { key: "errors.cfpClosed", field: "form" },
  not_found: { key: "errors.page.notFound", field: "form" },
  not_editable: { key: "errors.notEditable", field: "form" },
  invalid_transition: { key: "errors.invalidTransition", field: "form" },
  unknown_track: { key: "errors.unknownTrack", field: "primaryTrack" },
  unknown_format: { key: "errors.chooseFormat", field: "format" },
  unknown_length: { key: "errors.chooseLength", field: "length" },
  incomplete: { key: "errors.fixBelow", field: "form" },
  invitation_used: { key: "errors.invitationUsed", field: "form" },
  not_registered: { key: "errors.registerFirst", field: "form" },
};
