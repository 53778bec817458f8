import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FiguresView } from "../../features/agenda/agenda-page";
import type { Score } from "../../modules/agenda/instance";
import { CsrfInput } from "../csrf";
import { CheckboxField } from "../field";

function Figures({ score, label }: { score: Score; label: string }) {
  const { t } = useTranslation();
  return (
    <table className="figures">
      <caption>{label}</caption>
      <tbody>
        <tr>
          <th scope="row">{t("agenda.figure.hard")}</th>
          <td className={score.hardViolations ? "hard" : undefined}>{score.hardViolations}</td>
        </tr>
        <tr>
          <th scope="row">{t("agenda.figure.clashes")}</th>
          <td>{score.attendeeClashes}</td>
        </tr>
        <tr>
          <th scope="row">{t("agenda.figure.overflow")}</th>
          <td>{score.overflow}</td>
        </tr>
        <tr>
          <th scope="row">{t("agenda.figure.sameTrack")}</th>
          <td>{score.sameTrackOverlaps}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** The current agenda's figures beside the pending suggestion's, and the forms to ask for, accept or discard one. */
export function FiguresSection({ figures }: { figures: FiguresView }) {
  const { t } = useTranslation();
  const { suggestion } = figures;
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">{t("agenda.figures")}</h2>
      <div className="breakdown">
        <Figures score={figures.current} label={t("agenda.current")} />
        {suggestion ? <Figures score={suggestion.score} label={suggestion.fairness ? t("agenda.suggestionFair") : t("agenda.suggestion")} /> : null}
        <table className="figures">
          <caption>{t("agenda.clashesByGroup")}</caption>
          <tbody>
            {figures.clashesByGroup.map(({ group, count }) => (
              <tr key={group}>
                <th scope="row">{group === "unknown" ? t("organizeRegistrations.notGiven") : t(`constituency.${group as "other"}`)}</th>
                <td>{count}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("agenda.lostSessions")}</th>
              <td>{figures.lostSessions}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Form method="post" className="actions">
          <CsrfInput />
          <CheckboxField name="fairness" label={t("agenda.fairness")} />
          <button type="submit" name="intent" value="suggest" className="button">
            {t("agenda.suggest")}
          </button>
        </Form>
        {suggestion ? (
          <>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="suggestion" value={suggestion.id} />
              <button type="submit" name="intent" value="accept-suggestion" className="button">
                {t("agenda.accept")}
              </button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="discard-suggestion" className="button button--secondary">
                {t("agenda.discard")}
              </button>
            </Form>
          </>
        ) : null}
      </div>
      {suggestion?.cannotPlace.length ? (
        <ul>
          {suggestion.cannotPlace.map((u) => (
            <li key={u.proposalId}>{t("agenda.cannotPlace", { title: u.title, reason: u.reason })}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
