// QR codes drawn from the qrcode library's matrix: an SVG path for pages, an HTML table for mail
// (mail programs drop SVG and data images; a table of dark cells shows everywhere and scans).
import QRCode from "qrcode";

export interface QrDrawing {
  /** modules per side, the quiet zone included */
  size: number;
  /** one SVG path of unit squares, dark modules only */
  path: string;
}

const QUIET = 4;

function matrix(text: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

export function qrDrawing(text: string): QrDrawing {
  const { size, dark } = matrix(text);
  let path = "";
  for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) if (dark(row, col)) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
  return { size: size + 2 * QUIET, path };
}

/** The QR code as an HTML table of 4-pixel cells, labelled for screen readers. */
export function qrHtmlTable(text: string, label: string, escape: (s: string) => string): string {
  const { size, dark } = matrix(text);
  const cell = (on: boolean) => `<td style="width:4px;height:4px;padding:0;background:${on ? "#000000" : "#ffffff"}"></td>`;
  const rows: string[] = [];
  const blank = `<tr>${Array.from({ length: size + 2 * QUIET }, () => cell(false)).join("")}</tr>`;
  for (let q = 0; q < QUIET; q++) rows.push(blank);
  for (let row = 0; row < size; row++) {
    const cells = [...Array.from({ length: QUIET }, () => cell(false))];
    for (let col = 0; col < size; col++) cells.push(cell(dark(row, col)));
    cells.push(...Array.from({ length: QUIET }, () => cell(false)));
    rows.push(`<tr>${cells.join("")}</tr>`);
  }
  for (let q = 0; q < QUIET; q++) rows.push(blank);
  return `<table role="img" aria-label="${escape(label)}" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;line-height:0;font-size:0">${rows.join("")}</table>`;
}
