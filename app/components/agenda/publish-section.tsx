import { Form } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { ChangePreview, ConflictsView, PublishView } from "../../features/agenda/agenda-page";
import type { FieldErrors } from "../../lib/forms";
import { CsrfInput } from "../csrf";
import { TextareaField } from "../field";
import { useHardConflictText } from "./conflicts-section";

type Missing = { title: string; name: string; registration: string | null };

/** A facilitator who keeps a session from being confirmed, and why: "Finn (Legal aid): not registered". */
export function missingLine(t: TFunction, m: Missing): string {
  return t("agenda15.missing.line", { name: m.name, title: m.title, reason: t(`agenda15.missing.${(m.registration ?? "none") as "none"}`) });
}

/** Every missing facilitator in one sentence, for the refusal notice. */
export function missingText(t: TFunction, missing: Missing[]): string {
  return missing.map((m) => missingLine(t, m)).join("; ");
}

function changeLine(t: TFunction, c: ChangePreview): string {
  switch (c.kind) {
    case "added":
      return t("agenda15.preview.added", { title: c.title, at: c.at, room: c.room });
    case "moved":
      return t("agenda15.preview.moved", { title: c.title, at: c.at, room: c.room, fromAt: c.fromAt, fromRoom: c.fromRoom });
    case "renamed":
      return t("agenda15.preview.renamed", { title: c.title, fromTitle: c.fromTitle, at: c.at, room: c.room });
    case "cancelled":
      return t("agenda15.preview.cancelled", { title: c.title });
  }
}

/**
 * What publishing the next version will do (its changes against the published one and how many
 * people are mailed), what stops it (hard conflicts, each a link to the grid, and facilitators
 * not confirmed, with why), the form that publishes it, the downloads, and each version's changes.
 */
export function PublishSection({ publish, conflicts, errors }: { publish: PublishView; conflicts: ConflictsView; errors: FieldErrors }) {
  const { t } = useTranslation();
  const hardText = useHardConflictText();
  const { slug, versions, preview } = publish;
  const blocked = conflicts.hard.length > 0 || preview.missing.length > 0;
  return (
    <section aria-labelledby="publish-heading" className="cta">
      <h2 id="publish-heading">{t("agenda.publish")}</h2>
      <h3 id="preview-heading">{t("agenda15.preview.heading", { number: publish.nextNumber })}</h3>
      {preview.changes.length ? (
        <ul className="preview-changes" aria-labelledby="preview-heading">
          {preview.changes.map((c, i) => (
            <li key={i}>{changeLine(t, c)}</li>
          ))}
        </ul>
      ) : (
        <p>{t("agenda15.preview.none")}</p>
      )}
      <p className="preview-mailed">{t("agenda15.preview.mailed", { count: preview.mailed })}</p>
      {blocked ? (
        <div className="notice notice--warn publish-blockers">
          <p>{t("agenda15.preview.blocked")}</p>
          {conflicts.hard.length ? (
            <>
              <h4>{t("agenda15.preview.conflicts")}</h4>
              <ul className="blockers-conflicts">
                {conflicts.hard.map((h, i) => (
                  <li key={i}>
                    <a href={`#${h.anchor}`}>{hardText(h)}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {preview.missing.length ? (
            <>
              <h4>{t("agenda15.preview.missing")}</h4>
              <ul className="blockers-missing">
                {preview.missing.map((m, i) => (
                  <li key={i}>{missingLine(t, m)}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <Form method="post" className="form">
        <CsrfInput />
        <input type="hidden" name="fingerprint" value={preview.fingerprint} />
        <TextareaField name="note" label={t("agenda.note")} hint={t("agenda.noteHint")} maxLength={500} errors={errors.note} />
        <div>
          <button type="submit" name="intent" value="publish" className="button">
            {t("agenda.publishButton", { number: publish.nextNumber })}
          </button>
        </div>
      </Form>
      {versions.length ? (
        <p>
          {t("agenda.downloads")}: <a href={`/organize/${slug}/agenda.csv`}>{t("agenda.csv")}</a> ·{" "}
          <a href={`/convenings/${slug}/agenda`}>{t("agenda.printable")}</a> · <a href={`/convenings/${slug}/agenda.ics`}>{t("agenda.feeds")}</a> ·{" "}
          <a href={`/convenings/${slug}/schedule.xml`}>schedule.xml</a> · <a href={`/convenings/${slug}/schedule.json`}>schedule.json</a>
        </p>
      ) : null}
      {versions.map((v) => (
        <details key={v.id} className="panel">
          <summary>{t("agenda.versionSummary", { number: v.number, count: v.changes.length })}</summary>
          {v.note ? <p>{v.note}</p> : null}
          <ul>
            {v.changes.map((c, i) => (
              <li key={i}>{t(`agenda.change.${c.kind}`, { title: c.title })}</li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
