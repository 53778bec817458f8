import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FIXED_KINDS, ROOM_FEATURES } from "../../../db/schema";
import type { AgendaChoices, SetupView } from "../../features/agenda/agenda-page";
import type { FieldErrors } from "../../lib/forms";
import { CsrfInput } from "../csrf";
import { CreateForm } from "../create-form";
import { ChoiceGroup, Field, SelectField } from "../field";

function RemoveForm({ kind, id, label }: { kind: "room" | "slot" | "fixed"; id: number; label: string }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value="remove" className="link-button">
        {label}
      </button>
    </Form>
  );
}

/** The field errors of each of the setup's forms. */
export interface SetupErrors {
  room: FieldErrors;
  slot: FieldErrors;
  fixed: FieldErrors;
}

/** The venue's rooms, the slots of the days, and the fixed items (plenaries, breaks, meals): each listed with a form to add one. */
export function SetupSection({ setup, choices, errors }: { setup: SetupView; choices: AgendaChoices; errors: SetupErrors }) {
  const { t } = useTranslation();
  const roomOptions = choices.rooms.map((r) => ({ value: String(r.id), label: t("agenda.roomOption", { name: r.name, capacity: r.capacity }) }));
  return (
    <section aria-labelledby="setup-heading">
      <h2 id="setup-heading">{t("agenda.setup")}</h2>
      <div className="breakdown">
        <div>
          <h3>{t("agenda.rooms")}</h3>
          <ul>
            {setup.rooms.map((r) => (
              <li key={r.id}>
                {t("agenda.roomOption", { name: r.name, capacity: r.capacity })}
                {r.features.length ? ` · ${r.features.map((f) => t(`need.${f}`)).join(", ")}` : ""}
                <RemoveForm kind="room" id={r.id} label={t("cfpSettings.remove", { name: r.name })} />
              </li>
            ))}
          </ul>
          <CreateForm className="form" noValidate>
            <input type="hidden" name="intent" value="add-room" />
            <Field name="name" label={t("agenda.roomName")} maxLength={80} errors={errors.room.name} />
            <Field name="capacity" type="number" min={0} label={t("agenda.capacity")} errors={errors.room.capacity} />
            <ChoiceGroup name="features" type="checkbox" legend={t("agenda.features")} selected={[]} options={ROOM_FEATURES.map((f) => ({ value: f, label: t(`need.${f}`) }))} />
            <div>
              <button type="submit" className="button button--secondary">
                {t("agenda.addRoom")}
              </button>
            </div>
          </CreateForm>
        </div>
        <div>
          <h3>{t("agenda.slots")}</h3>
          <ul>
            {setup.slots.map((s) => (
              <li key={s.id}>
                {s.label} · {t("proposal.minutes", { count: s.minutes })}
                <RemoveForm kind="slot" id={s.id} label={t("cfpSettings.remove", { name: s.label })} />
              </li>
            ))}
          </ul>
          <CreateForm className="form" noValidate>
            <input type="hidden" name="intent" value="add-slot" />
            <SelectField name="date" label={t("agenda.day")} options={setup.days} errors={errors.slot.date} />
            <Field name="time" type="time" label={t("agenda.startTime")} errors={errors.slot.time} />
            <Field name="minutes" type="number" min={10} max={600} label={t("agenda.length")} defaultValue="90" errors={errors.slot.minutes} />
            <div>
              <button type="submit" className="button button--secondary">
                {t("agenda.addSlot")}
              </button>
            </div>
          </CreateForm>
        </div>
        <div>
          <h3>{t("agenda.fixedItems")}</h3>
          <ul>
            {setup.fixed.map((f) => (
              <li key={f.id}>
                {f.title} · {f.slot} · {f.room !== null ? f.room : t("agenda.wholeVenue")}
                <RemoveForm kind="fixed" id={f.id} label={t("cfpSettings.remove", { name: f.title })} />
              </li>
            ))}
          </ul>
          {choices.slots.length ? (
            <CreateForm className="form" noValidate>
              <input type="hidden" name="intent" value="add-fixed" />
              <Field name="title" label={t("agenda.fixedTitle")} maxLength={120} errors={errors.fixed.title} />
              <SelectField name="kind" label={t("agenda.fixedKind")} options={FIXED_KINDS.map((k) => ({ value: k, label: t(`agenda.kind.${k}`) }))} />
              <SelectField name="slot" id="fixed-slot" label={t("agenda.slot")} options={choices.slots} errors={errors.fixed.slot} />
              <SelectField name="room" id="fixed-room" label={t("agenda.room")} options={[{ value: "", label: t("agenda.wholeVenue") }, ...roomOptions]} errors={errors.fixed.room} />
              <div>
                <button type="submit" className="button button--secondary">
                  {t("agenda.addFixed")}
                </button>
              </div>
            </CreateForm>
          ) : null}
        </div>
      </div>
    </section>
  );
}
