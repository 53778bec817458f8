// A suggested schedule, asked for and run off the request path: progress while the scheduler
// searches (the page refreshes itself without JavaScript and polls a small JSON resource with it),
// stop early, then the moves against the published version and the figures before and after,
// to accept or discard.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { SuggestForm } from "../components/agenda/suggest-form";
import { requireConveningOrganizer } from "../features/access/access.server";
import { suggestionPage } from "../features/agenda/suggestion-page.server";
import type { PlaceView, SuggestionProgressView, SuggestionView } from "../features/agenda/suggestion-page";
import { formAction, invalid } from "../lib/form-action.server";
import type { FieldErrors } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import type { Score } from "../modules/agenda/instance";
import { suggestionRefSchema, suggestSchema } from "../modules/agenda/schema";
import { acceptSuggestion, discardSuggestion, startSuggestion, stopSuggestion } from "../modules/agenda/suggestions.server";
import { readForm } from "../modules/auth/csrf.server";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";

export const meta = titleMeta;

/** Seconds between two looks at a running suggestion, with or without JavaScript. */
const REFRESH_SECONDS = 2;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const asked = new URL(request.url).searchParams.get("job");
  const jobId = asked && /^\d{1,12}$/.test(asked) ? Number(asked) : null;
  const [page, t] = await Promise.all([suggestionPage(getDb(), convening, jobId), i18nServer.getFixedT(request)]);
  if (asked !== null && !page.job) throw new Response(t("suggest15.notFound"), { status: 404 });
  return { title: t("suggest15.title", { convening: convening.title }), ...page };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  const base = { conveningId: convening.id, organizerId: user.id };
  const options = { echo: { intent } };
  const page = (job: number) => redirect(`/organize/${convening.slug}/agenda/suggest?job=${job}`);
  switch (intent) {
    case "start":
      return formAction(form, suggestSchema, async (v) => page((await startSuggestion(db, { ...base, keep: v.mode === "keep", fairness: v.fairness, timeLimitMs: v.seconds * 1000 })).id), options);
    case "stop":
      return formAction(form, suggestionRefSchema, async (v) => (await stopSuggestion(db, { ...base, jobId: v.job }), page(v.job)), options);
    case "accept":
      return formAction(form, suggestionRefSchema, async (v) => (await acceptSuggestion(db, { ...base, jobId: v.job }), page(v.job)), options);
    case "discard":
      return formAction(form, suggestionRefSchema, async (v) => (await discardSuggestion(db, { ...base, jobId: v.job }), page(v.job)), options);
    default:
      return invalid({ form: ["errors.invalid"] }, form, options);
  }
}

function FiguresTable({ caption, columns }: { caption: string; columns: Array<{ label: string; score: Score }> }) {
  const { t } = useTranslation();
  const rows = [
    ["hardViolations", t("agenda.figure.hard")],
    ["attendeeClashes", t("agenda.figure.clashes")],
    ["overflow", t("agenda.figure.overflow")],
    ["sameTrackOverlaps", t("agenda.figure.sameTrack")],
  ] as const;
  return (
    <table className="figures">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <td />
          {columns.map((c) => (
            <th key={c.label} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, label]) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            {columns.map((c) => (
              <td key={c.label}>{c.score[key]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Place({ place, none }: { place: PlaceView | null; none: string }) {
  const { t } = useTranslation();
  return <>{place ? t("suggest15.place", { time: place.time, room: place.room }) : none}</>;
}

/** While the scheduler searches: time spent and left, the best figures so far, and the stop button. */
function Running({ job, live }: { job: SuggestionView; live: SuggestionProgressView }) {
  const { t } = useTranslation();
  const { slug } = useLoaderData<typeof loader>().convening;
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t(live.status === "queued" ? "suggest15.queued" : "suggest15.running")}</h2>
      <p role="status" data-testid="suggestion-progress">
        {live.status === "queued" ? t("suggest15.waiting") : t("suggest15.progress", { elapsed: live.elapsedSeconds, limit: live.limitSeconds, left: live.secondsLeft })}
        {live.stopRequested ? ` ${t("suggest15.stopping")}` : ""}
      </p>
      {live.best ? <FiguresTable caption={t("suggest15.bestSoFar")} columns={[...(live.before ? [{ label: t("suggest15.now"), score: live.before }] : []), { label: t("suggest15.best"), score: live.best }]} /> : <p>{t("suggest15.noBestYet")}</p>}
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="job" value={job.id} />
        <button type="submit" name="intent" value="stop" className="button" disabled={live.stopRequested}>
          {t("suggest15.stop")}
        </button>
      </Form>
      <p>
        <Link to={`/organize/${slug}/agenda/suggest?job=${job.id}`} reloadDocument>
          {t("suggest15.refresh")}
        </Link>
      </p>
    </section>
  );
}

/** A finished suggestion: figures before and after, the moves, and what to do with it. */
function Finished({ job }: { job: SuggestionView }) {
  const { t } = useTranslation();
  const { publishedNumber } = useLoaderData<typeof loader>();
  const decided = job.status === "accepted" || job.status === "discarded";
  return (
    <>
      {job.before && job.after ? <FiguresTable caption={t("suggest15.figures")} columns={[{ label: t("suggest15.now"), score: job.before }, { label: t("suggest15.suggested"), score: job.after }]} /> : null}
      <section aria-labelledby="moves-heading">
        <h2 id="moves-heading">{t("suggest15.movesHeading", { count: job.moves.length })}</h2>
        <p>{job.basis === "published" ? t("suggest15.basisPublished", { number: publishedNumber ?? 0 }) : t("suggest15.basisWorking")}</p>
        {job.moves.length ? (
          <div className="table-wrap">
            <table className="moves">
              <caption className="visually-hidden">{t("suggest15.movesHeading", { count: job.moves.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("suggest15.session")}</th>
                  <th scope="col">{t("suggest15.from")}</th>
                  <th scope="col">{t("suggest15.to")}</th>
                </tr>
              </thead>
              <tbody>
                {job.moves.map((m) => (
                  <tr key={m.proposalId}>
                    <th scope="row">{m.title}</th>
                    <td>
                      <Place place={m.from} none={t("suggest15.newlyPlaced")} />
                    </td>
                    <td>
                      <Place place={m.to} none={t("suggest15.offTheAgenda")} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t("suggest15.noMoves")}</p>
        )}
        {job.unplaced.length ? (
          <ul>
            {job.unplaced.map((u) => (
              <li key={u.title}>{t("agenda.cannotPlace", { title: u.title, reason: u.reason })}</li>
            ))}
          </ul>
        ) : null}
      </section>
      {job.stale && !decided ? <p className="notice notice--error">{t("suggest15.stale")}</p> : null}
      {!decided && !job.stale ? (
        <div className="actions">
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="job" value={job.id} />
            <button type="submit" name="intent" value="accept" className="button">
              {t("suggest15.accept")}
            </button>
          </Form>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="job" value={job.id} />
            <button type="submit" name="intent" value="discard" className="button button--secondary">
              {t("suggest15.discard")}
            </button>
          </Form>
        </div>
      ) : null}
    </>
  );
}

/** With JavaScript, a running suggestion's progress comes from the JSON resource; the page reloads its data when it ends. */
function useLiveProgress(job: SuggestionView | null, slug: string): SuggestionProgressView | null {
  const [live, setLive] = useState<SuggestionProgressView | null>(job);
  const revalidator = useRevalidator();
  const active = job?.status === "queued" || job?.status === "running";
  useEffect(() => setLive(job), [job]);
  useEffect(() => {
    if (!active || !job) return;
    let cancelled = false;
    const timer = setInterval(() => {
      // A look that fails (the server restarting) is simply tried again at the next tick.
      fetch(`/organize/${slug}/agenda/suggest.json?job=${job.id}`, { headers: { accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<SuggestionProgressView>) : null))
        .then((next) => {
          if (!next || cancelled) return;
          setLive(next);
          if (next.status !== "queued" && next.status !== "running") revalidator.revalidate();
        })
        .catch(() => {});
    }, REFRESH_SECONDS * 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // The revalidator changes on every render; the polling depends on the job alone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, job?.id, slug]);
  return live;
}

export default function SuggestionPage() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const { job, convening } = page;
  const live = useLiveProgress(job, convening.slug);
  const errors: FieldErrors = answer && !answer.ok && answer.intent === "start" ? answer.errors : {};
  const running = job && live && (live.status === "queued" || live.status === "running");
  const finishedStatus = live?.status ?? job?.status;
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/agenda`}>{t("suggest15.back")}</Link>
      </p>
      <h1>{t("suggest15.heading")}</h1>
      {running ? (
        // Without JavaScript the page looks again by itself.
        <noscript>
          <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />
        </noscript>
      ) : null}
      {answer && !answer.ok ? (
        <p className="notice notice--error" role="alert">
          {t(answer.message as "errors.invalid")}
          {answer.message === "suggest15.errors.running" && answer.detail ? (
            <>
              {" "}
              <Link to={`/organize/${convening.slug}/agenda/suggest?job=${answer.detail}`}>{t("suggest15.seeRunning")}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {job ? (
        <>
          <p>
            {t("suggest15.asked", { at: job.createdAt })} {job.keep ? t("suggest15.keepChosen") : t("suggest15.freshChosen")} {job.fairness ? t("suggest15.fairChosen") : ""}
          </p>
          {!running && finishedStatus ? (
            <p className={`notice ${finishedStatus === "failed" ? "notice--error" : "notice--ok"}`} role="status">
              {finishedStatus === "failed" && job.error !== "interrupted" ? t("suggest15.status.failedBecause", { error: job.error ?? "" }) : t(`suggest15.status.${finishedStatus === "failed" ? "interrupted" : finishedStatus}`)}
              {finishedStatus === "accepted" ? (
                <>
                  {" "}
                  <Link to={`/organize/${convening.slug}/agenda#grid-heading`}>{t("suggest15.seeGrid")}</Link>
                </>
              ) : null}
            </p>
          ) : null}
          {running ? <Running job={job} live={live} /> : job.status === "queued" || job.status === "running" ? null : <Finished job={job} />}
        </>
      ) : (
        <p>{t("suggest15.none")}</p>
      )}
      {!running ? (
        <section aria-labelledby="start-heading">
          <h2 id="start-heading">{t(job ? "suggest15.startAgain" : "suggest15.start")}</h2>
          <SuggestForm action={`/organize/${convening.slug}/agenda/suggest`} keepByDefault={page.keepByDefault} errors={errors} />
        </section>
      ) : null}
    </>
  );
}
