import { DomainError, refusals } from "../lib/domain-error";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { Field } from "../components/field";
import { requireConveningOrganizer } from "../features/access/access.server";
import { volunteerSchema } from "../features/desk/schema";
import { readForm } from "../modules/auth/csrf.server";
import { addDeskVolunteer, listDeskVolunteers, removeDeskVolunteer } from "../modules/auth/desk-volunteers.server";
import { getDb } from "../platform/db.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { formAction } from "../lib/form-action.server";
import { formatInstant } from "../lib/format";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const [volunteers, t] = await Promise.all([listDeskVolunteers(getDb(), convening.id), i18nServer.getFixedT(request)]);
  return {
    title: t("checkInDesk.volunteers.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title },
    volunteers: volunteers.map((v) => ({ ...v, since: formatInstant(v.addedAt, convening.time_zone, convening.locale) })),
  };
}

/** Removing someone who is not (or no longer) a volunteer: nothing to remove. */
const NOT_VOLUNTEER = refusals<"not_volunteer">({ not_volunteer: "errors.notVolunteer" });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  return formAction(form, volunteerSchema, async (v) => {
    if (v.intent === "add") {
      const { added } = await addDeskVolunteer(db, { conveningId: convening.id, email: v.email, actorId: user.id });
      return data({ ok: true as const, message: added ? "checkInDesk.volunteers.added" : "checkInDesk.volunteers.already", email: v.email });
    }
    const { removed } = await removeDeskVolunteer(db, { conveningId: convening.id, personId: v.personId, actorId: user.id });
    if (!removed) throw new DomainError("not_volunteer", 404, NOT_VOLUNTEER);
    return data({ ok: true as const, message: "checkInDesk.volunteers.removed", email: "" });
  });
}

export default function DeskVolunteers() {
  const { convening, volunteers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const typed = actionData && !actionData.ok ? valueOf(actionData.values, "email") : undefined;
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/desk`}>{t("checkInDesk.volunteers.back")}</Link>
      </p>
      <h1>{t("checkInDesk.volunteers.heading")}</h1>
      <p className="hint">{convening.title}</p>
      <p>{t("checkInDesk.volunteers.intro")}</p>
      {actionData?.ok ? (
        <p className="notice notice--ok" role="status">
          {t(actionData.message as "checkInDesk.volunteers.added", { email: actionData.email })}
        </p>
      ) : null}
      {/* Keyed by the list, so the address typed is cleared once it is added (with JavaScript the page is not reloaded). */}
      <Form method="post" className="form" noValidate key={volunteers.map((v) => v.personId).join(",")}>
        <CsrfInput />
        <input type="hidden" name="intent" value="add" />
        <Field name="email" type="email" label={t("checkInDesk.volunteers.email")} hint={t("checkInDesk.volunteers.emailHint")} errors={errors.email ?? errors.form} defaultValue={typed ?? ""} autoComplete="off" required />
        <div>
          <button type="submit" className="button">
            {t("checkInDesk.volunteers.add")}
          </button>
        </div>
      </Form>
      <h2>{t("checkInDesk.volunteers.listHeading")}</h2>
      {volunteers.length === 0 ? (
        <p>{t("checkInDesk.volunteers.none")}</p>
      ) : (
        <ul className="desk-volunteers">
          {volunteers.map((v) => (
            <li key={v.personId}>
              <span>
                {v.email} <span className="hint">{t("checkInDesk.volunteers.since", { at: v.since })}</span>
              </span>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="personId" value={v.personId} />
                <button type="submit" className="button button--secondary button--small" aria-label={t("checkInDesk.volunteers.removeLabel", { email: v.email })}>
                  {t("checkInDesk.volunteers.remove")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
