import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CreateForm } from "../components/create-form";
import { ActionItemFields } from "../components/action-item-fields";
import { TextareaField } from "../components/field";
import { addSessionNote, createAction } from "../modules/actions/items.server";
import { actionSchema, noteSchema, ownersOf } from "../modules/actions/schema";
import { readForm } from "../modules/auth/csrf.server";
import { requireUser } from "../modules/auth/session.server";
import { dateFormat, formatDay } from "../lib/format";
import { readerLocale } from "../lib/dates";
import { valueOf, type FieldErrors } from "../lib/forms";
import { useTranslation } from "react-i18next";
import { TrackSwatch } from "../components/track-swatch";
import { getUser } from "../modules/auth/session.server";
import { loadSignedInViewer, loadViewer } from "../modules/registration/viewer.server";
import { getDb } from "../platform/db.server";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { requireParams, idParam } from "../lib/params";
import { requirePublicConvening } from "../features/access/access.server";
import { outcomeRecording, sessionPage } from "../features/sessions/session-page.server";
import { formAction } from "../lib/form-action.server";
import { createOnce } from "../platform/submissions.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, convening] = await Promise.all([getUser(request), requirePublicConvening(params)]);
  const { id } = requireParams(params, z.object({ id: idParam }));
  const page = await sessionPage(db, convening, await loadViewer(db, user, convening.id), id);
  if (!page) throw new Response("Not found", { status: 404 });
  const { session, outcomes, place } = page;
  // Day, time and room once the session is on the published agenda: in the convening's zone, in the reader's format.
  const locale = readerLocale(request.headers.get("Accept-Language"), convening.locale);
  const end = place ? new Date(Date.parse(place.startsAt) + place.minutes * 60_000).toISOString() : null;
  const time = (iso: string) => dateFormat(locale, { timeStyle: "short", timeZone: convening.time_zone }).format(new Date(iso)).replace(/[\u2009\u202F\u00A0]/g, " ");
  const when = place
    ? {
        day: dateFormat(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: convening.time_zone }).format(new Date(place.startsAt)),
        time: time(place.startsAt),
        end: time(end!),
        room: place.room,
        zone: convening.time_zone,
      }
    : null;
  return {
    ...page,
    place: when,
    title: session.title,
    slug: convening.slug,
    outcomes: outcomes ? { notes: outcomes.notes, items: outcomes.items.map((i) => ({ ...i, due: formatDay(i.due_on, convening.locale) })) } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const { id } = requireParams(params, z.object({ id: idParam }));
  // Only the session's facilitators and the convening's organizers record its outcomes.
  const viewer = await loadSignedInViewer(db, user, convening.id);
  const may = await outcomeRecording(db, convening.id, viewer, id);
  if (may === "not_found") throw new Response("Not found", { status: 404 });
  if (may === "forbidden") throw new Response("Forbidden", { status: 403 });
  const form = await readForm(request);
  const done = `/convenings/${convening.slug}/sessions/${id}?done=1#outcomes`;
  if (form.get("intent") === "note") {
    return formAction(form, noteSchema, (v) => createOnce(db, form, { personId: user.id, kind: "session-note" }, async (trx) => (await addSessionNote(trx, { proposalId: id, authorId: user.id, text: v.text }), done)), { echo: { intent: "note" } });
  }
  return formAction(
    form,
    actionSchema,
    (v) =>
      createOnce(db, form, { personId: user.id, kind: "action-create" }, async (trx) => {
        await createAction(trx, { conveningId: convening.id, proposalId: id, title: v.title, dueOn: v.dueOn, owners: ownersOf(v), visibility: v.visibility, by: viewer });
        return done;
      }),
    { echo: { intent: "action-item" } },
  );
}

export default function SessionPage() {
  const { slug, session, tracks, published, place, outcomes, outcomesHeld, owners, canRecord } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const errors = (intent: string) => (actionData?.intent === intent ? actionData.errors : {}) as FieldErrors;
  const track = new Map(tracks.map((tr) => [tr.id, tr]));
  return (
    <article className="narrow">
      <p>
        <Link to={`/convenings/${slug}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h1>{session.title}</h1>
      <p className="muted">
        {t(`format.${session.format}`)} · {t("proposal.minutes", { count: session.length_minutes })}
        {session.trackIds.length > 1 ? ` · ${t("sessions.crossTrack")}` : ""}
      </p>
      <p>
        {session.trackIds.map((id) => (
          <span key={id} className="track-tag">
            <TrackSwatch color={track.get(id)?.color ?? "#999"} /> {track.get(id)?.name}
          </span>
        ))}
      </p>
      {session.facilitators.length ? <p>{t("sessions.with", { names: session.facilitators.join(", ") })}</p> : null}
      {place ? (
        <dl className="facts session-place">
          <dt>{t("agenda15.session.when")}</dt>
          <dd>{t("agenda15.session.at", { day: place.day, time: place.time, end: place.end })}</dd>
          <dt>{t("agenda15.session.where")}</dt>
          <dd>{place.room}</dd>
        </dl>
      ) : null}
      {place ? <p className="muted">{t("agenda15.session.zone", { zone: place.zone })}</p> : null}
      <p className="lead">{session.abstract}</p>
      {published ? (
        <p>
          <a href={`/convenings/${slug}/sessions/${session.id}.ics`} download>
            {t("calendar.addSession")}
          </a>
        </p>
      ) : null}
      {session.languages.length ? <p>{t("sessions.languages", { languages: session.languages.join(", ") })}</p> : null}
      {outcomesHeld ? (
        <section aria-labelledby="outcomes" id="outcomes-section">
          <h2 id="outcomes">{t("outcomes.heading")}</h2>
          <p>{t(`vetting.outcomes.${outcomesHeld}`)}</p>
        </section>
      ) : null}
      {outcomes ? (
        <section aria-labelledby="outcomes" id="outcomes-section">
          <h2 id="outcomes">{t("outcomes.heading")}</h2>
          {params.get("done") ? (
            <p className="notice notice--ok" role="status">
              {t("outcomes.saved")}
            </p>
          ) : null}
          {outcomes.notes.length ? (
            <>
              <h3>{t("outcomes.notes")}</h3>
              <ul>
                {outcomes.notes.map((n) => (
                  <li key={n.id} className="prewrap">
                    {n.text} <span className="muted">— {n.author ?? ""}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>{t("outcomes.itemsHeading")}</h3>
          {outcomes.items.length === 0 ? <p>{t("outcomes.none")}</p> : null}
          <ul>
            {outcomes.items.map((i) => (
              <li key={i.id}>
                <strong>{i.title}</strong> · {t("actions.due", { date: i.due })} · {t(`actions.status.${i.status}`)} · {t("outcomes.owners", { owners: i.owners.join(", ") })}
                {i.visibility === "organizers" ? ` · ${t("outcomes.organizers")}` : ""}
              </li>
            ))}
          </ul>
          {canRecord && owners ? (
            <>
              <CreateForm className="form" noValidate>
                <input type="hidden" name="intent" value="note" />
                <TextareaField name="text" id="note-text" label={t("outcomes.note")} rows={3} maxLength={2000} defaultValue={actionData?.intent === "note" ? valueOf(actionData.values, "text") : undefined} errors={errors("note").text} />
                <div>
                  <button type="submit" className="button button--secondary">
                    {t("outcomes.addNote")}
                  </button>
                </div>
              </CreateForm>
              <h3>{t("outcomes.add")}</h3>
              <CreateForm className="form" noValidate>
                <input type="hidden" name="intent" value="action-item" />
                <ActionItemFields owners={owners} errors={errors("action-item")} values={actionData?.intent === "action-item" ? actionData.values : undefined} />
                <div>
                  <button type="submit" className="button">
                    {t("outcomes.save")}
                  </button>
                </div>
              </CreateForm>
            </>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}
