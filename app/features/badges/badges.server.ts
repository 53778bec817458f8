// Name badges as a printable PDF: eight to a page (2 × 4) with cut lines, each with the name the
// person chose for the convening (through the names module), their pronouns, their organization
// only where they agreed to be listed (registration policy), and the convening's title. Full
// names and addresses are never read. Every export is written to the audit log.
import type { Executor } from "../../platform/db.server";
import { writeAudit } from "../../platform/audit.server";
import { newDocument, PAGE_POINTS, type PaperSize } from "../../platform/pdf.server";
import { filtered } from "../../modules/registration/queries.server";
import { shownOrganization } from "../../modules/registration/policy";
import { participantName } from "../../modules/names/names.server";
import type { BadgeChoice } from "../../modules/registration/badge-schema";
import { BadgeError } from "./errors";

export interface Badge {
  name: string;
  pronouns: string | null;
  organization: string | null;
}

export const BADGE_GRID = { columns: 2, rows: 4 } as const;
const PAGE_MARGIN = 28;

async function trackIsOf(db: Executor, conveningId: number, trackId: number | undefined): Promise<boolean> {
  if (trackId === undefined) return true;
  return (await db.selectFrom("tracks").select("id").where("convening_id", "=", conveningId).where("id", "=", trackId).executeTakeFirst()) !== undefined;
}

/** The badges of the registrations chosen, by name; only what a badge may show leaves the database. */
export async function badgesFor(db: Executor, conveningId: number, choice: BadgeChoice, organizerId: number): Promise<Badge[]> {
  if (!(await trackIsOf(db, conveningId, choice.track))) throw new BadgeError("unknown_track", 400);
  const rows = await filtered(
    db
      .selectFrom("registrations")
      .innerJoin("people", "people.id", "registrations.person_id")
      .select(["registrations.person_id", "registrations.display_name", "registrations.pronouns", "registrations.organization", "registrations.consent_directory", "people.deleted_at"]),
    conveningId,
    { status: choice.status, attendance: choice.attendance === "any" ? undefined : choice.attendance, track: choice.track },
  )
    .orderBy("registrations.display_name")
    .orderBy("registrations.id")
    .execute();
  const viewer = { id: organizerId, organizer: true, registration: null };
  return rows.flatMap((r) => {
    const name = participantName({ personId: r.person_id, name: r.display_name, listed: false, deleted: r.deleted_at !== null }, viewer);
    return name ? [{ name, pronouns: r.pronouns, organization: shownOrganization(r) }] : [];
  });
}

/** The largest size (down to a floor) at which text fits the width in at most `lines` lines. */
function fitSize(doc: PDFKit.PDFDocument, text: string, font: string, width: number, start: number, floor: number, lines: number): number {
  doc.font(font);
  for (let size = start; size > floor; size -= 1) {
    doc.fontSize(size);
    if (doc.heightOfString(text, { width }) <= size * 1.25 * lines) return size;
  }
  return floor;
}

export async function badgesPdf(badges: Badge[], options: { paper: PaperSize; conveningTitle: string }): Promise<Buffer> {
  const { doc, bytes } = newDocument(options.paper, { title: options.conveningTitle });
  const page = PAGE_POINTS[options.paper];
  const cellW = (page.width - 2 * PAGE_MARGIN) / BADGE_GRID.columns;
  const cellH = (page.height - 2 * PAGE_MARGIN) / BADGE_GRID.rows;
  const perPage = BADGE_GRID.columns * BADGE_GRID.rows;
  const pad = 16;
  badges.forEach((badge, i) => {
    if (i > 0 && i % perPage === 0) doc.addPage();
    const at = i % perPage;
    const x = PAGE_MARGIN + (at % BADGE_GRID.columns) * cellW;
    const y = PAGE_MARGIN + Math.floor(at / BADGE_GRID.columns) * cellH;
    const w = cellW - 2 * pad;
    // Cut lines around each badge.
    doc.save().rect(x, y, cellW, cellH).lineWidth(0.5).dash(4, { space: 3 }).strokeColor("#9ca3af").stroke().restore();
    // The convening's band.
    doc.save().rect(x + 6, y + 6, cellW - 12, 30).fill("#1e3a8a").restore();
    doc.font("bold").fontSize(10).fillColor("#ffffff").text(options.conveningTitle, x + pad, y + 15, { width: w, align: "center", height: 14, ellipsis: true, lineBreak: false });
    const nameSize = fitSize(doc, badge.name, "bold", w, 26, 12, 2);
    doc.font("bold").fontSize(nameSize).fillColor("#111827").text(badge.name, x + pad, y + 56, { width: w, align: "center", height: nameSize * 2.6, ellipsis: true });
    let line = y + 56 + doc.heightOfString(badge.name, { width: w }) + 8;
    if (badge.pronouns) {
      doc.font("regular").fontSize(12).fillColor("#374151").text(badge.pronouns, x + pad, line, { width: w, align: "center", height: 16, ellipsis: true, lineBreak: false });
      line += 20;
    }
    if (badge.organization) {
      doc.font("regular").fontSize(11).fillColor("#111827").text(badge.organization, x + pad, Math.max(line, y + cellH - pad - 30), { width: w, align: "center", height: 30, ellipsis: true });
    }
  });
  doc.end();
  return bytes;
}

/** Refuses a choice that gives no badge (nobody chosen, a track of another convening), before the page sends the organizer to the PDF. */
export async function checkBadgeChoice(db: Executor, conveningId: number, choice: BadgeChoice): Promise<void> {
  if (!(await trackIsOf(db, conveningId, choice.track))) throw new BadgeError("unknown_track", 400);
  const row = await filtered(db.selectFrom("registrations").select("registrations.id"), conveningId, { status: choice.status, attendance: choice.attendance === "any" ? undefined : choice.attendance, track: choice.track }).limit(1).executeTakeFirst();
  if (!row) throw new BadgeError("nobody", 409);
}

/** The badges PDF for the registrations chosen, with the export in the audit log; null (nothing written) when they give no badge. */
export async function exportBadges(db: Executor, input: { conveningId: number; conveningTitle: string; organizerId: number; choice: BadgeChoice; now?: Date }): Promise<{ pdf: Buffer; count: number } | null> {
  if (!(await trackIsOf(db, input.conveningId, input.choice.track))) return null;
  const badges = await badgesFor(db, input.conveningId, input.choice, input.organizerId);
  if (badges.length === 0) return null;
  const pdf = await badgesPdf(badges, { paper: input.choice.paper, conveningTitle: input.conveningTitle });
  await writeAudit(db, {
    actorId: input.organizerId,
    action: "badges.exported",
    subjectType: "convening",
    subjectId: input.conveningId,
    conveningId: input.conveningId,
    details: { badges: badges.length, paper: input.choice.paper, status: input.choice.status, attendance: input.choice.attendance, track: input.choice.track ?? null },
    now: input.now,
  });
  return { pdf, count: badges.length };
}
