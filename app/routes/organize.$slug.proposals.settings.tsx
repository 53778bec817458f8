import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { SESSION_FORMATS } from "../../db/schema";
import { CsrfInput } from "../components/csrf";
import { CheckboxField, ChoiceGroup, Field, SelectField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction, invalid } from "../lib/form-action.server";
import { createOnce } from "../platform/submissions.server";
import { CreateForm } from "../components/create-form";
import { offeredFormats, offeredLengths } from "../modules/proposals/authoring.server";
import { listCriteria } from "../modules/proposals/review.server";
import { cfpSettingsSchema, criterionSchema, PROPOSAL_LIMITS, reviewerSchema } from "../modules/proposals/schema";
import { addCriterion, assignReviewer, listReviewers, removeCriterion, removeReviewer, updateCfpSettings } from "../modules/proposals/settings.server";
import { getDb } from "../platform/db.server";
import { toLocalInput } from "../lib/format";
import { idNumber, valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { fromLocalInput } from "../lib/zoned.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const db = getDb();
  const [tracks, criteria, reviewers, t] = await Promise.all([listTracks(db, convening.id), listCriteria(db, convening.id), listReviewers(db, convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("cfpSettings.title"),
    convening: {
      slug: convening.slug,
      title: convening.title,
      timeZone: convening.time_zone,
      opensAt: toLocalInput(convening.cfp_opens_at, convening.time_zone),
      closesAt: toLocalInput(convening.cfp_closes_at, convening.time_zone),
      formats: offeredFormats(convening),
      lengths: offeredLengths(convening),
      reviewAnonymous: convening.reviewAnonymous,
      interestOpen: convening.interestOpen,
    },
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
    criteria,
    reviewers,
  };
}

const idSchema = z.object({ id: idNumber() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  // A track refused is shown by the reviewer's track field; a hidden id refused, for the whole form.
  const options = { echo: { intent }, fields: { primaryTrack: "track", id: "form" } };
  const done = (what: string) => redirect(`/organize/${convening.slug}/proposals/settings?done=${what}`);
  const here = (what: string) => `/organize/${convening.slug}/proposals/settings?done=${what}`;
  const by = { conveningId: convening.id, organizerId: user.id };
  switch (intent) {
    case "settings":
      return formAction(
        form,
        cfpSettingsSchema,
        async (v) => {
          await updateCfpSettings(db, {
            ...by,
            opensAt: v.opensAt ? fromLocalInput(v.opensAt, convening.time_zone) : null,
            closesAt: v.closesAt ? fromLocalInput(v.closesAt, convening.time_zone) : null,
            formats: v.formats,
            lengths: v.lengths,
            reviewAnonymous: v.reviewAnonymous,
            interestOpen: v.interestOpen,
          });
          return done("settings");
        },
        options,
      );
    case "add-criterion":
      return formAction(form, criterionSchema, (v) => createOnce(db, form, { personId: user.id, kind: "criterion" }, async (trx) => (await addCriterion(trx, { ...by, name: v.name, description: v.description ?? null, weight: v.weight }), here("criterion"))), options);
    case "remove-criterion":
      return formAction(form, idSchema, async (v) => (await removeCriterion(db, { ...by, criterionId: v.id }), done("criterion")), options);
    case "add-reviewer":
      return formAction(form, reviewerSchema, (v) => createOnce(db, form, { personId: user.id, kind: "reviewer" }, async (trx) => (await assignReviewer(trx, { ...by, email: v.email, trackId: v.track }), here("reviewer"))), options);
    case "remove-reviewer":
      return formAction(form, idSchema, async (v) => (await removeReviewer(db, { ...by, roleId: v.id }), done("reviewer")), options);
    default:
      return invalid({ form: ["errors.invalid"] }, form, options);
  }
}

export default function CfpSettings() {
  const { convening, tracks, criteria, reviewers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : {});
  const valueFor = (intent: string, name: string, saved: string) => (actionData?.intent === intent ? (valueOf(actionData.values, name) ?? "") : saved);
  const s = errorsFor("settings");
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/proposals`}>{t("cfpSettings.back")}</Link>
      </p>
      <h1>{t("cfpSettings.heading", { convening: convening.title })}</h1>
      {params.get("done") ? (
        <p className="notice notice--ok" role="status">
          {t("cfpSettings.saved")}
        </p>
      ) : null}
      {actionData?.errors.form ? (
        <p className="notice notice--error" role="alert">
          {actionData.errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}

      <h2>{t("cfpSettings.call")}</h2>
      <Form method="post" className="form" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="settings" />
        <p className="hint">{t("organizeRegistrations.settingsZone", { zone: convening.timeZone })}</p>
        <Field name="opensAt" type="datetime-local" label={t("cfpSettings.opensAt")} defaultValue={valueFor("settings", "opensAt", convening.opensAt)} errors={s.opensAt} />
        <Field name="closesAt" type="datetime-local" label={t("cfpSettings.closesAt")} defaultValue={valueFor("settings", "closesAt", convening.closesAt)} errors={s.closesAt} />
        <ChoiceGroup name="formats" type="checkbox" legend={t("cfpSettings.formats")} errors={s.formats} selected={convening.formats} options={SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} />
        <Field name="lengths" label={t("cfpSettings.lengths")} hint={t("cfpSettings.lengthsHint")} defaultValue={valueFor("settings", "lengths", convening.lengths.join(", "))} errors={s.lengths} />
        <CheckboxField name="reviewAnonymous" label={t("cfpSettings.reviewAnonymous")} hint={t("cfpSettings.reviewAnonymousHint")} defaultChecked={convening.reviewAnonymous} />
        <CheckboxField name="interestOpen" label={t("cfpSettings.interestOpen")} hint={t("cfpSettings.interestOpenHint")} defaultChecked={convening.interestOpen} />
        <div>
          <button type="submit" className="button">
            {t("cfpSettings.save")}
          </button>
        </div>
      </Form>

      <h2>{t("cfpSettings.criteria")}</h2>
      <p>{t("cfpSettings.criteriaIntro")}</p>
      {criteria.length ? (
        <ul>
          {criteria.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> — {t("cfpSettings.weight", { weight: c.weight })}
              {c.description ? <div className="muted">{c.description}</div> : null}
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="remove-criterion" />
                <input type="hidden" name="id" value={c.id} />
                <button type="submit" className="link-button">
                  {t("cfpSettings.remove", { name: c.name })}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("cfpSettings.noCriteria")}</p>
      )}
      <CreateForm className="form" noValidate>
        <input type="hidden" name="intent" value="add-criterion" />
        <Field name="name" label={t("cfpSettings.criterionName")} maxLength={PROPOSAL_LIMITS.criterionName} defaultValue={valueFor("add-criterion", "name", "")} errors={errorsFor("add-criterion").name} />
        <Field name="description" label={t("cfpSettings.criterionDescription")} hint={t("account.optional")} maxLength={PROPOSAL_LIMITS.criterionDescription} defaultValue={valueFor("add-criterion", "description", "")} errors={errorsFor("add-criterion").description} />
        <Field name="weight" type="number" min={1} max={10} label={t("cfpSettings.criterionWeight")} hint={t("cfpSettings.criterionWeightHint")} defaultValue={valueFor("add-criterion", "weight", "1")} errors={errorsFor("add-criterion").weight} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("cfpSettings.addCriterion")}
          </button>
        </div>
      </CreateForm>

      <h2>{t("cfpSettings.reviewers")}</h2>
      <p>{t("cfpSettings.reviewersIntro")}</p>
      {reviewers.length ? (
        <ul>
          {reviewers.map((r) => (
            <li key={r.id}>
              {r.public_name ?? r.email} ({r.email}) — {trackName.get(r.track_id ?? 0)}
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="remove-reviewer" />
                <input type="hidden" name="id" value={r.id} />
                <button type="submit" className="link-button">
                  {t("cfpSettings.removeReviewer")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : null}
      <CreateForm className="form" noValidate>
        <input type="hidden" name="intent" value="add-reviewer" />
        <Field name="email" type="email" label={t("cfpSettings.reviewerEmail")} defaultValue={valueFor("add-reviewer", "email", "")} errors={errorsFor("add-reviewer").email} />
        <SelectField name="track" label={t("cfpSettings.reviewerTrack")} errors={errorsFor("add-reviewer").track} options={tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("cfpSettings.addReviewer")}
          </button>
        </div>
      </CreateForm>
    </>
  );
}
