import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import en from "../../locales/en/common.json";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, type TestPerson } from "../../../tests/factories";
import { fixedT } from "../../platform/i18n/i18next.server";
import { AUDIT_ACTIONS, listAudit, writeAudit, type AuditAction } from "../../platform/audit.server";
import { auditFilters, auditPage, auditQuerySchema } from "./audit-page.server";

function lookup(path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), en);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The action expression of every writeAudit call in the app: "literal", a ? "x" : "y", or `prefix.${…}`. */
function writtenActions(): Array<{ file: string; expression: string | null; literals: string[]; prefixes: string[] }> {
  const root = join(__dirname, "../..");
  const out: Array<{ file: string; expression: string | null; literals: string[]; prefixes: string[] }> = [];
  for (const file of [...sourceFiles(root), ...sourceFiles(join(root, "../cli"))]) {
    const text = readFileSync(file, "utf8");
    for (const call of text.matchAll(/writeAudit\(/g)) {
      const rest = text.slice(call.index + call[0].length, call.index + 600);
      if (rest.startsWith("db: Executor")) continue; // the definition
      // The action is what stands between "action:" and the subject's type.
      const expression = /action:\s*([^]*?),\s*subjectType/.exec(rest)?.[1] ?? null;
      const literals = [...(expression ?? "").matchAll(/"([a-z_.-]+)"/g)].map((m) => m[1]!);
      const prefixes = [...(expression ?? "").matchAll(/`([a-z_.-]*)\$\{/g)].map((m) => m[1]!);
      out.push({ file: file.slice(root.length), expression, literals, prefixes });
    }
  }
  return out;
}

describe("audit actions in words", () => {
  it("gives every action the app writes a sentence and a name for the filter", () => {
    const missing = AUDIT_ACTIONS.filter((a) => typeof lookup(`forms14.auditAction.${a}`) !== "string" || typeof lookup(`forms14.auditActionName.${a}`) !== "string");
    expect(missing).toEqual([]);
  });

  it("knows every action code written by writeAudit anywhere in the app", () => {
    const calls = writtenActions();
    expect(calls.length).toBeGreaterThanOrEqual(40);
    // Every call's action was read: a call the scan cannot read fails here rather than going unchecked.
    expect(calls.filter((c) => c.expression === null).map((c) => c.file)).toEqual([]);
    const known = new Set<string>(AUDIT_ACTIONS);
    const unknown = calls.flatMap((c) => [...c.literals.filter((l) => !known.has(l)), ...c.prefixes.filter((p) => !AUDIT_ACTIONS.some((a) => a.startsWith(p)))].map((code) => `${c.file}: ${code}`));
    expect(unknown).toEqual([]);
    expect(calls.filter((c) => c.literals.length + c.prefixes.length === 0).map((c) => c.file)).toEqual([]);
  });

  it("reads the filters of the address, refusing unknown actions and impossible days", () => {
    expect(auditQuerySchema.safeParse({ action: "registration.sensitive_viewed", from: "2027-02-28", to: "2027-03-01" }).success).toBe(true);
    expect(auditQuerySchema.safeParse({ action: "registration." }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ from: "2027-02-31" }).success).toBe(false);
    expect(auditFilters({ from: "2027-02-28", to: "2027-02-28" })).toEqual({ actor: undefined, action: undefined, from: "2027-02-28T00:00:00.000Z", to: "2027-03-01T00:00:00.000Z", after: undefined });
  });
});

describe.each(DATABASE_KINDS)("the audit log on %s", (kind) => {
  let t: TestDatabase;
  let ana: TestPerson;
  let bo: TestPerson;
  let conveningId: number;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    ana = await person(t.db, { name: "Ana M.", fullName: "Ana Martins", email: "ana@example.org" });
    bo = await person(t.db, { name: "Bo", fullName: "Bo Lindqvist", email: "bo@example.net" });
    conveningId = (await convening(t.db, { slug: `audit-${kind}`, title: "Audit Meeting" })).id;
    await t.db.deleteFrom("audit_log").execute();
  });
  afterEach(() => t.drop());

  async function entries(count: number) {
    // Three entries share each instant, and ids are not in time order: paging must follow time, then id.
    for (let i = 0; i < count; i += 1) {
      const at = new Date(Date.UTC(2027, 0, 1 + Math.floor(((i * 7) % count) / 3), 12));
      const action: AuditAction = i % 2 ? "convening.cfp_settings" : "convening.registration_settings";
      await writeAudit(t.db, { actorId: i % 3 ? ana.id : bo.id, action, subjectType: "convening", subjectId: conveningId, conveningId, now: at });
    }
  }

  it("pages through every entry exactly once, newest first, by time and then id", async () => {
    await entries(130);
    const all = await t.db.selectFrom("audit_log").select(["id", "at"]).execute();
    const expected = all.sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1)).map((e) => e.id);
    const seen: number[] = [];
    let after: { at: string; id: number } | undefined;
    let pages = 0;
    for (;;) {
      const page = await listAudit(t.db, { after }, 50);
      seen.push(...page.entries.map((e) => e.id));
      pages += 1;
      if (!page.next) break;
      after = page.next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it("filters by who acted (name or email), by action and by UTC days", async () => {
    await entries(30);
    const ids = async (filters: Parameters<typeof listAudit>[1]) => (await listAudit(t.db, filters, 1000)).entries.map((e) => e.id).sort((a, b) => a - b);
    const rows = await t.db.selectFrom("audit_log").select(["id", "actor_id", "action", "at"]).orderBy("id").execute();
    const where = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).map((r) => r.id);
    expect(await ids({ actor: "martins" })).toEqual(where((r) => r.actor_id === ana.id));
    expect(await ids({ actor: "EXAMPLE.NET" })).toEqual(where((r) => r.actor_id === bo.id));
    expect(await ids({ actor: "nobody" })).toEqual([]);
    expect(await ids({ action: "convening.cfp_settings" })).toEqual(where((r) => r.action === "convening.cfp_settings"));
    expect(await ids(auditFilters({ from: "2027-01-03", to: "2027-01-04" }))).toEqual(where((r) => r.at >= "2027-01-03" && r.at < "2027-01-05"));
    expect(where((r) => r.at >= "2027-01-03" && r.at < "2027-01-05").length).toBe(6);
  });

  it("tells each entry as a sentence naming its subject as organizers see it", async () => {
    const registrationId = 424242;
    await writeAudit(t.db, { actorId: bo.id, action: "agenda.published", subjectType: "convening", subjectId: conveningId, conveningId, details: { number: 3, changes: 2 } });
    await writeAudit(t.db, { actorId: ana.id, action: "profile.updated", subjectType: "person", subjectId: ana.id });
    await writeAudit(t.db, { actorId: null, action: "registration.sensitive_viewed", subjectType: "registration", subjectId: registrationId, conveningId });
    await t.db.insertInto("audit_log").values({ actor_id: null, action: "legacy.code", subject_type: "person", subject_id: null, at: new Date().toISOString() }).execute();
    const page = await auditPage(t.db, {}, fixedT("en"));
    expect(page.entries.map((e) => [e.actor, e.sentence])).toEqual([
      [null, "legacy.code"],
      [null, `Viewed the sensitive answers of registration ${registrationId} (since removed)`],
      ["Ana Martins", "Changed the profile of Ana Martins"],
      ["Bo Lindqvist", "Published version 3 of the agenda of Audit Meeting"],
    ]);
  });
});
