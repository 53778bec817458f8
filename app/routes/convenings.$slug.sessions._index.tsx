import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "../components/csrf";
import { TrackSwatch } from "../components/track-swatch";
import { readForm } from "../modules/auth/csrf.server";
import { getUser, requireUser } from "../modules/auth/session.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { listSessions, setInterest } from "../modules/proposals/sessions.server";
import { getDb } from "../platform/db.server";
import { idNumber } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { requirePublicConvening } from "../features/access/access.server";
import { loadViewer } from "../modules/registration/viewer.server";
import { canSeeEarlySessions } from "../modules/proposals/policy";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, convening] = await Promise.all([getUser(request), requirePublicConvening(params)]);
  const viewer = await loadViewer(db, user, convening.id);
  const [sessions, tracks, t] = await Promise.all([
    listSessions(db, convening.id, canSeeEarlySessions(viewer, convening), viewer.id),
    listTracks(db, convening.id),
    i18nServer.getFixedT(request),
  ]);
  return {
    title: t("sessions.title"),
    slug: convening.slug,
    signedIn: user !== null,
    canMark: viewer.participant,
    sessions,
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name, color: tr.color })),
  };
}

const markSchema = z.object({
  proposal: idNumber(),
  interested: z.enum(["yes", "no"], "errors.invalid"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const form = await readForm(request);
  return formAction(
    form,
    markSchema,
    async (v) => {
      await setInterest(getDb(), { conveningId: convening.id, personId: user.id, proposalId: v.proposal, interested: v.interested === "yes" });
      return data({ ok: true as const, message: null });
    },
    { fields: { proposal: "form", interested: "form" } },
  );
}

export default function Sessions() {
  const { slug, sessions, tracks, canMark, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const track = new Map(tracks.map((tr) => [tr.id, tr]));
  return (
    <>
      <h1>{t("sessions.heading")}</h1>
      <p>{canMark ? t("sessions.introMark") : signedIn ? t("sessions.introRegister") : t("sessions.introSignIn")}</p>
      {actionData?.ok === false ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.message as "errors.invalid")}
        </p>
      ) : null}
      {sessions.length === 0 ? (
        <p>{t("sessions.none")}</p>
      ) : (
        <ul className="cards">
          {sessions.map((s) => (
            <li key={s.id} className="card">
              <h2 className="h3">
                <Link to={`/convenings/${slug}/sessions/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="muted">
                {t(`format.${s.format}`)} · {t("proposal.minutes", { count: s.length_minutes })}
                {s.trackIds.length > 1 ? ` · ${t("sessions.crossTrack")}` : ""}
              </p>
              <p>
                {s.trackIds.map((id) => (
                  <span key={id} className="track-tag">
                    <TrackSwatch color={track.get(id)?.color ?? "#999"} /> {track.get(id)?.name}
                  </span>
                ))}
              </p>
              <p>{s.abstract}</p>
              {s.facilitators.length ? <p className="muted">{t("sessions.with", { names: s.facilitators.join(", ") })}</p> : null}
              {canMark ? (
                <Form method="post" preventScrollReset>
                  <CsrfInput />
                  <input type="hidden" name="proposal" value={s.id} />
                  <input type="hidden" name="interested" value={s.marked ? "no" : "yes"} />
                  <button type="submit" className={`button button--small ${s.marked ? "" : "button--secondary"}`} aria-pressed={s.marked}>
                    {s.marked ? t("sessions.marked") : t("sessions.mark")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
