// Background work inside the server process: wakes every minute and runs each job it was given
// once (the list of jobs is a feature: app/features/jobs).
// Jobs are idempotent and catch up after downtime, so running them twice or late is harmless.
import type { Executor } from "../db.server";
import { deliverDueMail } from "../mail/sender.server";
import type { MailTransport } from "../mail/transport.server";

export interface JobContext {
  db: Executor;
  transport: MailTransport;
  mailFrom: string;
  now: () => Date;
  /**
   * Sends due mail through the process's one sender, when it has one (the server's runner): the
   * send-mail job waits for it rather than starting a second sender beside it.
   */
  sendMail?: () => Promise<void>;
}

export interface Job {
  name: string;
  run(ctx: JobContext): Promise<unknown>;
}

export async function runJobs(ctx: JobContext, jobs: readonly Job[]): Promise<Record<string, "ok" | "failed">> {
  const outcome: Record<string, "ok" | "failed"> = {};
  for (const job of jobs) {
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

export function startJobRunner(ctx: JobContext, jobs: readonly Job[], intervalMs = 60_000): Runner {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const stopping = new AbortController();

  // Mail has its own lane, apart from the rounds: a nudge never waits behind a round's other
  // jobs. One drain at a time; a nudge during a drain asks for one more pass after it (the drain
  // claims each mail afresh, so it usually finds the new mail itself; the pass covers mail
  // committed just after its last claim found nothing).
  let draining: Promise<void> | null = null;
  let again = false;
  const sendMail = (): Promise<void> => {
    if (stopped) return draining ?? Promise.resolve();
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          again = false;
          try {
            await deliverDueMail(ctx.db, ctx.transport, { from: ctx.mailFrom, now: ctx.now, signal: stopping.signal });
          } catch (error) {
            if (!stopped) console.warn(`sending mail failed: ${(error as Error).message}`);
          }
        } while (again && !stopped);
      } finally {
        draining = null;
      }
    })();
    return draining;
  };
  const jobCtx: JobContext = { ...ctx, sendMail };

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
        await runJobs(jobCtx, jobs);
      } finally {
        roundPending = false;
      }
    });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  round();
  return {
    kickMail() {
      void sendMail();
    },
    async stop() {
      stopped = true;
      stopping.abort();
      clearInterval(timer);
      await running;
      await draining;
    },
  };
}
