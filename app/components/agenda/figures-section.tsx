import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FiguresView } from "../../features/agenda/agenda-page";
import type { Score } from "../../modules/agenda/instance";
import { SuggestForm } from "./suggest-form";

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

/** The current agenda's figures beside the pending suggestion's, and the form that asks for one. */
export function FiguresSection({ figures }: { figures: FiguresView }) {
  const { t } = useTranslation();
  const { suggestion } = figures;
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">{t("agenda.figures")}</h2>
      <div className="breakdown">
        <Figures score={figures.current} label={t("agenda.current")} />
        {suggestion?.score ? <Figures score={suggestion.score} label={suggestion.fairness ? t("agenda.suggestionFair") : t("agenda.suggestion")} /> : null}
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
      {/* "Suggest" runs as a job on its own page (progress, stop, the moves, accept or discard). */}
      {suggestion ? (
        <p>
          <Link to="suggest">{t(`suggest15.pending.${suggestion.status}`)}</Link>
        </p>
      ) : null}
      <SuggestForm action="suggest" keepByDefault={figures.keepByDefault} />
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
