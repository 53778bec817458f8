import { Form, useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AgendaChoices, UnplacedView } from "../../features/agenda/agenda-page";
import type { FieldErrors } from "../../lib/forms";
import { CsrfInput } from "../csrf";
import { SelectField } from "../field";
import { TrackSwatch } from "../track-swatch";
import { PLACE_FETCHER } from "./grid-section";

/** The sessions not placed yet, draggable onto the grid, and a plain form that places one (it needs a slot and a room). */
export function UnplacedSection({ unplaced, choices, errors }: { unplaced: UnplacedView; choices: AgendaChoices; errors: FieldErrors }) {
  const { t } = useTranslation();
  // A session dropped on the grid is placed by a fetcher: its refusal shows here, beside the form, too.
  const drop = useFetcher<{ ok: boolean; errors?: FieldErrors; message?: string }>({ key: PLACE_FETCHER });
  const dropped = drop.state === "idle" && drop.data && !drop.data.ok ? (drop.data.errors ?? {}) : {};
  const shown: FieldErrors = Object.keys(errors).length ? errors : dropped;
  return (
    <section aria-labelledby="unplaced-heading">
      <h2 id="unplaced-heading">{t("agenda.unplaced", { count: unplaced.list.length })}</h2>
      {choices.slots.length && choices.rooms.length ? (
        <Form method="post" className="filters-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="place" />
          <SelectField name="proposal" label={t("agenda.session")} options={unplaced.sessions} errors={shown.proposal} />
          <SelectField name="slot" label={t("agenda.slot")} options={choices.slots} errors={shown.slot} />
          <SelectField name="room" label={t("agenda.room")} options={choices.rooms.map((r) => ({ value: String(r.id), label: t("agenda.roomOption", { name: r.name, capacity: r.capacity }) }))} errors={shown.room} />
          {shown.form?.length ? (
            <p className="field-error" role="alert">
              {shown.form.map((key) => t(key as "errors.invalid")).join(" ")}
            </p>
          ) : null}
          <div>
            <button type="submit" className="button">
              {t("agenda.place")}
            </button>
          </div>
        </Form>
      ) : null}
      <ul className="unplaced-list">
        {unplaced.list.map((s) => (
          <li key={s.id} draggable onDragStart={(event) => event.dataTransfer.setData("text/plain", String(s.id))}>
            {s.trackColor !== null ? <TrackSwatch color={s.trackColor} /> : null} {s.title} <span className="muted">({t("proposal.minutes", { count: s.minutes })})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
