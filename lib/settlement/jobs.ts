import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS, type JobData } from "@/lib/jobs/names";
import { work } from "@/lib/jobs/work";
import type { SettlementDeps } from "./compute";
import { makeReport } from "./reports";

/**
 * Makes one report. A processor or chain that does not answer throws, so pg-boss runs the job
 * again later; an offering that is gone or not closed is logged and left (retrying changes nothing).
 */
export async function runSettleJob(data: JobData<typeof JOBS.settleOffering>, deps?: SettlementDeps): Promise<void> {
  const made = await makeReport(data.offeringId, data.requestedBy, deps);
  if (!made.ok) console.error(`[settlement] no report for offering ${data.offeringId}: ${made.error}`);
}

/** Registers the settlement report job, retried with growing pauses (from under a minute up to an hour, some six hours in all). */
export async function registerSettlementJobs(boss: PgBoss): Promise<void> {
  await boss.updateQueue(JOBS.settleOffering, { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  await work(boss, JOBS.settleOffering, async (jobs) => {
    for (const job of jobs) {
      try {
        await runSettleJob(job.data);
      } catch (error) {
        // pg-boss keeps the error as JSON: a plain message (viem's errors carry bigints).
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[settlement] report for offering ${job.data.offeringId} failed, will be retried: ${message}`);
        throw new Error(message);
      }
    }
  });
}
