import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { openWaitingVotes } from "@/lib/votes/open";
import { sweepHoldersSnapshots, takeHoldersSnapshot } from "./snapshot";

/**
 * Holders' snapshots for votes and holding perks: one job when staff create a vote or perk whose
 * record date has passed, and a sweep every ten minutes, so a record date is taken soon after it ends.
 */
export async function registerHoldersJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  await boss.updateQueue(JOBS.holdersSnapshot, { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  await work(boss, JOBS.holdersSnapshot, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      try {
        if (data.sweep) await sweepHoldersSnapshots(ctx());
        else await takeHoldersSnapshot({ offeringId: data.offeringId, recordDate: data.recordDate }, ctx());
        // Votes waiting on a snapshot frozen now (or by anyone earlier) open, and their holders are told once.
        await openWaitingVotes(ctx().db);
      } catch (error) {
        // pg-boss keeps a failed job's error as JSON and viem's errors carry bigints: hand on a plain message.
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[holders] snapshot ${JSON.stringify(data)} failed, will be retried: ${message}`);
        throw new Error(message);
      }
    }
  });
  await schedule(boss, JOBS.holdersSnapshot, "*/10 * * * *", { sweep: true });
}
