// The visa invitation letter as a PDF: the letterhead text at the top, the date, the filled body,
// and a signature block (the signer's name in a script-like italic over a drawn line, then name and role).
import { newDocument, PAGE_POINTS } from "../../platform/pdf.server";
import type { LetterContent } from "./letters.server";

const MARGIN = 72;

export async function letterPdf(letter: LetterContent): Promise<Buffer> {
  const { doc, bytes } = newDocument("A4", { title: letter.title, margin: MARGIN });
  const width = PAGE_POINTS.A4.width - 2 * MARGIN;
  doc.font("bold").fontSize(13).fillColor("#1f2937").text(letter.letterhead, MARGIN, MARGIN, { width, align: "center" });
  const ruleY = doc.y + 8;
  doc.moveTo(MARGIN, ruleY).lineTo(MARGIN + width, ruleY).lineWidth(1).strokeColor("#6b7280").stroke();
  doc.font("regular").fontSize(11).fillColor("#111827").text(letter.date, MARGIN, ruleY + 20, { width, align: "right" });
  doc.moveDown(1.5);
  for (const paragraph of letter.body.split(/\n[ \t]*\n/)) {
    doc.text(paragraph.trim(), MARGIN, doc.y, { width, align: "left", lineGap: 2 });
    doc.moveDown(0.8);
  }
  // The signature: kept whole on one page.
  if (doc.y > PAGE_POINTS.A4.height - MARGIN - 110) doc.addPage();
  const top = doc.y + 16;
  doc.font("signature").fontSize(22).fillColor("#1e3a8a").text(letter.signerName, MARGIN, top, { width: 260 });
  const lineY = doc.y + 2;
  // A loose hand-drawn stroke under the name, then the printed line it sits on.
  doc
    .moveTo(MARGIN, lineY)
    .bezierCurveTo(MARGIN + 60, lineY - 10, MARGIN + 120, lineY + 8, MARGIN + 200, lineY - 4)
    .lineWidth(1.2)
    .strokeColor("#1e3a8a")
    .stroke();
  doc.moveTo(MARGIN, lineY + 10).lineTo(MARGIN + 240, lineY + 10).lineWidth(0.6).strokeColor("#374151").stroke();
  doc.font("bold").fontSize(11).fillColor("#111827").text(letter.signerName, MARGIN, lineY + 16, { width: 300 });
  doc.font("regular").text(letter.signerRole, MARGIN, doc.y, { width: 300 });
  doc.end();
  return bytes;
}
