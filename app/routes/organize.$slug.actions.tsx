import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ACTION_STATUSES, isOpen } from "../modules/actions/states";
import { CreateForm } from "../components/create-form";
import { ActionItemFields } from "../components/action-item-fields";
import { Field, SelectField } from "../components/field";
import { createAction } from "../modules/actions/items.server";
import { ownerChoices } from "../modules/actions/owners.server";
import { conveningActions } from "../modules/actions/queries.server";
import { previousConvening, progressByTrack } from "../modules/actions/reports.server";
import { actionFiltersSchema } from "../modules/actions/filters";
import { actionSchema, ownersOf } from "../modules/actions/schema";
import { readForm } from "../modules/auth/csrf.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { listTracks } from "../modules/convenings/convenings.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatDay } from "../lib/format";
import { titleMeta } from "../lib/meta";
import { formAction } from "../lib/form-action.server";
import { createOnce } from "../platform/submissions.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const db = getDb();
  const filters = actionFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [items, progress, tracks, owners, t, previous] = await Promise.all([conveningActions(db, convening.id, filters), progressByTrack(db, convening.id), listTracks(db, convening.id), ownerChoices(db, convening.id, { id: user.id, organizer: true }), i18nServer.getFixedT(request), previousConvening(db, convening.id)]);
  // Last year's open commitments carry over: counted here, listed in the report.
  const carried = previous ? (await conveningActions(db, previous.id, {})).filter((i) => isOpen(i.status)).length : null;
  return {
    title: t("organizeActions.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    filters,
    items: items.map((i) => ({ ...i, due: formatDay(i.due_on, convening.locale) })),
    progress,
    tracks: tracks.map((tr) => ({ id: tr.id, name: tr.name })),
    owners,
    carried,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug, { followUp: true });
  const form = await readForm(request);
  return formAction(form, actionSchema, (v) =>
    createOnce(getDb(), form, { personId: user.id, kind: "action-create" }, async (trx) => {
      await createAction(trx, { conveningId: convening.id, proposalId: null, title: v.title, dueOn: v.dueOn, owners: ownersOf(v), visibility: v.visibility, by: { id: user.id, organizer: true } });
      return `/organize/${convening.slug}/actions?done=1`;
    }),
  );
}

export default function OrganizerActions() {
  const { convening, filters, items, progress, tracks, owners, carried } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const trackName = new Map(tracks.map((tr) => [tr.id, tr.name]));
  const errors = actionData?.errors ?? {};
  const query = new URLSearchParams(params);
  query.delete("done");
  return (
    <>
      <h1>{t("organizeActions.heading", { convening: convening.title })}</h1>
      {params.get("done") ? (
        <p className="notice notice--ok" role="status">
          {t("outcomes.saved")}
        </p>
      ) : null}
      <p>
        <Link to={`/organize/${convening.slug}/actions/report`}>{t("report.link")}</Link>
        {carried !== null ? ` · ${t("report.carried", { count: carried })}` : ""}
      </p>
      <h2>{t("organizeActions.progress")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("organizeActions.track")}</th>
              {ACTION_STATUSES.map((s) => (
                <th scope="col" key={s}>
                  {t(`actions.status.${s}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {progress.map((p) => (
              <tr key={p.trackId ?? "none"}>
                <th scope="row">{p.trackId ? trackName.get(p.trackId) : t("organizeActions.noSession")}</th>
                {ACTION_STATUSES.map((s) => (
                  <td key={s}>{p[s]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("organizeActions.list")}</h2>
      <Form method="get" className="filters-form">
        <SelectField name="track" label={t("organizeActions.track")} defaultValue={filters.track ? String(filters.track) : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...tracks.map((tr) => ({ value: String(tr.id), label: tr.name }))]} />
        <SelectField name="status" label={t("organizeRegistrations.filter.status")} defaultValue={filters.status ?? ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, ...ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.status.${s}`) }))]} />
        <Field name="owner" label={t("organizeActions.owner")} defaultValue={filters.owner ?? ""} />
        <SelectField name="overdue" label={t("actions.overdue")} defaultValue={filters.overdue ? "1" : ""} options={[{ value: "", label: t("organizeRegistrations.filter.any") }, { value: "1", label: t("organizeActions.onlyOverdue") }]} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("organizeRegistrations.filter.apply")}
          </button>
        </div>
      </Form>
      <p>
        <a href={`/organize/${convening.slug}/actions.csv${query.toString() ? `?${query}` : ""}`}>{t("organizeRegistrations.export")}</a>
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("outcomes.what")}</th>
              <th scope="col">{t("organizeActions.owners")}</th>
              <th scope="col">{t("outcomes.dueOn")}</th>
              <th scope="col">{t("organizeRegistrations.filter.status")}</th>
              <th scope="col">{t("organizeActions.session")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/organize/${convening.slug}/actions/${i.id}`}>
                    {i.title}
                  </Link>
                  {i.visibility === "organizers" ? <div className="muted">{t("outcomes.organizers")}</div> : null}
                </td>
                <td>{i.owners.join(", ")}</td>
                <td>
                  {i.due}
                  {i.overdue ? <div className="muted">{t("actions.overdue")}</div> : null}
                </td>
                <td>{t(`actions.status.${i.status}`)}</td>
                <td>{i.session ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("organizeActions.add")}</h2>
      <CreateForm className="form" noValidate>
        <ActionItemFields owners={owners} errors={errors} values={actionData?.values} />
        <div>
          <button type="submit" className="button">
            {t("outcomes.save")}
          </button>
        </div>
      </CreateForm>
    </>
  );
}
