// `npm run convene -- COMMAND`: the operator's command line.
import process from "node:process";
import { solveCommand } from "./solve";
import { seedDemo, isEmpty } from "../app/features/demo/seed";
import { addSiteOrganizer } from "../app/modules/auth/roles.server";
import { runJobsOnce } from "../app/features/jobs/jobs.server";
import { deliverDueMail } from "../app/platform/mail/sender.server";
import { transportFromEnv } from "../app/platform/mail/transport.server";
import { backupDatabase, BackupError, restoreDatabase } from "../app/platform/backup.server";
import { emailSchema } from "../app/modules/people/schema";
import { checkDatabase, closeDb, getDb, migrateToLatest } from "../app/platform/db.server";
import { getEnv } from "../app/platform/env.server";

const USAGE = `Usage: npm run convene -- <command>

Commands:
  migrate                 create or update the database schema
  add-organizer EMAIL [--no-sensitive]
                          make the person with this address an organizer of every convening
                          (who reads sensitive answers, unless --no-sensitive)
  send-mail               deliver queued mail once
  run-jobs                run every background job once (for cron)
  seed-demo               load the demo convening into an empty database
  prepare-demo            migrate, and load the demo when the database is empty
  backup FILE             copy the SQLite database into FILE, safely while the server runs
  restore FILE            replace the SQLite database with the backup in FILE (stop the server first)
  solve FILE [--seed N] [--fairness] [--fresh] [--seconds N]
                          schedule the sessions of an instance file; prints the result as JSON
                          (keeps published places unless --fresh; stops after N seconds, 110)`;

async function openMigrated() {
  const db = getDb();
  await checkDatabase(db);
  await migrateToLatest(db);
  return db;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "solve") return solveCommand(args);
  const env = getEnv();
  switch (command) {
    case "migrate": {
      const db = getDb();
      await checkDatabase(db);
      const applied = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
      return 0;
    }
    case "add-organizer": {
      const parsed = emailSchema.safeParse(args[0]);
      if (!parsed.success) {
        console.error("add-organizer needs a valid email address, for example: npm run convene -- add-organizer ana@example.org");
        return 2;
      }
      const db = await openMigrated();
      const result = await addSiteOrganizer(db, parsed.data, null, new Date(), { readsSensitive: !args.includes("--no-sensitive") });
      console.log(result.added ? `${parsed.data} is now an organizer.` : `${parsed.data} was already an organizer.`);
      return 0;
    }
    case "send-mail": {
      const db = await openMigrated();
      const transport = transportFromEnv(env);
      const result = await deliverDueMail(db, transport, { from: env.mailFrom });
      transport.close();
      console.log(`Sent ${result.sent}, will retry ${result.retrying}, failed ${result.failed}.`);
      return 0;
    }
    case "run-jobs": {
      const db = await openMigrated();
      const transport = transportFromEnv(env);
      const outcome = await runJobsOnce({ db, transport, mailFrom: env.mailFrom, now: () => new Date() });
      transport.close();
      console.log(Object.entries(outcome).map(([name, result]) => `${name}: ${result}`).join("\n"));
      return Object.values(outcome).every((r) => r === "ok") ? 0 : 1;
    }
    case "seed-demo":
    case "prepare-demo": {
      const db = await openMigrated();
      if (!(await isEmpty(db))) {
        console.log(command === "seed-demo" ? "The database already has data; the demo was not loaded." : "The database is ready.");
        return command === "seed-demo" ? 1 : 0;
      }
      const result = await seedDemo(db);
      console.log(`Loaded the demo convening with ${result.people} participants. Organizer: organizer@example.org`);
      return 0;
    }
    case "backup":
    case "restore": {
      const file = args[0];
      if (!file || args.length > 1) {
        console.error(`${command} needs one file, for example: npm run convene -- ${command} backups/convene-2027-06-01.db`);
        return 2;
      }
      try {
        if (command === "backup") {
          const result = await backupDatabase(env.databaseUrl, file);
          console.log(`Backed up ${env.databaseUrl} to ${result.file} (${result.bytes} bytes, ${result.migrations.length} migrations).`);
        } else {
          const result = await restoreDatabase(env.databaseUrl, file);
          console.log(`Restored ${result.database} from ${file} (${result.migrations.length} migrations). Start the server to use it.`);
        }
        return 0;
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        console.error(error.message);
        return 1;
      }
    }
    default:
      console.error(command ? `Unknown command: ${command}\n\n${USAGE}` : USAGE);
      return 2;
  }
}

main(process.argv.slice(2))
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error: Error) => {
    console.error(error.name === "ConfigError" || error.name === "DatabaseOpenError" ? error.message : error);
    await closeDb().catch(() => {});
    process.exit(1);
  });
