import { useTranslation } from "react-i18next";
import type { ConflictsView, HardConflictView, SoftConflictView } from "../../features/agenda/agenda-page";

/** One hard conflict in words. */
export function useHardConflictText() {
  const { t } = useTranslation();
  return (h: HardConflictView) =>
    h.kind === "room_double_booked"
      ? t("agenda.conflict.room", { room: h.room, slot: h.slot, sessions: h.sessions.join(", ") })
      : h.kind === "facilitator_double_booked"
        ? t("agenda.conflict.facilitator", { slot: h.slot, sessions: h.sessions.join(", ") })
        : h.kind === "facilitator_unavailable"
          ? t("agenda.conflict.unavailable", { slot: h.slot, session: h.session })
          : h.kind === "missing_feature"
            ? t("agenda.conflict.feature", { session: h.session, room: h.room, features: h.features.map((f) => t(`need.${f as "projector"}`)).join(", ") })
            : h.kind === "fixed_item_taken"
              ? t("agenda15.conflict.fixed", { session: h.session, fixed: h.fixed, slot: h.slot, room: h.room })
              : h.kind === "not_alone"
                ? t("agenda15.conflict.notAlone", { session: h.session, slot: h.slot, others: h.others.join(", ") })
                : h.kind === "plenary_room"
                  ? t("agenda15.conflict.plenaryRoom", { session: h.session, room: h.room, largest: h.largest })
                  : t("agenda.conflict.tooLong", { session: h.session, minutes: h.minutes, slotMinutes: h.slotMinutes });
}

/** The hard rules the agenda breaks (each a link to its place on the grid), then its soft conflicts; or that there are none. */
export function ConflictsSection({ conflicts }: { conflicts: ConflictsView }) {
  const { t } = useTranslation();
  const hardText = useHardConflictText();
  const softText = (s: SoftConflictView) =>
    s.kind === "over_capacity"
      ? t("agenda.conflict.capacity", { session: s.session, room: s.room, interest: s.interest, capacity: s.capacity })
      : s.kind === "same_track"
        ? t("agenda.conflict.sameTrack", { slot: s.slot, track: s.track, sessions: s.sessions.join(", ") })
        : t("agenda.conflict.clash", { count: s.people, slot: s.slot, a: s.a, b: s.b });
  return (
    <section aria-labelledby="conflicts-heading">
      <h2 id="conflicts-heading">{t("agenda.conflicts")}</h2>
      {conflicts.hard.length === 0 && conflicts.soft.length === 0 ? <p>{t("agenda.noConflicts")}</p> : null}
      <ul className="conflicts">
        {conflicts.hard.map((h, i) => (
          <li key={`h${i}`} className="conflict conflict--hard">
            <a href={`#${h.anchor}`}>{hardText(h)}</a>
          </li>
        ))}
        {conflicts.soft.map((s, i) => (
          <li key={`s${i}`} className="conflict conflict--soft">
            {softText(s)}
          </li>
        ))}
      </ul>
    </section>
  );
}
