import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PublishView } from "../../features/agenda/agenda-page";
import type { FieldErrors } from "../../lib/forms";
import { CsrfInput } from "../csrf";
import { TextareaField } from "../field";

/** The form that publishes the next version, the published agenda's downloads, and each version's changes. */
export function PublishSection({ publish, errors }: { publish: PublishView; errors: FieldErrors }) {
  const { t } = useTranslation();
  const { slug, versions } = publish;
  return (
    <section aria-labelledby="publish-heading" className="cta">
      <h2 id="publish-heading">{t("agenda.publish")}</h2>
      <Form method="post" className="form">
        <CsrfInput />
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
