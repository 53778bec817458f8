// `npm run convene -- COMMAND`: the operator's command line.
import process from "node:process";
import { seedDemo, isEmpty } from "../db/seed";
import { addSiteOrganizer } from "../app/modules/auth/roles.server";
import { runJobsOnce } from "../app/modules/jobs/runner.server";
import { deliverDueMail } from "../app/modules/mail/sender.server";
import { transportFromEnv } from "../app/modules/mail/transport.server";
import { emailSchema } from "../app/modules/people/schema";
import { checkDatabase, closeDb, getDb, migrateToLatest } from "../app/utils/db.server";
import { getEnv } from "../app/utils/env.server";

const USAGE = `Usage: npm run convene -- <command>

Commands:
  migrate                 create or update the database schema
  add-organizer EMAIL     make the person with this address an organizer of every convening
  send-mail               deliver queued mail once
  run-jobs                run every background job once (for cron)
  seed-demo               load the demo convening into an empty database
  prepare-demo            migrate, and load the demo when the database is empty`;

async function openMigrated() {
  const db = getDb();
  await checkDatabase(db);
  await migrateToLatest(db);
  return db;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
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
      const result = await addSiteOrganizer(db, parsed.data);
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
