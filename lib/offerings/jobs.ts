import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { closeDueOfferings } from "./closing";
import { DEPLOY_JOB_OPTIONS, runDeployJob } from "./deployment";

/** Registers the offerings' jobs: token deployment, and closing at the end time (every minute). */
export async function registerOfferingJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  // The queue's own defaults too, so a job sent without options still knows its last attempt.
  await boss.updateQueue(JOBS.deployToken, DEPLOY_JOB_OPTIONS);
  await work(boss, JOBS.deployToken, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const outcome = await runDeployJob(ctx(), job.data.offeringId, job.retryCount >= DEPLOY_JOB_OPTIONS.retryLimit);
      if (outcome === "failed") console.error(`[offerings] deployment of the token of offering ${job.data.offeringId} failed: staff can queue it again`);
    }
  });
  await schedule(boss, JOBS.closeDueOfferings, "* * * * *");
  await work(boss, JOBS.closeDueOfferings, async () => {
    const closed = await closeDueOfferings();
    if (closed > 0) console.log(`[offerings] closed ${closed} offering(s) at their end time`);
  });
}
