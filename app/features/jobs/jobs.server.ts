// The jobs the server runs in the background, in this order each round. Each is idempotent and
// catches up after downtime, so running it twice or late is harmless.
import { deliverDueMail } from "../../platform/mail/sender.server";
import { runJobs, type Job, type JobContext } from "../../platform/jobs/runner.server";
import { pruneLoginTokens } from "../../modules/auth/login.server";
import { pruneRateLimits } from "../../modules/auth/rate-limit.server";
import { pruneSessions } from "../../modules/auth/session.server";
import { pruneSubmissions } from "../../platform/submissions.server";
import { promoteFromWaitlists } from "../../modules/registration/waitlist.server";
import { confirmReadyProposals } from "../../modules/proposals/decisions.server";
import { sendActionReminders, sendMonthlyDigests } from "../../modules/actions/reminders.server";
import { eraseExpiredAnswers } from "../account/erase.server";
import { ACCEPTED_STATUSES } from "../../modules/proposals/states";

export const JOBS: readonly Job[] = [
  { name: "promote-waitlists", run: (ctx) => promoteFromWaitlists(ctx.db, ctx.now()) },
  {
    name: "confirm-sessions",
    run: async (ctx) => {
      const convenings = await ctx.db.selectFrom("proposals").select("convening_id").distinct().where("status", "in", [...ACCEPTED_STATUSES]).execute();
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
  { name: "send-mail", run: (ctx) => (ctx.sendMail ? ctx.sendMail() : deliverDueMail(ctx.db, ctx.transport, { from: ctx.mailFrom, now: ctx.now })) },
  {
    name: "prune-expired",
    run: async (ctx) => {
      const now = ctx.now();
      await pruneLoginTokens(ctx.db, now);
      await pruneSessions(ctx.db, now);
      await pruneRateLimits(ctx.db, now);
      await pruneSubmissions(ctx.db, now);
    },
  },
];

/** One round of every job, as the server's runner does each minute (the CLI's run-jobs). */
export function runJobsOnce(ctx: JobContext) {
  return runJobs(ctx, JOBS);
}
