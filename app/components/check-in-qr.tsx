import { useTranslation } from "react-i18next";
import type { QrDrawing } from "../lib/qr";

/** A participant's check-in code, written out and as a QR code the desk scans. */
export function CheckInQrBlock({ qr }: { qr: { code: string; drawing: QrDrawing } }) {
  const { t } = useTranslation();
  const label = t("checkInDesk.qr.label", { code: qr.code });
  return (
    <section className="card check-in-qr-card" aria-labelledby="check-in-heading">
      <h2 id="check-in-heading">{t("checkInDesk.qr.heading")}</h2>
      <p>{t("checkInDesk.qr.intro")}</p>
      <div className="check-in-qr">
        <svg role="img" aria-label={label} viewBox={`0 0 ${qr.drawing.size} ${qr.drawing.size}`} shapeRendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
          <title>{label}</title>
          <rect width={qr.drawing.size} height={qr.drawing.size} fill="#fff" />
          <path d={qr.drawing.path} fill="#000" />
        </svg>
        <p>
          {t("checkInDesk.qr.codeLabel")} <strong className="check-in-code">{qr.code}</strong>
        </p>
      </div>
    </section>
  );
}
