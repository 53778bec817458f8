// Reading a PDF back in tests: each page's size and its text, with pdf.js (the legacy build runs in Node).
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfPage {
  width: number;
  height: number;
  /** the text items in reading order, joined by single spaces */
  text: string;
  items: Array<{ str: string; x: number; y: number }>;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items = content.items.flatMap((item) => ("str" in item && item.str.trim() !== "" ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number }] : []));
    pages.push({ width, height, text: items.map((i) => i.str).join(" ").replace(/\s+/g, " "), items });
  }
  await doc.destroy();
  return pages;
}
