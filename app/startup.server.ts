// What the server does before it listens: check configuration, open and migrate the database,
// start the background jobs and the runner of scheduler suggestions. Errors here stop start-up with a message naming the setting.
import { checkDatabase, closeDb, getDb, migrateToLatest } from "./platform/db.server";
import { getEnv } from "./platform/env.server";
import { startJobRunner, type Runner } from "./platform/jobs/runner.server";
import { JOBS } from "./features/jobs/jobs.server";
import { transportFromEnv } from "./platform/mail/transport.server";
import { whenMailWaits } from "./platform/mail/outbox.server";
import { startSuggestionRunner, type SuggestionRunner } from "./modules/agenda/suggestions.server";

let runner: Runner | undefined;
let stopNudging: (() => void) | undefined;
let suggestions: SuggestionRunner | undefined;

export async function startApp(): Promise<{ databaseKind: string; migrations: string[] }> {
  const env = getEnv();
  const db = getDb();
  await checkDatabase(db);
  const migrations = await migrateToLatest(db);
  if (env.jobs && !runner) {
    runner = startJobRunner({ db, transport: transportFromEnv(env), mailFrom: env.mailFrom, now: () => new Date() }, JOBS, env.jobIntervalMs);
    // Mail queued by a request is delivered right after its transaction commits, not a minute later.
    const started = runner;
    stopNudging = whenMailWaits(() => started.kickMail());
  }
  // Suggestions run whatever JOBS says: an organizer waits for them on the page.
  suggestions ??= startSuggestionRunner(db);
  return { databaseKind: env.databaseKind, migrations };
}

export async function stopApp(): Promise<void> {
  stopNudging?.();
  stopNudging = undefined;
  await suggestions?.stop();
  suggestions = undefined;
  await runner?.stop();
  runner = undefined;
  await closeDb();
}
