// Travel support on both databases: the form's checks, requests saved with the registration,
// decisions with their audit row and mail, totals per currency against the budget, the table's
// filter, the finance CSV, erasure on the retention date and the person's data download.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, registrationAnswers as answers } from "../../../tests/factories";
import { registrationSchema } from "../../modules/registration/schema";
import { parseSubmission } from "../../lib/forms";
import { submitRegistration, updateRegistration } from "../../modules/registration/registering.server";
import { listRegistrations, registrationForOrganizer } from "../../modules/registration/queries.server";
import { decideSupport, setSupportBudget } from "../../modules/support/decisions.server";
import { supportRequestOf } from "../../modules/support/requests.server";
import { budgetSchema, decisionSchema, parseAmount, type SupportRequestInput } from "../../modules/support/schema";
import { fixedT } from "../../platform/i18n/i18next.server";
import { eraseExpiredAnswers } from "../account/erase.server";
import { personalData } from "../account/export.server";
import { supportCsv, supportPage } from "./support.server";

const DURING = new Date("2027-02-01T12:00:00Z");

function form(entries: Array<[string, string]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe("support amounts", () => {
  it("reads positive amounts with at most two decimals as cents", () => {
    expect(["450", "120.5", "120,50", "1 250.75", "0.01"].map((s) => parseAmount(s, 1_000_000))).toEqual([45000, 12050, 12050, 125075, 1]);
    expect(["0", "-5", "1.234", "abc", "", "1e3", "2000000"].map((s) => parseAmount(s, 1_000_000))).toEqual([null, null, null, null, null, null, null]);
  });
});

describe.each(DATABASE_KINDS)("travel support on %s", (kind) => {
  let t: TestDatabase;
  let c: Awaited<ReturnType<typeof convening>>;
  let organizerId: number;
  const base = (trackId: number): Array<[string, string]> => [["displayName", "Ana"], ["attendance", "in_person"], ["tracks", String(trackId)]];
  const travelLodging: SupportRequestInput = { items: [{ kind: "travel", currency: "EUR", cents: 60000 }, { kind: "lodging", currency: "USD", cents: 30050 }], reason: "No travel budget" };

  beforeAll(async () => {
    t = await freshDatabase(kind);
    organizerId = (await person(t.db, { name: "Orga" })).id;
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    c = await convening(t.db, { organizerId, registration: { opensAt: "2027-01-01T00:00:00.000Z", closesAt: "2027-05-01T00:00:00.000Z", now: DURING } });
  });

  async function register(name: string, support: SupportRequestInput | null) {
    const p = await person(t.db, { name });
    const row = await submitRegistration(t.db, { conveningId: c.id, personId: p.id, answers: answers({ displayName: name, tracks: [c.trackIds[0]!], support }), now: DURING });
    return { personId: p.id, registrationId: row.id };
  }
  const decide = (requestId: number, outcome: "granted" | "partly_granted" | "declined", granted: Record<string, string> = {}, message = "") =>
    decideSupport(t.db, { ...decisionSchema.parse({ requestId: String(requestId), outcome, message, ...Object.fromEntries(Object.entries(granted).map(([k, v]) => [`granted_${k}`, v])) }), conveningId: c.id, organizerId, now: DURING });

  it("checks the form on the server: kinds, amounts, currencies and a reason, each error at its field", () => {
    const bad = parseSubmission(
      registrationSchema,
      form([...base(c.trackIds[0]!), ["supportRequested", "yes"], ["supportKinds", "travel"], ["supportKinds", "visa_fees"], ["support_travel_amount", "12.345"], ["support_travel_currency", "XXX"], ["support_visa_fees_amount", "-3"]]),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual({
      support_travel_currency: ["travelSupport.errors.currency"],
      support_travel_amount: ["travelSupport.errors.amount"],
      support_visa_fees_amount: ["travelSupport.errors.amount"],
      support_visa_fees_currency: ["travelSupport.errors.currency"],
      supportReason: ["travelSupport.errors.reason"],
    });
    expect(bad.values.support_travel_amount).toBe("12.345");
    const none = parseSubmission(registrationSchema, form([...base(c.trackIds[0]!), ["supportRequested", "yes"], ["supportReason", "x"]]));
    expect(none.ok ? null : none.errors).toEqual({ supportKinds: ["travelSupport.errors.kinds"] });
    const tooLong = parseSubmission(registrationSchema, form([...base(c.trackIds[0]!), ["supportRequested", "yes"], ["supportKinds", "per_diem"], ["support_per_diem_amount", "40"], ["support_per_diem_currency", "KES"], ["supportReason", "x".repeat(1001)]]));
    expect(tooLong.ok ? null : tooLong.errors).toEqual({ supportReason: ["errors.tooLong"] });
    const good = parseSubmission(
      registrationSchema,
      form([...base(c.trackIds[0]!), ["supportRequested", "yes"], ["supportKinds", "lodging"], ["supportKinds", "travel"], ["support_travel_amount", "600"], ["support_travel_currency", "EUR"], ["support_lodging_amount", "300,50"], ["support_lodging_currency", "USD"], ["support_per_diem_amount", "999"], ["supportReason", " No travel budget "]]),
    );
    expect(good.ok ? good.value.support : null).toEqual(travelLodging);
    // "No" asks for nothing, whatever else was typed.
    const no = parseSubmission(registrationSchema, form([...base(c.trackIds[0]!), ["supportRequested", "no"], ["supportKinds", "travel"], ["support_travel_amount", "abc"]]));
    expect(no.ok ? no.value.support : "refused").toBeNull();
    expect(budgetSchema.safeParse({ amount: "0", currency: "EUR" }).success).toBe(false);
    expect(budgetSchema.parse({ amount: "5000", currency: "EUR" })).toEqual({ amount: 500000, currency: "EUR" });
  });

  it("saves the request with the registration, replaces it before a decision, and reopens it when changed after one", async () => {
    const ana = await register("Ana", travelLodging);
    const first = (await supportRequestOf(t.db, ana.registrationId))!;
    expect(first).toMatchObject({ status: "waiting", reason: "No travel budget", changedAfterDecision: false });
    expect(first.items).toEqual([
      { kind: "travel", currency: "EUR", requestedCents: 60000, grantedCents: null },
      { kind: "lodging", currency: "USD", requestedCents: 30050, grantedCents: null },
    ]);
    expect((await t.db.selectFrom("registrations").select(["support_requested", "support_reason"]).where("id", "=", ana.registrationId).executeTakeFirstOrThrow())).toEqual({ support_requested: 1, support_reason: null });

    const update = (support: SupportRequestInput | null) => updateRegistration(t.db, { conveningId: c.id, personId: ana.personId, answers: answers({ displayName: "Ana", tracks: [c.trackIds[0]!], support }), now: DURING });
    await update({ items: [{ kind: "travel", currency: "EUR", cents: 50000 }], reason: "Less now" });
    expect(await supportRequestOf(t.db, ana.registrationId)).toMatchObject({ id: first.id, status: "waiting", reason: "Less now", changedAfterDecision: false, items: [{ kind: "travel", currency: "EUR", requestedCents: 50000, grantedCents: null }] });

    await decide(first.id, "granted");
    // Saving other answers leaves the decision alone.
    await update({ items: [{ kind: "travel", currency: "EUR", cents: 50000 }], reason: "Less now" });
    expect((await supportRequestOf(t.db, ana.registrationId))!.status).toBe("granted");
    await update({ items: [{ kind: "travel", currency: "EUR", cents: 70000 }], reason: "Flights rose" });
    expect(await supportRequestOf(t.db, ana.registrationId)).toMatchObject({ status: "waiting", changedAfterDecision: true, items: [{ kind: "travel", requestedCents: 70000, grantedCents: null }] });
    const audit = await t.db.selectFrom("audit_log").select(["action", "details"]).where("subject_id", "=", ana.registrationId).where("action", "like", "support.%").orderBy("id").execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.details)])).toEqual([
      ["support.requested", {}],
      ["support.changed", { from: "waiting" }],
      ["support.decided", { from: "waiting", to: "granted" }],
      ["support.changed", { from: "granted" }],
    ]);
    await update(null);
    expect(await supportRequestOf(t.db, ana.registrationId)).toBeNull();
    expect((await t.db.selectFrom("registrations").select("support_requested").where("id", "=", ana.registrationId).executeTakeFirstOrThrow()).support_requested).toBe(0);
  });

  it("decides in one step with the audit row and the mail, allows deciding again, and refuses more than was asked", async () => {
    const ana = await register("Ana", travelLodging);
    const { id } = (await supportRequestOf(t.db, ana.registrationId))!;
    await expect(decide(id, "partly_granted", { travel: "700", lodging: "100" })).rejects.toMatchObject({ code: "too_much", status: 400 });
    await expect(decide(id, "partly_granted", { travel: "400" })).rejects.toMatchObject({ code: "amount_missing", status: 400 });
    expect((await supportRequestOf(t.db, ana.registrationId))!.status).toBe("waiting");
    expect(await t.db.selectFrom("mail_outbox").select("id").where("template", "=", "support-decided").where("person_id", "=", ana.personId).execute()).toEqual([]);

    expect(await decide(id, "partly_granted", { travel: "400", lodging: "0" }, "We cover most of the flight.")).toBe("partly_granted");
    expect(await supportRequestOf(t.db, ana.registrationId)).toMatchObject({
      status: "partly_granted",
      message: "We cover most of the flight.",
      decidedAt: DURING.toISOString(),
      items: [
        { kind: "travel", requestedCents: 60000, grantedCents: 40000 },
        { kind: "lodging", requestedCents: 30050, grantedCents: 0 },
      ],
    });
    const mails = await t.db.selectFrom("mail_outbox").select(["template", "subject", "text_body", "person_id"]).where("template", "=", "support-decided").where("person_id", "=", ana.personId).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.person_id).toBe(ana.personId);
    expect(mails[0]!.subject).toBe("Your travel support for Test Meeting");
    expect(mails[0]!.text_body).toContain("grant your request for support in part");
    expect(mails[0]!.text_body).toContain("Travel: €400 granted (you asked for €600)");
    expect(mails[0]!.text_body).toContain("Lodging: US$0 granted (you asked for US$300.50)");
    expect(mails[0]!.text_body).toContain("Their message: We cover most of the flight.");

    await decide(id, "declined");
    expect(await supportRequestOf(t.db, ana.registrationId)).toMatchObject({ status: "declined", message: null, items: [{ grantedCents: null }, { grantedCents: null }] });
    const decided = await t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "support.decided").where("subject_id", "=", ana.registrationId).orderBy("id").execute();
    expect(decided.map((d) => [d.actor_id, JSON.parse(d.details)])).toEqual([
      [organizerId, { from: "waiting", to: "partly_granted" }],
      [organizerId, { from: "partly_granted", to: "declined" }],
    ]);
    // A request of another convening is not found from this one.
    const other = await convening(t.db, { organizerId });
    await expect(decideSupport(t.db, { requestId: id, outcome: "granted", granted: {}, message: null, conveningId: other.id, organizerId })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("totals requests and grants per currency against the budget, the budget's currency first, and audits the view", async () => {
    const ana = await register("Ana", travelLodging);
    const ben = await register("Ben", { items: [{ kind: "travel", currency: "EUR", cents: 25000 }, { kind: "visa_fees", currency: "GBP", cents: 8000 }], reason: "Visa" });
    await register("Cy", null);
    await setSupportBudget(t.db, { conveningId: c.id, organizerId, budget: { amount: 500000, currency: "EUR" }, now: DURING });
    await decide((await supportRequestOf(t.db, ana.registrationId))!.id, "granted");
    const page = await supportPage(t.db, { conveningId: c.id, organizerId });
    expect(page.budget).toEqual({ cents: 500000, currency: "EUR" });
    expect(page.totals).toEqual({
      main: { currency: "EUR", requestedCents: 85000, grantedCents: 60000 },
      others: [
        { currency: "GBP", requestedCents: 8000, grantedCents: 0 },
        { currency: "USD", requestedCents: 30050, grantedCents: 30050 },
      ],
    });
    expect(page.requests.map((r) => [r.registrationId, r.name, r.request.status])).toEqual([
      [ana.registrationId, "Ana", "granted"],
      [ben.registrationId, "Ben", "waiting"],
    ]);
    await setSupportBudget(t.db, { conveningId: c.id, organizerId, budget: { amount: 100000, currency: "USD" }, now: DURING });
    expect((await supportPage(t.db, { conveningId: c.id, organizerId })).totals.main).toEqual({ currency: "USD", requestedCents: 30050, grantedCents: 30050 });
    expect(await t.db.selectFrom("audit_log").select("actor_id").where("action", "=", "support.viewed").where("convening_id", "=", c.id).execute()).toEqual([{ actor_id: organizerId }, { actor_id: organizerId }]);
    expect(await t.db.selectFrom("audit_log").select("details").where("action", "=", "support.budget_set").where("convening_id", "=", c.id).execute()).toHaveLength(2);
  });

  it("filters the registrations table by support status", async () => {
    const ana = await register("Ana", travelLodging);
    const ben = await register("Ben", { items: [{ kind: "travel", currency: "EUR", cents: 25000 }], reason: "Far" });
    const cleo = await register("Cleo", { items: [{ kind: "per_diem", currency: "EUR", cents: 5000 }], reason: "Days" });
    const dan = await register("Dan", { items: [{ kind: "lodging", currency: "EUR", cents: 9000 }], reason: "Hotel" });
    await register("Eve", null);
    await decide((await supportRequestOf(t.db, ana.registrationId))!.id, "granted");
    await decide((await supportRequestOf(t.db, ben.registrationId))!.id, "partly_granted", { travel: "100" });
    await decide((await supportRequestOf(t.db, cleo.registrationId))!.id, "declined");
    void dan;
    const names = async (support: "none" | "waiting" | "granted" | "partly" | "declined" | "asked") => (await listRegistrations(t.db, c.id, { support })).rows.map((r) => r.display_name);
    expect(await names("none")).toEqual(["Eve"]);
    expect(await names("waiting")).toEqual(["Dan"]);
    expect(await names("granted")).toEqual(["Ana"]);
    expect(await names("partly")).toEqual(["Ben"]);
    expect(await names("declined")).toEqual(["Cleo"]);
    expect(await names("asked")).toEqual(["Ana", "Ben", "Cleo", "Dan"]);
  });

  it("writes the finance CSV, one row per kind, formula-neutral, full names only when asked for, audited", async () => {
    const p = await person(t.db, { name: "=Ana", fullName: "Ana Legal" });
    const row = await submitRegistration(t.db, { conveningId: c.id, personId: p.id, answers: answers({ displayName: "=cmd()", tracks: [c.trackIds[0]!], support: travelLodging }), now: DURING });
    await decide((await supportRequestOf(t.db, row.id))!.id, "partly_granted", { travel: "450.5", lodging: "0" });
    const withNames = await supportCsv(t.db, { conveningId: c.id, organizerId, fullNames: true, t: fixedT() });
    const lines = withNames.split("\r\n");
    expect(lines[0]).toBe("\uFEFFName,Full name,Registration,Kind,Currency,Requested,Granted,Status,Decided at");
    const full = (await t.db.selectFrom("people").select("full_name").where("id", "=", p.id).executeTakeFirstOrThrow()).full_name ?? "";
    expect(lines.slice(1)).toEqual([
      `'=cmd(),${full},${row.id},Travel,EUR,600,450.50,Granted in part,${DURING.toISOString()}`,
      `'=cmd(),${full},${row.id},Lodging,USD,300.50,0,Granted in part,${DURING.toISOString()}`,
      "",
    ]);
    const without = await supportCsv(t.db, { conveningId: c.id, organizerId, fullNames: false, t: fixedT() });
    expect(without.split("\r\n")[0]).toBe("\uFEFFName,Registration,Kind,Currency,Requested,Granted,Status,Decided at");
    expect(without).not.toContain(full);
    const exported = await t.db.selectFrom("audit_log").select("details").where("action", "=", "support.exported").where("convening_id", "=", c.id).orderBy("id").execute();
    expect(exported.map((e) => JSON.parse(e.details))).toEqual([{ requests: 1, fullNames: true }, { requests: 1, fullNames: false }]);
  });

  it("shows support on the detail page only to organizers who read sensitive answers", async () => {
    const ana = await register("Ana", travelLodging);
    const hidden = await registrationForOrganizer(t.db, c.id, ana.registrationId, organizerId, { sensitive: false });
    expect(hidden?.sensitive).toBeNull();
    expect(JSON.stringify(hidden)).not.toContain("No travel budget");
    expect(JSON.stringify(hidden)).not.toContain("60000");
    const shown = await registrationForOrganizer(t.db, c.id, ana.registrationId, organizerId, { sensitive: true });
    expect(shown?.sensitive?.support).toMatchObject({ status: "waiting", reason: "No travel budget", items: [{ kind: "travel", requestedCents: 60000 }, { kind: "lodging", requestedCents: 30050 }] });
  });

  it("erases amounts, reasons and messages on the retention date, keeping kinds and decisions, and gives the person their request", async () => {
    const ana = await register("Ana", travelLodging);
    const { id } = (await supportRequestOf(t.db, ana.registrationId))!;
    await decide(id, "partly_granted", { travel: "300", lodging: "300.50" }, "Half the flight");
    const data = await personalData(t.db, ana.personId);
    expect(data?.supportRequests).toEqual([
      {
        convening: "Test Meeting",
        status: "partly_granted",
        reason: "No travel budget",
        message: "Half the flight",
        requestedAt: DURING.toISOString(),
        decidedAt: DURING.toISOString(),
        items: [
          { kind: "travel", currency: "EUR", requested: 600, granted: 300 },
          { kind: "lodging", currency: "USD", requested: 300.5, granted: 300.5 },
        ],
      },
    ]);
    expect(await eraseExpiredAnswers(t.db, new Date("2027-09-30T00:00:00Z"))).toContain(c.id);
    const erased = (await supportRequestOf(t.db, ana.registrationId))!;
    expect(erased).toMatchObject({ status: "partly_granted", reason: null, message: null, erased: true });
    expect(erased.items).toEqual([
      { kind: "travel", currency: "EUR", requestedCents: null, grantedCents: null },
      { kind: "lodging", currency: "USD", requestedCents: null, grantedCents: null },
    ]);
    await expect(decide(id, "granted")).rejects.toMatchObject({ code: "erased", status: 409 });
  });
});
