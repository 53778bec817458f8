// Travel support for one convening: the budget, totals against it per currency, and each request to decide.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf";
import { ChoiceGroup, Field, SelectField, TextareaField } from "../components/field";
import { readForm } from "../modules/auth/csrf.server";
import { requireSupportReader } from "../features/access/support.server";
import { supportPage } from "../features/support/support.server";
import { decideSupport, setSupportBudget } from "../modules/support/decisions.server";
import { budgetSchema, centsText, decisionSchema, grantedField, SUPPORT_CURRENCIES, SUPPORT_LIMITS } from "../modules/support/schema";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb } from "../platform/db.server";
import { formatInstant } from "../lib/format";
import { formatMoney } from "../lib/money";
import { valueOf } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { formAction, invalid } from "../lib/form-action.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, convening } = await requireSupportReader(request, params.slug);
  const [page, t] = await Promise.all([supportPage(getDb(), { conveningId: convening.id, organizerId: user.id }), i18nServer.getFixedT(request)]);
  return {
    title: t("travelSupport.page.title", { convening: convening.title }),
    convening: { slug: convening.slug, title: convening.title, timeZone: convening.time_zone, locale: convening.locale },
    ...page,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireSupportReader(request, params.slug);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const here = `/organize/${convening.slug}/support`;
  switch (intent) {
    case "budget":
      return formAction(form, budgetSchema, async (budget) => (await setSupportBudget(getDb(), { conveningId: convening.id, organizerId: user.id, budget }), redirect(`${here}?done=budget`)), { echo: { intent, requestId: "" } });
    case "decide":
      return formAction(
        form,
        decisionSchema,
        async (decision) => (await decideSupport(getDb(), { ...decision, conveningId: convening.id, organizerId: user.id }), redirect(`${here}?done=decided#request-${decision.requestId}`)),
        { echo: { intent, requestId: String(form.get("requestId") ?? "") } },
      );
    default:
      return invalid({ form: ["errors.invalid"] }, form, { echo: { intent, requestId: "" } });
  }
}

export default function Support() {
  const { convening, budget, totals, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  const money = (cents: number | null, currency: string) => (cents === null ? t("travelSupport.none") : formatMoney(cents, currency, convening.locale));
  const budgetErrors = actionData?.intent === "budget" ? actionData.errors : {};
  const budgetValues = actionData?.intent === "budget" ? actionData.values : {};
  return (
    <>
      <p>
        <Link to={`/organize/${convening.slug}/registrations`}>{t("travelSupport.page.back")}</Link>
      </p>
      <h1>{t("travelSupport.page.heading")}</h1>
      <p className="hint">{t("travelSupport.page.intro")}</p>
      {done === "budget" || done === "decided" ? (
        <p className="notice notice--ok" role="status">
          {t(done === "budget" ? "travelSupport.page.budgetSaved" : "travelSupport.page.decided")}
        </p>
      ) : null}
      {actionData && !actionData.ok && actionData.errors.form ? (
        <p className="notice notice--error" role="alert">
          {actionData.errors.form.map((e) => t(e as "errors.invalid")).join(" ")}
        </p>
      ) : null}
      <p>
        <a href={`/organize/${convening.slug}/support.csv`}>{t("travelSupport.page.csv")}</a>
      </p>

      <section aria-labelledby="budget-heading">
        <h2 id="budget-heading">{t("travelSupport.page.budgetHeading")}</h2>
        <p>{budget ? <strong>{money(budget.cents, budget.currency)}</strong> : t("travelSupport.page.noBudget")}</p>
        <Form method="post" className="form support-budget" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="budget" />
          <Field name="amount" label={t("travelSupport.page.budgetAmount")} inputMode="decimal" maxLength={16} required defaultValue={valueOf(budgetValues, "amount") ?? (budget ? centsText(budget.cents) : "")} errors={budgetErrors.amount} />
          <SelectField
            name="currency"
            label={t("travelSupport.page.budgetCurrency")}
            required
            defaultValue={valueOf(budgetValues, "currency") ?? budget?.currency ?? ""}
            errors={budgetErrors.currency}
            options={[{ value: "", label: t("travelSupport.form.chooseCurrency") }, ...SUPPORT_CURRENCIES.map((c) => ({ value: c, label: c }))]}
          />
          <div>
            <button type="submit" className="button button--secondary">
              {t("travelSupport.page.budgetSave")}
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading">{t("travelSupport.page.totalsHeading")}</h2>
        {totals.main && budget ? (
          <div className="table-wrap">
            <table className="table" id="support-totals">
              <caption>{t("travelSupport.page.totalsCaption", { currency: budget.currency })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("travelSupport.page.col.budget")}</th>
                  <th scope="col">{t("travelSupport.page.col.requested")}</th>
                  <th scope="col">{t("travelSupport.page.col.granted")}</th>
                  <th scope="col">{t("travelSupport.page.col.left")}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{money(budget.cents, budget.currency)}</td>
                  <td>{money(totals.main.requestedCents, budget.currency)}</td>
                  <td>{money(totals.main.grantedCents, budget.currency)}</td>
                  <td>{money(budget.cents - totals.main.grantedCents, budget.currency)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        ) : null}
        {totals.others.length ? (
          <div className="table-wrap">
            <table className="table" id="support-other-totals">
              <caption>{t("travelSupport.page.otherCurrencies")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("travelSupport.page.col.currency")}</th>
                  <th scope="col">{t("travelSupport.page.col.requested")}</th>
                  <th scope="col">{t("travelSupport.page.col.granted")}</th>
                </tr>
              </thead>
              <tbody>
                {totals.others.map((o) => (
                  <tr key={o.currency}>
                    <th scope="row">{o.currency}</th>
                    <td>{money(o.requestedCents, o.currency)}</td>
                    <td>{money(o.grantedCents, o.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">{t("travelSupport.page.requestsHeading")}</h2>
        {requests.length === 0 ? <p>{t("travelSupport.page.noRequests")}</p> : null}
        {requests.map(({ registrationId, name, request }) => {
          const mine = actionData?.intent === "decide" && actionData.requestId === String(request.id);
          const errors = mine ? actionData.errors : {};
          const values = mine ? actionData.values : {};
          const outcome = valueOf(values, "outcome") ?? (request.status === "waiting" ? "" : request.status);
          return (
            <article key={request.id} id={`request-${request.id}`} className="card support-request" aria-labelledby={`request-${request.id}-name`}>
              <h3 id={`request-${request.id}-name`}>
                <Link to={`/organize/${convening.slug}/registrations/${registrationId}`}>{name}</Link>
              </h3>
              <p>
                <strong>{t(`travelSupport.status.${request.status}`)}</strong>
                {request.changedAfterDecision ? ` · ${t("travelSupport.page.changed")}` : ""}
                {request.decidedAt ? ` · ${t("travelSupport.page.decidedAt", { at: formatInstant(request.decidedAt, convening.timeZone, convening.locale) })}` : ""}
              </p>
              {request.items.length ? (
                <div className="table-wrap">
                  <table className="table">
                    <caption className="visually-hidden">{t("travelSupport.page.amounts")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("travelSupport.csv.kind")}</th>
                        <th scope="col">{t("travelSupport.page.col.requested")}</th>
                        <th scope="col">{t("travelSupport.page.col.granted")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {request.items.map((i) => (
                        <tr key={i.kind}>
                          <th scope="row">{t(`travelSupport.kind.${i.kind}`)}</th>
                          <td>{money(i.requestedCents, i.currency)}</td>
                          <td>{request.status === "waiting" ? "" : money(i.grantedCents, i.currency)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              {request.reason ? (
                <p>
                  <strong>{t("travelSupport.page.reason")}:</strong> {request.reason}
                </p>
              ) : null}
              {request.message ? <p>{t("travelSupport.page.message", { message: request.message })}</p> : null}
              {request.erased ? null : (
                <details open={mine || request.status === "waiting"}>
                  <summary>{t("travelSupport.page.decide")}</summary>
                  <Form method="post" className="form" noValidate>
                    <CsrfInput />
                    <input type="hidden" name="intent" value="decide" />
                    <input type="hidden" name="requestId" value={request.id} />
                    <ChoiceGroup
                      id={`outcome-${request.id}`}
                      name="outcome"
                      type="radio"
                      legend={t("travelSupport.page.outcome")}
                      required
                      errors={errors.outcome}
                      selected={outcome ? [outcome] : []}
                      options={[
                        { value: "granted", label: t("travelSupport.page.outcomeGranted") },
                        { value: "partly_granted", label: t("travelSupport.page.outcomePartly") },
                        { value: "declined", label: t("travelSupport.page.outcomeDeclined") },
                      ]}
                    />
                    {request.items.map((i) => (
                      <Field
                        key={i.kind}
                        id={`granted-${request.id}-${i.kind}`}
                        name={grantedField(i.kind)}
                        label={t("travelSupport.page.grantedAmount", { kind: t(`travelSupport.kind.${i.kind}`), currency: i.currency, requested: money(i.requestedCents, i.currency) })}
                        inputMode="decimal"
                        maxLength={16}
                        defaultValue={valueOf(values, grantedField(i.kind)) ?? (request.status === "partly_granted" ? centsText(i.grantedCents) : "")}
                        errors={errors[grantedField(i.kind)]}
                      />
                    ))}
                    <TextareaField id={`message-${request.id}`} name="message" label={t("travelSupport.page.decisionMessage")} maxLength={SUPPORT_LIMITS.message} defaultValue={valueOf(values, "message") ?? request.message ?? ""} errors={errors.message} />
                    <div>
                      <button type="submit" className="button">
                        {t("travelSupport.page.save")}
                      </button>
                    </div>
                  </Form>
                </details>
              )}
            </article>
          );
        })}
      </section>
    </>
  );
}
