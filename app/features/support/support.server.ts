// The organizers' travel-support page and the finance team's CSV: requests with the names
// organizers see, totals against the budget. Only for organizers who read sensitive answers;
// every view and export is audited.
import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import type { Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { participantNames } from "../../modules/names/names.server";
import { neutralizeFormula } from "../../modules/registration/csv.server";
import { conveningSupportRequests, supportBudget } from "../../modules/support/requests.server";
import { supportTotals } from "../../modules/support/totals";
import { centsText } from "../../modules/support/schema";

async function named(db: Executor, conveningId: number, organizerId: number, language?: string) {
  const rows = await conveningSupportRequests(db, conveningId);
  const name = await participantNames(db, rows.map((r) => ({ conveningId, personId: r.personId })), { id: organizerId, organizer: true }, language);
  return rows.map((r) => ({ ...r, name: name(conveningId, r.personId) }));
}

/** What the support page shows; the view is written to the audit log. */
export async function supportPage(db: Executor, input: { conveningId: number; organizerId: number; language?: string }) {
  const [budget, rows] = await Promise.all([supportBudget(db, input.conveningId), named(db, input.conveningId, input.organizerId, input.language)]);
  await writeAudit(db, { actorId: input.organizerId, action: "support.viewed", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { requests: rows.length } });
  return {
    budget,
    totals: supportTotals(rows.map((r) => r.request), budget?.currency ?? null),
    requests: rows.map((r) => ({ registrationId: r.registrationId, name: r.name, request: r.request })),
  };
}

/**
 * The finance CSV: one row per kind asked (a request without amounts is one row without a kind).
 * Full names only when the organizer reads sensitive answers. Audited before it is built.
 */
export async function supportCsv(db: Executor, input: { conveningId: number; organizerId: number; fullNames: boolean; t: TFunction }): Promise<string> {
  const rows = await named(db, input.conveningId, input.organizerId);
  await writeAudit(db, { actorId: input.organizerId, action: "support.exported", subjectType: "convening", subjectId: input.conveningId, conveningId: input.conveningId, details: { requests: rows.length, fullNames: input.fullNames } });
  const { t } = input;
  const header = [t("travelSupport.csv.name"), ...(input.fullNames ? [t("travelSupport.csv.fullName")] : []), t("travelSupport.csv.registration"), t("travelSupport.csv.kind"), t("travelSupport.csv.currency"), t("travelSupport.csv.requested"), t("travelSupport.csv.granted"), t("travelSupport.csv.status"), t("travelSupport.csv.decidedAt")];
  const records = rows.flatMap((r) => {
    const items = r.request.items.length ? r.request.items : [null];
    return items.map((i) => [
      r.name,
      ...(input.fullNames ? [r.fullName ?? ""] : []),
      String(r.registrationId),
      i ? t(`travelSupport.kind.${i.kind}`) : "",
      i?.currency ?? "",
      i ? centsText(i.requestedCents) : "",
      i ? centsText(i.grantedCents) : "",
      t(`travelSupport.status.${r.request.status}`),
      r.request.decidedAt ?? "",
    ].map(neutralizeFormula));
  });
  return `\uFEFF${stringify([header, ...records], { record_delimiter: "\r\n" })}`;
}
