import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Migrator, sql as rawSql } from "kysely";
import { kindOf, migrateDown, migrateToLatest, openDatabase, type DB } from "../app/platform/db.server";
import { migrationProvider } from "./migrations/index";
import { DATABASE_KINDS, emptyDatabaseUrl } from "../tests/setup/databases";

const TABLES = [
  "action_items",
  "action_owners",
  "action_updates",
  "agenda_entries",
  "agenda_versions",
  "audit_log",
  "convenings",
  "desk_volunteers",
  "facilitation_labels",
  "facilitators",
  "feed_tokens",
  "fixed_items",
  "form_submissions",
  "group_messages",
  "interests",
  "job_runs",
  "letter_requests",
  "letter_templates",
  "login_tokens",
  "mail_outbox",
  "organizations",
  "people",
  "placements",
  "proposal_tracks",
  "proposals",
  "rate_limit_hits",
  "registration_answers",
  "registration_questions",
  "registration_tracks",
  "registrations",
  "review_criteria",
  "review_scores",
  "reviews",
  "roles",
  "rooms",
  "session_notes",
  "sessions",
  "slots",
  "suggestion_jobs",
  "support_budgets",
  "support_request_items",
  "support_requests",
  "tracks",
  "unavailability",
];

async function tableNames(db: DB): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((n) => !n.startsWith("kysely_")).sort();
}

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  let db: DB;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const empty = await emptyDatabaseUrl(kind);
    drop = empty.drop;
    db = openDatabase(empty.url);
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it("create every table on an empty database, run again without change, and roll back cleanly", async () => {
    expect(await migrateToLatest(db)).toEqual(["2026-11-28T1200_foundation", "2026-11-28T1300_registration", "2026-11-28T1400_proposals", "2026-11-28T1500_agenda", "2026-11-28T1600_calendar", "2026-11-28T1700_actions", "2026-11-29T0900_privacy", "2026-11-29T1000_scale", "2026-12-02T1200_group_messages", "2026-12-02T1400_forms_audit", "2026-12-02T1500_mail_priority", "2026-12-02T1600_release_preview", "2026-12-03T1000_session_alone", "2026-12-03T1100_suggestion_jobs", "2026-12-04T0900_sensitive_readers", "2026-12-04T1100_registration_table", "2026-12-04T1200_registration_questions", "2026-12-04T1300_travel_support", "2026-12-04T1400_letters", "2026-12-04T1500_check_in_desk"]);
    expect(await tableNames(db)).toEqual(TABLES);
    expect(await migrateToLatest(db)).toEqual([]);
    await migrateDown(db);
    expect(await tableNames(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual(["2026-11-28T1200_foundation", "2026-11-28T1300_registration", "2026-11-28T1400_proposals", "2026-11-28T1500_agenda", "2026-11-28T1600_calendar", "2026-11-28T1700_actions", "2026-11-29T0900_privacy", "2026-11-29T1000_scale", "2026-12-02T1200_group_messages", "2026-12-02T1400_forms_audit", "2026-12-02T1500_mail_priority", "2026-12-02T1600_release_preview", "2026-12-03T1000_session_alone", "2026-12-03T1100_suggestion_jobs", "2026-12-04T0900_sensitive_readers", "2026-12-04T1100_registration_table", "2026-12-04T1200_registration_questions", "2026-12-04T1300_travel_support", "2026-12-04T1400_letters", "2026-12-04T1500_check_in_desk"]);
  });

  it("make email addresses unique without regard to case, by storing them in lower case", async () => {
    const now = new Date().toISOString();
    await db.insertInto("people").values({ email: "case@example.org", created_at: now, updated_at: now }).execute();
    await expect(db.insertInto("people").values({ email: "Case@example.org", created_at: now, updated_at: now }).execute()).rejects.toThrow();
    await expect(db.insertInto("people").values({ email: "case@example.org", created_at: now, updated_at: now }).execute()).rejects.toThrow();
  });

  it("enforce foreign keys", async () => {
    await expect(
      db.insertInto("tracks").values({ convening_id: 999, slug: "x", name: "X", color: "#000", position: 0 }).execute(),
    ).rejects.toThrow();
    if (kind === "sqlite") {
      const fk = await rawSql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    }
  });

  it("give every existing registration a check-in code, unique within its convening, from the unambiguous alphabet", async () => {
    const empty = await emptyDatabaseUrl(kind);
    const old = openDatabase(empty.url);
    try {
      const { error } = await new Migrator({ db: old, provider: migrationProvider(kindOf(old)) }).migrateTo("2026-12-04T0900_sensitive_readers");
      expect(error).toBeUndefined();
      const now = new Date().toISOString();
      const conveningIds: number[] = [];
      for (const slug of ["one", "two"]) {
        const row = await old.insertInto("convenings").values({ slug, title: slug, starts_on: "2027-06-01", ends_on: "2027-06-03", time_zone: "Europe/Lisbon", created_at: now }).returning("id").executeTakeFirstOrThrow();
        conveningIds.push(row.id);
      }
      for (let i = 0; i < 40; i++) {
        const person = await old.insertInto("people").values({ email: `p${i}@example.org`, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
        await old
          .insertInto("registrations")
          .values({ convening_id: conveningIds[i % 2]!, person_id: person.id, status: "confirmed", attendance: "in_person", display_name: `P ${i}`, queued_at: now, created_at: now, updated_at: now } as never)
          .execute();
      }
      // Later migrations run too; the backfill is the check-in migration's.
      expect((await migrateToLatest(old)).filter((name) => name >= "2026-12-04T1500")[0]).toBe("2026-12-04T1500_check_in_desk");
      const rows = await old.selectFrom("registrations").select(["convening_id", "check_in_code"]).execute();
      expect(rows).toHaveLength(40);
      for (const r of rows) expect(r.check_in_code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
      for (const id of conveningIds) expect(new Set(rows.filter((r) => r.convening_id === id).map((r) => r.check_in_code)).size).toBe(20);
      // The unique index holds the rule from now on.
      const taken = rows[0]!;
      const person = await old.insertInto("people").values({ email: "late@example.org", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
      await expect(
        old.insertInto("registrations").values({ convening_id: taken.convening_id, person_id: person.id, status: "confirmed", attendance: "in_person", display_name: "Late", queued_at: now, created_at: now, updated_at: now, check_in_code: taken.check_in_code }).execute(),
      ).rejects.toThrow();
    } finally {
      await old.destroy();
      await empty.drop();
    }
  });

  it("give mail queued before priorities the priority of its template, bulk after everything else", async () => {
    const empty = await emptyDatabaseUrl(kind);
    const old = openDatabase(empty.url);
    try {
      const { error } = await new Migrator({ db: old, provider: migrationProvider(kindOf(old)) }).migrateTo("2026-12-02T1400_forms_audit");
      expect(error).toBeUndefined();
      const now = new Date().toISOString();
      const row = (to: string, template: string) => ({ to_address: to, template, subject: "s", text_body: "t", html_body: "h", next_attempt_at: now, created_at: now });
      await old.insertInto("mail_outbox").values([row("a@example.org", "agenda-changed"), row("b@example.org", "sign-in"), row("c@example.org", "action-digest"), row("d@example.org", "registration-confirmed")]).execute();
      expect(await migrateToLatest(old)).toEqual(["2026-12-02T1500_mail_priority", "2026-12-02T1600_release_preview", "2026-12-03T1000_session_alone", "2026-12-03T1100_suggestion_jobs", "2026-12-04T0900_sensitive_readers", "2026-12-04T1100_registration_table", "2026-12-04T1200_registration_questions", "2026-12-04T1300_travel_support", "2026-12-04T1400_letters", "2026-12-04T1500_check_in_desk"]);
      expect(await old.selectFrom("mail_outbox").select(["to_address", "priority"]).orderBy("id").execute()).toEqual([
        { to_address: "a@example.org", priority: 1 },
        { to_address: "b@example.org", priority: 0 },
        { to_address: "c@example.org", priority: 1 },
        { to_address: "d@example.org", priority: 0 },
      ]);
    } finally {
      await old.destroy();
      await empty.drop();
    }
  });
});
