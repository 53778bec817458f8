// The shared setup of the PDFs the app writes (badges, letters): page sizes, and DejaVu fonts
// embedded so that names in any script (Latin, Greek, Cyrillic…) are written as text; the
// standard PDF fonts cannot write them.
import { createRequire } from "node:module";
import path from "node:path";
import PDFDocument from "pdfkit";

export const PAPER_SIZES = ["A4", "LETTER"] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

/** Page sizes in PDF points (1/72 inch). */
export const PAGE_POINTS: Record<PaperSize, { width: number; height: number }> = {
  A4: { width: 595.28, height: 841.89 },
  LETTER: { width: 612, height: 792 },
};

// Resolved from the package itself, so it works in development, in the built server and in tests.
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");

export const FONTS = {
  regular: path.join(fontDir, "DejaVuSans.ttf"),
  bold: path.join(fontDir, "DejaVuSans-Bold.ttf"),
  signature: path.join(fontDir, "DejaVuSerif-Italic.ttf"),
} as const;
export type FontName = keyof typeof FONTS;

/** A new document on this paper with the fonts registered, and a promise of its bytes once ended. */
export function newDocument(size: PaperSize, info: { title: string; margin?: number }) {
  const doc = new PDFDocument({ size, margin: info.margin ?? 0, font: FONTS.regular, info: { Title: info.title, Creator: "Convene" }, autoFirstPage: true });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, bytes };
}

/** An HTTP answer carrying a PDF: downloaded under this name, never cached (it holds personal data). */
export function pdfResponse(bytes: Buffer, filename: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
