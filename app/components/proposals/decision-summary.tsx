import { useTranslation } from "react-i18next";

interface Named {
  id: number;
  title: string;
}

/** What a batch decision did, as decideProposals reports it. */
export interface DecisionOutcomeView {
  decision: "accepted" | "waitlisted" | "declined" | "undecided";
  changed: Named[];
  messageReplaced: Named[];
  skipped: Named[];
}

function Titles({ items }: { items: Named[] }) {
  return (
    <ul className="decision-summary__titles">
      {items.map((p) => (
        <li key={p.id}>{p.title}</li>
      ))}
    </ul>
  );
}

/** The answer to a batch decision: what it did and to which proposals, and that nothing is sent yet. */
export function DecisionSummary({ outcome }: { outcome: DecisionOutcomeView }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice--ok decision-summary" role="status">
      <p>{t(`decisions14.summary.${outcome.decision}`, { count: outcome.changed.length })}</p>
      {outcome.changed.length ? <Titles items={outcome.changed} /> : null}
      {outcome.messageReplaced.length ? (
        <>
          <p>{t("decisions14.summary.messageReplaced", { count: outcome.messageReplaced.length })}</p>
          <Titles items={outcome.messageReplaced} />
        </>
      ) : null}
      {outcome.skipped.length ? (
        <>
          <p>{t("decisions14.summary.skipped", { count: outcome.skipped.length })}</p>
          <Titles items={outcome.skipped} />
        </>
      ) : null}
      <p>{t("decisions14.summary.nothingSent")}</p>
    </div>
  );
}
