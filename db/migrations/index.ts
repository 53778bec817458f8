// Migrations are listed here explicitly (not read from the folder at run time) so the built
// server bundle carries them. Names sort in the order they run.
import type { Kysely, Migration, MigrationProvider } from "kysely";
import * as foundation from "./2026-11-28T1200_foundation";
import * as registration from "./2026-11-28T1300_registration";
import * as proposals from "./2026-11-28T1400_proposals";
import * as agenda from "./2026-11-28T1500_agenda";
import * as calendar from "./2026-11-28T1600_calendar";
import * as actions from "./2026-11-28T1700_actions";
import * as privacy from "./2026-11-29T0900_privacy";
import * as scale from "./2026-11-29T1000_scale";
import * as groupMessages from "./2026-12-02T1200_group_messages";
import * as formsAudit from "./2026-12-02T1400_forms_audit";
import * as mailPriority from "./2026-12-02T1500_mail_priority";
import * as releasePreview from "./2026-12-02T1600_release_preview";
import * as sessionAlone from "./2026-12-03T1000_session_alone";
import * as suggestionJobs from "./2026-12-03T1100_suggestion_jobs";
import * as sensitiveReaders from "./2026-12-04T0900_sensitive_readers";
import * as registrationTable from "./2026-12-04T1100_registration_table";
import * as registrationQuestions from "./2026-12-04T1200_registration_questions";
import * as travelSupport from "./2026-12-04T1300_travel_support";
import * as letters from "./2026-12-04T1400_letters";
import * as checkInDesk from "./2026-12-04T1500_check_in_desk";

import type { MigrationDialect } from "../dialect";
export type { MigrationDialect };

interface DialectMigration {
  up(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
  down?(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
}

const migrations: Record<string, DialectMigration> = {
  "2026-11-28T1200_foundation": foundation,
  "2026-11-28T1300_registration": registration,
  "2026-11-28T1400_proposals": proposals,
  "2026-11-28T1500_agenda": agenda,
  "2026-11-28T1600_calendar": calendar,
  "2026-11-28T1700_actions": actions,
  "2026-11-29T0900_privacy": privacy,
  "2026-11-29T1000_scale": scale,
  "2026-12-02T1200_group_messages": groupMessages,
  "2026-12-02T1400_forms_audit": formsAudit,
  "2026-12-02T1500_mail_priority": mailPriority,
  "2026-12-02T1600_release_preview": releasePreview,
  "2026-12-03T1000_session_alone": sessionAlone,
  "2026-12-03T1100_suggestion_jobs": suggestionJobs,
  "2026-12-04T0900_sensitive_readers": sensitiveReaders,
  "2026-12-04T1100_registration_table": registrationTable,
  "2026-12-04T1200_registration_questions": registrationQuestions,
  "2026-12-04T1300_travel_support": travelSupport,
  "2026-12-04T1400_letters": letters,
  "2026-12-04T1500_check_in_desk": checkInDesk,
};

export function migrationProvider(dialect: MigrationDialect): MigrationProvider {
  return {
    async getMigrations() {
      const result: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) {
        result[name] = {
          up: (db) => migration.up(db, dialect),
          down: migration.down ? (db) => migration.down!(db, dialect) : undefined,
        };
      }
      return result;
    },
  };
}
