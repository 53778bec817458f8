import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import type { Executor } from "../../platform/db.server";
import { listTracks } from "../convenings/convenings.server";
import { writeAudit } from "../../platform/audit.server";
import { countForExport, registrationsForExport } from "./queries.server";
import type { CsvValues, RegistrationFilters } from "./schema";
import type { AnswerView, Question } from "./questions";
import { answerCells, exportQuestions } from "./questions.server";

/** Rows read per page of a streamed export. */
export const EXPORT_PAGE = 1000;

type Row = Awaited<ReturnType<typeof registrationsForExport>>[number] & { answers?: Map<number, AnswerView> };

/** The organizers' own questions an export has a column for, after the registration's own columns. */
type Columns = readonly Question[];

/** Spreadsheet programs run cells that start with these as formulas: make them plain text. */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * UTF-8 with a byte-order mark and CRLF line ends, which spreadsheet software opens with the
 * right characters and rows.
 */
export function registrationsCsv(rows: Row[], trackNames: Map<number, string>, sensitive: boolean, t: TFunction, questions: Columns = [], values: CsvValues = "codes"): string {
  const write = writer(values, t);
  return `\uFEFF${stringify([csvHeader(sensitive, t, questions), ...rows.map((r) => csvRecord(r, trackNames, sensitive, questions, write))], { record_delimiter: "\r\n" })}`;
}

/**
 * The same file as a stream: the header, then each page of rows as it is read, so that an export
 * of fifteen thousand registrations never sits whole in memory.
 */
export function registrationsCsvStream(nextPage: (after: Row | null) => Promise<Row[]>, trackNames: Map<number, string>, sensitive: boolean, t: TFunction, questions: Columns = [], values: CsvValues = "codes"): ReadableStream<Uint8Array> {
  const write = writer(values, t);
  const encoder = new TextEncoder();
  let last: Row | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${stringify([csvHeader(sensitive, t, questions)], { record_delimiter: "\r\n" })}`));
        return;
      }
      const rows = await nextPage(last);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      last = rows[rows.length - 1]!;
      controller.enqueue(encoder.encode(stringify(rows.map((r) => csvRecord(r, trackNames, sensitive, questions, write)), { record_delimiter: "\r\n" })));
    },
  });
}

/** An organizer's export: audited (with its size and filters) before a byte is sent, then streamed page by page. */
export async function exportRegistrations(
  db: Executor,
  input: { conveningId: number; actorId: number; filters: RegistrationFilters; sensitive: boolean; t: TFunction; values?: CsvValues; pageSize?: number },
): Promise<ReadableStream<Uint8Array>> {
  const [count, tracks, questions] = await Promise.all([countForExport(db, input.conveningId, input.filters), listTracks(db, input.conveningId), exportQuestions(db, input.conveningId, input.sensitive)]);
  await writeAudit(db, {
    actorId: input.actorId,
    action: input.sensitive ? "registration.exported_sensitive" : "registration.exported",
    subjectType: "convening",
    subjectId: input.conveningId,
    conveningId: input.conveningId,
    details: { rows: count, filters: input.filters, values: input.values ?? "codes" },
  });
  const size = input.pageSize ?? EXPORT_PAGE;
  return registrationsCsvStream(
    async (after) => {
      const rows = await registrationsForExport(db, input.conveningId, input.filters, input.sensitive, { after: after ? { createdAt: after.created_at, id: after.id } : null, size });
      const answers = await answerCells(db, rows.map((r) => r.id), questions);
      return rows.map((r) => ({ ...r, answers: answers.get(r.id) }));
    },
    new Map(tracks.map((tr) => [tr.id, tr.name])),
    input.sensitive,
    input.t,
    questions,
    input.values,
  );
}

function csvHeader(sensitive: boolean, t: TFunction, questions: Columns): string[] {
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
  for (const q of questions) header.push(q.label);
  return header.map(neutralizeFormula);
}

/** How the values of a record are written: internal codes, or the words of the reader's language. */
interface Writer {
  yesNo(v: number | boolean): string;
  code(kind: "status" | "attendance" | "constituency" | "access", value: string): string;
}

const LABEL_KEYS = { status: "registration.status", attendance: "registration.attendanceShort", constituency: "constituency", access: "access" } as const;

function writer(values: CsvValues, t: TFunction): Writer {
  if (values === "codes") return { yesNo: (v) => (v ? "yes" : "no"), code: (_, value) => value };
  return {
    yesNo: (v) => (v ? t("registration.yes") : t("registration.no")),
    code: (kind, value) => t(`${LABEL_KEYS[kind]}.${value}` as "registration.yes"),
  };
}

function csvRecord(r: Row, trackNames: Map<number, string>, sensitive: boolean, questions: Columns, write: Writer): string[] {
  const record = [
    String(r.id),
    r.display_name,
    write.code("status", r.status),
    write.code("attendance", r.attendance),
    r.pronouns ?? "",
    r.organization ?? "",
    r.constituency ? write.code("constituency", r.constituency) : "",
    r.country ?? "",
    r.trackIds.map((id) => trackNames.get(id) ?? "").join("; "),
    r.languages.join("; "),
    r.interpretation.join("; "),
    write.yesNo(r.support_requested),
    write.yesNo(r.consent_directory),
    write.yesNo(r.consent_contact),
    write.yesNo(r.consent_photos),
    write.yesNo(Boolean(r.attended_at)),
    r.created_at,
  ];
  if (sensitive) {
    record.push(
      r.full_name ?? "",
      r.email ?? "",
      r.access_needs.map((need) => write.code("access", need)).join("; "),
      r.access_other ?? "",
      r.dietary ?? "",
      r.support_request_reason ?? "",
      r.emergency_contact ?? "",
    );
  }
  for (const q of questions) {
    const answer = r.answers?.get(q.id);
    record.push(answer ? (answer.text ?? answer.choices.join("; ")) : "");
  }
  return record.map(neutralizeFormula);
}
