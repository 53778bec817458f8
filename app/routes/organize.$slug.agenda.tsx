import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FIXED_KINDS, ROOM_FEATURES } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, ChoiceGroup, Field, SelectField, TextareaField } from "../components/field";
import { TrackSwatch } from "../components/track-swatch";
import { readForm } from "../modules/auth/csrf.server";
import { acceptSuggestion, discardSuggestion, evaluateAgenda, latestSuggestion, placeSession, setPinned, suggestSchedule, unplaceSession } from "../modules/agenda/placements.server";
import { publishAgenda } from "../modules/agenda/publish.server";
import { listVersions } from "../modules/agenda/published.server";
import { acceptSchema, fixedItemSchema, placeSchema, proposalRefSchema, publishSchema, removeSchema, roomSchema, slotSchema, suggestSchema } from "../modules/agenda/schema";
import { addFixedItem, addRoom, addSlot, listFixedItems, listRooms, listSlots, removeSetupItem } from "../modules/agenda/setup.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatDay, formatInstant } from "../lib/format";
import { type FieldErrors } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";
import { placeableSessions } from "../modules/agenda/placements.server";

export const meta = titleMeta;

function days(startsOn: string, endsOn: string): string[] {
  const list: string[] = [];
  for (let d = new Date(`${startsOn}T12:00:00Z`); d.toISOString().slice(0, 10) <= endsOn; d.setUTCDate(d.getUTCDate() + 1)) list.push(d.toISOString().slice(0, 10));
  return list;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const [rooms, slots, fixed, tracks, { evaluation, placements }, suggestion, versions, sessions, t] = await Promise.all([
    listRooms(db, convening.id),
    listSlots(db, convening.id),
    listFixedItems(db, convening.id),
    listTracks(db, convening.id),
    evaluateAgenda(db, convening.id),
    latestSuggestion(db, convening.id),
    listVersions(db, convening.id),
    placeableSessions(db, convening.id),
    i18nServer.getFixedT(request),
  ]);
  const zone = convening.time_zone;
  const slotLabel = (iso: string) => formatInstant(iso, zone, convening.locale);
  return {
    title: t("agenda.organizeTitle", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title, zone, days: days(convening.starts_on, convening.ends_on).map((d) => ({ value: d, label: formatDay(d, convening.locale, { weekday: "long", day: "numeric", month: "long" }) })) },
    rooms,
    slots: slots.map((s) => ({ ...s, label: slotLabel(s.starts_at), day: new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date(s.starts_at)) })),
    fixed,
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })),
    placements,
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, track: s.primary_track_id, minutes: s.length_minutes, status: s.status, needs: JSON.parse(s.needs) as string[] })),
    evaluation,
    suggestion,
    versions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  const base = { conveningId: convening.id, organizerId: user.id };
  const options = { echo: { intent }, summary: "errors.fixBelow" };
  const ok = (message: string, extra: { number?: number; mailed?: number } = {}) => data({ intent, ok: true as const, message, errors: {} as FieldErrors, detail: null, ...extra });
  /** Parses this intent's form, makes its one change, and answers with what the organizer is told. */
  const answer = <S extends z.ZodType>(schema: S, change: (value: z.output<S>) => Promise<unknown>, message: string) => formAction(form, schema, async (v) => (await change(v), ok(message)), options);
  switch (intent) {
    case "add-room":
      return answer(roomSchema, (v) => addRoom(db, { ...base, ...v }), "agenda.done.room");
    case "add-slot":
      return answer(slotSchema, (v) => addSlot(db, { ...base, ...v }), "agenda.done.slot");
    case "add-fixed":
      return answer(fixedItemSchema, (v) => addFixedItem(db, { ...base, slotId: v.slot, roomId: v.room ?? null, title: v.title, kind: v.kind }), "agenda.done.fixed");
    case "remove":
      return answer(removeSchema, (v) => removeSetupItem(db, { ...base, kind: v.kind, id: v.id }), "agenda.done.removed");
    case "place":
      return answer(placeSchema, (v) => placeSession(db, { ...base, proposalId: v.proposal, slotId: v.slot, roomId: v.room }), "agenda.done.placed");
    case "unplace":
      return answer(proposalRefSchema, (v) => unplaceSession(db, { ...base, proposalId: v.proposal }), "agenda.done.unplace");
    case "pin":
    case "unpin":
      return answer(proposalRefSchema, (v) => setPinned(db, { ...base, proposalId: v.proposal, pinned: intent === "pin" }), `agenda.done.${intent}`);
    case "suggest":
      return answer(suggestSchema, (v) => suggestSchedule(db, { ...base, fairness: v.fairness }), "agenda.done.suggested");
    case "accept-suggestion":
      return answer(acceptSchema, (v) => acceptSuggestion(db, { ...base, suggestionId: v.suggestion }), "agenda.done.accepted");
    case "discard-suggestion":
      return answer(z.object({}), () => discardSuggestion(db, convening.id), "agenda.done.discarded");
    case "publish":
      return formAction(form, publishSchema, async (v) => {
        const result = await publishAgenda(db, { ...base, note: v.note ?? "" });
        return ok("agenda.done.published", { number: result.number, mailed: result.mailed });
      }, options);
    default:
      return invalid({ form: ["errors.invalid"] }, form, options);
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function Figures({ score, label }: { score: { attendeeClashes: number; overflow: number; sameTrackOverlaps: number; hardViolations: number }; label: string }) {
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

/** A placed session in the grid: draggable where JavaScript runs, with plain forms to unplace or pin. */
function PlacedSession({ session, pinned, flagged, track }: { session: LoaderData["sessions"][number]; pinned: boolean; flagged: boolean; track?: { color: string; name: string } }) {
  const { t } = useTranslation();
  return (
    <div
      className={`placed${flagged ? " placed--hard" : ""}`}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", String(session.id));
        event.dataTransfer.effectAllowed = "move";
      }}
    >
      <p className="placed__title">
        {track ? <TrackSwatch color={track.color} /> : null} {session.title}
      </p>
      <p className="muted">
        {t("proposal.minutes", { count: session.minutes })}
        {pinned ? ` · ${t("agenda.pinned")}` : ""}
        {flagged ? ` · ${t("agenda.hardConflict")}` : ""}
      </p>
      <div className="actions">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="proposal" value={session.id} />
          <button type="submit" name="intent" value={pinned ? "unpin" : "pin"} className="link-button">
            {pinned ? t("agenda.unpin") : t("agenda.pin")}
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="proposal" value={session.id} />
          <button type="submit" name="intent" value="unplace" className="link-button">
            {t("agenda.unplace")}
          </button>
        </Form>
      </div>
    </div>
  );
}

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

function Cell({ slotId, roomId, children }: { slotId: number; roomId: number; children: React.ReactNode }) {
  const fetcher = useFetcher();
  return (
    <td
      className="cell"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        const proposal = event.dataTransfer.getData("text/plain");
        const csrf = (document.querySelector('input[name="csrf"]') as HTMLInputElement | null)?.value ?? "";
        if (proposal) fetcher.submit({ intent: "place", proposal, slot: String(slotId), room: String(roomId), csrf }, { method: "post" });
      }}
    >
      {children}
    </td>
  );
}

export default function OrganizerAgenda() {
  const { convening, rooms, slots, fixed, tracks, placements, sessions, evaluation, suggestion, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const track = new Map(tracks.map((tr) => [tr.id, tr]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const titleOf = (id: string | number) => (typeof id === "number" ? (sessionById.get(id)?.title ?? String(id)) : (fixed.find((f) => `fixed-${f.id}` === id)?.title ?? id));
  const slotLabel = (id: string | number) => slots.find((s) => s.id === id)?.label ?? String(id);
  const roomName = (id: string | number) => rooms.find((r) => r.id === id)?.name ?? String(id);
  const placedAt = new Map(placements.map((p) => [`${p.slot_id}/${p.room_id}`, [...placements.filter((q) => q.slot_id === p.slot_id && q.room_id === p.room_id)]]));
  const hardSessions = new Set<string>();
  for (const h of evaluation.hard) {
    if ("sessions" in h) h.sessions.forEach((s) => hardSessions.add(String(s)));
    if ("session" in h) hardSessions.add(String(h.session));
  }
  const unplaced = sessions.filter((s) => !placements.some((p) => p.proposal_id === s.id));
  const errors = actionData?.errors ?? {};
  const errorsFor = (intent: string) => (actionData?.intent === intent ? errors : {});
  const slotsByDay = convening.days.map((d) => ({ ...d, slots: slots.filter((s) => s.day === d.value) }));
  const slotOptions = slots.map((s) => ({ value: String(s.id), label: s.label }));
  const roomOptions = rooms.map((r) => ({ value: String(r.id), label: t("agenda.roomOption", { name: r.name, capacity: r.capacity }) }));

  return (
    <>
      <h1>{t("agenda.organizeHeading", { convening: convening.title })}</h1>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--ok" : "notice--error"}`} role={actionData.ok ? "status" : "alert"}>
          {t(actionData.message as "errors.invalid", {
            number: "number" in actionData ? actionData.number : 0,
            count: "mailed" in actionData ? Number(actionData.mailed) : 0,
            detail: "detail" in actionData ? actionData.detail : "",
          })}
        </p>
      ) : null}

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">{t("agenda.figures")}</h2>
        <div className="breakdown">
          <Figures score={evaluation.score} label={t("agenda.current")} />
          {suggestion ? <Figures score={suggestion.score} label={suggestion.fairness ? t("agenda.suggestionFair") : t("agenda.suggestion")} /> : null}
          <table className="figures">
            <caption>{t("agenda.clashesByGroup")}</caption>
            <tbody>
              {Object.entries(evaluation.clashesByGroup).map(([group, count]) => (
                <tr key={group}>
                  <th scope="row">{group === "unknown" ? t("organizeRegistrations.notGiven") : t(`constituency.${group as "other"}`)}</th>
                  <td>{count}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t("agenda.lostSessions")}</th>
                <td>{evaluation.lostSessions}</td>
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
        {suggestion?.unplaced.length ? (
          <ul>
            {suggestion.unplaced.map((u) => (
              <li key={u.proposalId}>{t("agenda.cannotPlace", { title: titleOf(u.proposalId), reason: u.reason })}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="grid-heading">
        <h2 id="grid-heading">{t("agenda.grid")}</h2>
        <p className="hint">{t("agenda.gridHint", { zone: convening.zone })}</p>
        {slotsByDay
          .filter((d) => d.slots.length)
          .map((day) => (
            <div key={day.value} className="table-wrap">
              <table className="grid">
                <caption>{day.label}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("agenda.time")}</th>
                    {rooms.map((r) => (
                      <th scope="col" key={r.id}>
                        {r.name} <span className="muted">({r.capacity})</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {day.slots.map((slot) => {
                    const whole = fixed.find((f) => f.slot_id === slot.id && f.room_id === null);
                    return (
                      <tr key={slot.id}>
                        <th scope="row">
                          {slot.label}
                          <div className="muted">{t("proposal.minutes", { count: slot.minutes })}</div>
                        </th>
                        {whole ? (
                          <td colSpan={Math.max(1, rooms.length)} className="fixed">
                            {whole.title}
                          </td>
                        ) : (
                          rooms.map((room) => {
                            const here = placedAt.get(`${slot.id}/${room.id}`) ?? [];
                            const item = fixed.find((f) => f.slot_id === slot.id && f.room_id === room.id);
                            return (
                              <Cell key={room.id} slotId={slot.id} roomId={room.id}>
                                {item ? <p className="fixed">{item.title}</p> : null}
                                {here.map((p) => {
                                  const session = sessionById.get(p.proposal_id);
                                  return session ? <PlacedSession key={p.proposal_id} session={session} pinned={p.pinned === 1} flagged={hardSessions.has(String(p.proposal_id))} track={track.get(session.track)} /> : null;
                                })}
                              </Cell>
                            );
                          })
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ))}
      </section>

      <section aria-labelledby="unplaced-heading">
        <h2 id="unplaced-heading">{t("agenda.unplaced", { count: unplaced.length })}</h2>
        {slots.length && rooms.length ? (
          <Form method="post" className="filters-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="place" />
            <SelectField name="proposal" label={t("agenda.session")} options={sessions.map((s) => ({ value: String(s.id), label: s.title }))} errors={errorsFor("place").proposal} />
            <SelectField name="slot" label={t("agenda.slot")} options={slotOptions} errors={errorsFor("place").slot} />
            <SelectField name="room" label={t("agenda.room")} options={roomOptions} errors={errorsFor("place").room} />
            <div>
              <button type="submit" className="button">
                {t("agenda.place")}
              </button>
            </div>
          </Form>
        ) : null}
        <ul className="unplaced-list">
          {unplaced.map((s) => (
            <li key={s.id}
              draggable
              onDragStart={(event) => event.dataTransfer.setData("text/plain", String(s.id))}
            >
              {track.get(s.track) ? <TrackSwatch color={track.get(s.track)!.color} /> : null} {s.title} <span className="muted">({t("proposal.minutes", { count: s.minutes })})</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="conflicts-heading">
        <h2 id="conflicts-heading">{t("agenda.conflicts")}</h2>
        {evaluation.hard.length === 0 && evaluation.soft.length === 0 ? <p>{t("agenda.noConflicts")}</p> : null}
        <ul className="conflicts">
          {evaluation.hard.map((h, i) => (
            <li key={`h${i}`} className="conflict conflict--hard">
              {h.kind === "room_double_booked"
                ? t("agenda.conflict.room", { room: roomName(h.room), slot: slotLabel(h.slot), sessions: h.sessions.map(titleOf).join(", ") })
                : h.kind === "facilitator_double_booked"
                  ? t("agenda.conflict.facilitator", { slot: slotLabel(h.slot), sessions: h.sessions.map(titleOf).join(", ") })
                  : h.kind === "facilitator_unavailable"
                    ? t("agenda.conflict.unavailable", { slot: slotLabel(h.slot), session: titleOf(h.session) })
                    : h.kind === "missing_feature"
                      ? t("agenda.conflict.feature", { session: titleOf(h.session), room: roomName(h.room), features: h.features.map((f) => t(`need.${f as "projector"}`)).join(", ") })
                      : t("agenda.conflict.tooLong", { session: titleOf(h.session), minutes: h.minutes, slotMinutes: h.slotMinutes })}
            </li>
          ))}
          {evaluation.soft.slice(0, 60).map((s, i) => (
            <li key={`s${i}`} className="conflict conflict--soft">
              {s.kind === "over_capacity"
                ? t("agenda.conflict.capacity", { session: titleOf(s.session), room: roomName(s.room), interest: s.interest, capacity: s.capacity })
                : s.kind === "same_track"
                  ? t("agenda.conflict.sameTrack", { slot: slotLabel(s.slot), track: track.get(Number(s.track))?.name ?? "", sessions: s.sessions.map(titleOf).join(", ") })
                  : t("agenda.conflict.clash", { count: s.people, slot: slotLabel(s.slot), a: titleOf(s.sessions[0]), b: titleOf(s.sessions[1]) })}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="publish-heading" className="cta">
        <h2 id="publish-heading">{t("agenda.publish")}</h2>
        <Form method="post" className="form">
          <CsrfInput />
          <TextareaField name="note" label={t("agenda.note")} hint={t("agenda.noteHint")} maxLength={500} errors={errorsFor("publish").note} />
          <div>
            <button type="submit" name="intent" value="publish" className="button">
              {t("agenda.publishButton", { number: (versions[0]?.number ?? 0) + 1 })}
            </button>
          </div>
        </Form>
        {versions.length ? (
          <p>
            {t("agenda.downloads")}: <a href={`/organize/${convening.slug}/agenda.csv`}>{t("agenda.csv")}</a> ·{" "}
            <a href={`/convenings/${convening.slug}/agenda`}>{t("agenda.printable")}</a> · <a href={`/convenings/${convening.slug}/agenda.ics`}>{t("agenda.feeds")}</a> ·{" "}
            <a href={`/convenings/${convening.slug}/schedule.xml`}>schedule.xml</a> · <a href={`/convenings/${convening.slug}/schedule.json`}>schedule.json</a>
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

      <section aria-labelledby="setup-heading">
        <h2 id="setup-heading">{t("agenda.setup")}</h2>
        <div className="breakdown">
          <div>
            <h3>{t("agenda.rooms")}</h3>
            <ul>
              {rooms.map((r) => (
                <li key={r.id}>
                  {t("agenda.roomOption", { name: r.name, capacity: r.capacity })}
                  {r.features.length ? ` · ${r.features.map((f) => t(`need.${f}`)).join(", ")}` : ""}
                  <RemoveForm kind="room" id={r.id} label={t("cfpSettings.remove", { name: r.name })} />
                </li>
              ))}
            </ul>
            <Form method="post" className="form" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="add-room" />
              <Field name="name" label={t("agenda.roomName")} maxLength={80} errors={errorsFor("add-room").name} />
              <Field name="capacity" type="number" min={0} label={t("agenda.capacity")} errors={errorsFor("add-room").capacity} />
              <ChoiceGroup name="features" type="checkbox" legend={t("agenda.features")} selected={[]} options={ROOM_FEATURES.map((f) => ({ value: f, label: t(`need.${f}`) }))} />
              <div>
                <button type="submit" className="button button--secondary">
                  {t("agenda.addRoom")}
                </button>
              </div>
            </Form>
          </div>
          <div>
            <h3>{t("agenda.slots")}</h3>
            <ul>
              {slots.map((s) => (
                <li key={s.id}>
                  {s.label} · {t("proposal.minutes", { count: s.minutes })}
                  <RemoveForm kind="slot" id={s.id} label={t("cfpSettings.remove", { name: s.label })} />
                </li>
              ))}
            </ul>
            <Form method="post" className="form" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="add-slot" />
              <SelectField name="date" label={t("agenda.day")} options={convening.days} errors={errorsFor("add-slot").date} />
              <Field name="time" type="time" label={t("agenda.startTime")} errors={errorsFor("add-slot").time} />
              <Field name="minutes" type="number" min={10} max={600} label={t("agenda.length")} defaultValue="90" errors={errorsFor("add-slot").minutes} />
              <div>
                <button type="submit" className="button button--secondary">
                  {t("agenda.addSlot")}
                </button>
              </div>
            </Form>
          </div>
          <div>
            <h3>{t("agenda.fixedItems")}</h3>
            <ul>
              {fixed.map((f) => (
                <li key={f.id}>
                  {f.title} · {slotLabel(f.slot_id)} · {f.room_id ? roomName(f.room_id) : t("agenda.wholeVenue")}
                  <RemoveForm kind="fixed" id={f.id} label={t("cfpSettings.remove", { name: f.title })} />
                </li>
              ))}
            </ul>
            {slots.length ? (
              <Form method="post" className="form" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="add-fixed" />
                <Field name="title" label={t("agenda.fixedTitle")} maxLength={120} errors={errorsFor("add-fixed").title} />
                <SelectField name="kind" label={t("agenda.fixedKind")} options={FIXED_KINDS.map((k) => ({ value: k, label: t(`agenda.kind.${k}`) }))} />
                <SelectField name="slot" id="fixed-slot" label={t("agenda.slot")} options={slotOptions} errors={errorsFor("add-fixed").slot} />
                <SelectField name="room" id="fixed-room" label={t("agenda.room")} options={[{ value: "", label: t("agenda.wholeVenue") }, ...roomOptions]} errors={errorsFor("add-fixed").room} />
                <div>
                  <button type="submit" className="button button--secondary">
                    {t("agenda.addFixed")}
                  </button>
                </div>
              </Form>
            ) : null}
          </div>
        </div>
      </section>
    </>
  );
}
