import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import type { registrationsForExport } from "./queries.server";

type Row = Awaited<ReturnType<typeof registrationsForExport>>[number];

/** Spreadsheet programs run cells that start with these as formulas: make them plain text. */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * UTF-8 with a byte-order mark and CRLF line ends, which spreadsheet software opens with the
 * right characters and rows.
 */
export function registrationsCsv(rows: Row[], trackNames: Map<number, string>, sensitive: boolean, t: TFunction): string {
  const header = [
    t("csv.id"),
    t("csv.name"),
    t("csv.status"),
    t("csv.attendance"),
    t("csv.pronouns"),
    t("csv.organization"),
    t("csv.constituency"),
    t("csv.country"),
    t("csv.tracks"),
    t("csv.languages"),
    t("csv.interpretation"),
    t("csv.supportRequested"),
    t("csv.consentDirectory"),
    t("csv.consentContact"),
    t("csv.consentPhotos"),
    t("csv.attended"),
    t("csv.registeredAt"),
  ];
  if (sensitive) {
    header.push(t("csv.fullName"), t("csv.email"), t("csv.accessNeeds"), t("csv.accessOther"), t("csv.dietary"), t("csv.supportReason"), t("csv.emergencyContact"));
  }
  const yesNo = (v: number) => (v ? "yes" : "no");
  const records = rows.map((r) => {
    const record = [
      String(r.id),
      r.display_name,
      r.status,
      r.attendance,
      r.pronouns ?? "",
      r.organization ?? "",
      r.constituency ?? "",
      r.country ?? "",
      r.trackIds.map((id) => trackNames.get(id) ?? "").join("; "),
      (JSON.parse(r.languages) as string[]).join("; "),
      (JSON.parse(r.interpretation) as string[]).join("; "),
      yesNo(r.support_requested),
      yesNo(r.consent_directory),
      yesNo(r.consent_contact),
      yesNo(r.consent_photos),
      r.attended_at ? "yes" : "no",
      r.created_at,
    ];
    if (sensitive) {
      record.push(
        r.full_name ?? "",
        r.email ?? "",
        (JSON.parse(r.access_needs) as string[]).join("; "),
        r.access_other ?? "",
        r.dietary ?? "",
        r.support_reason ?? "",
        r.emergency_contact ?? "",
      );
    }
    return record.map(neutralizeFormula);
  });
  return `\uFEFF${stringify([header, ...records], { record_delimiter: "\r\n" })}`;
}
