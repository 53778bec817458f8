// What a participant's QR code carries: the desk's address for their check-in code. Opened by an
// organizer or a desk volunteer it shows the entry; anyone else is refused at the desk's guard.
import { appLink } from "../../platform/env.server";
import { qrDrawing, type QrDrawing } from "../../lib/qr";
import { checkInPath } from "../../modules/registration/check-in-code";

export interface CheckInQr {
  code: string;
  url: string;
  drawing: QrDrawing;
}

export function checkInUrl(slug: string, code: string): string {
  return appLink(checkInPath(slug, code));
}

export function checkInQr(slug: string, code: string): CheckInQr {
  const url = checkInUrl(slug, code);
  return { code, url, drawing: qrDrawing(url) };
}
