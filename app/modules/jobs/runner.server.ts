// Background work inside the server process: wakes every minute and runs each job once.
// Jobs are idempotent and catch up after downtime, so running them twice or late is harmless.
import type { Executor } from "../../utils/db.server";
import { deliverDueMail } from "../mail/sender.server";
import type { MailTransport } from "../mail/transport.server";
import { pruneLoginTokens } from "../auth/login.server";
import { pruneRateLimits } from "../auth/rate-limit.server";
import { pruneSessions } from "../auth/session.server";
import { promoteFromWaitlists } from "../registration/registration.server";
import { confirmReadyProposals } from "../proposals/proposals.server";
import { sendActionReminders, sendMonthlyDigests } from "../actions/actions.server";
import { eraseExpiredAnswers } from "../privacy/erase.server";

export interface JobContext {
  db: Executor;
  transport: MailTransport;
  mailFrom: string;
  now: () => Date;
}

interface Job {
  name: string;
  run(ctx: JobContext): Promise<unknown>;
}

export const JOBS: Job[] = [
  { name: "promote-waitlists", run: (ctx) => promoteFromWaitlists(ctx.db, ctx.now()) },
  {
    name: "confirm-sessions",
    run: async (ctx) => {
      const convenings = await ctx.db.selectFrom("proposals").select("convening_id").distinct().where("status", "in", ["accepted", "confirmed"]).execute();
      for (const { convening_id } of convenings) await confirmReadyProposals(ctx.db, convening_id, ctx.now());
    },
  },
  { name: "action-reminders", run: (ctx) => sendActionReminders(ctx.db, ctx.now()) },
  {
    name: "action-digests",
    run: async (ctx) => {
      // Once a month is enough to look; the dedupe key keeps a second look from sending twice.
      const last = await ctx.db.selectFrom("job_runs").select("last_run_at").where("name", "=", "action-digests").executeTakeFirst();
      if (last && last.last_run_at.slice(0, 7) === ctx.now().toISOString().slice(0, 7)) return;
      await sendMonthlyDigests(ctx.db, ctx.now());
    },
  },
  { name: "erase-expired-answers", run: (ctx) => eraseExpiredAnswers(ctx.db, ctx.now()) },
  { name: "send-mail", run: (ctx) => deliverDueMail(ctx.db, ctx.transport, { from: ctx.mailFrom, now: ctx.now }) },
  {
    name: "prune-expired",
    run: async (ctx) => {
      const now = ctx.now();
      await pruneLoginTokens(ctx.db, now);
      await pruneSessions(ctx.db, now);
      await pruneRateLimits(ctx.db, now);
    },
  },
];

export async function runJobsOnce(ctx: JobContext): Promise<Record<string, "ok" | "failed">> {
  const outcome: Record<string, "ok" | "failed"> = {};
  for (const job of JOBS) {
    try {
      await job.run(ctx);
      const at = ctx.now().toISOString();
      await ctx.db
        .insertInto("job_runs")
        .values({ name: job.name, last_run_at: at })
        .onConflict((oc) => oc.column("name").doUpdateSet({ last_run_at: at }))
        .execute();
      outcome[job.name] = "ok";
    } catch (error) {
      outcome[job.name] = "failed";
      console.warn(`job ${job.name} failed: ${(error as Error).message}`);
    }
  }
  return outcome;
}

export interface Runner {
  /** Sends queued mail soon, without waiting for the next minute. */
  kickMail(): void;
  stop(): Promise<void>;
}

export function startJobRunner(ctx: JobContext, intervalMs = 60_000): Runner {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const enqueue = (work: () => Promise<unknown>) => {
    running = running.then(work, work).catch(() => {});
  };
  // A round still waiting or running is not queued again: a slow round never builds a backlog.
  let roundPending = false;
  const round = () => {
    if (roundPending) return;
    roundPending = true;
    enqueue(async () => {
      try {
        await runJobsOnce(ctx);
      } finally {
        roundPending = false;
      }
    });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  round();
  let kickPending = false;
  return {
    kickMail() {
      if (stopped || kickPending) return;
      kickPending = true;
      enqueue(async () => {
        kickPending = false;
        await deliverDueMail(ctx.db, ctx.transport, { from: ctx.mailFrom, now: ctx.now });
      });
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
