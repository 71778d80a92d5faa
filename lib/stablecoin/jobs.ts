import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { settleStablecoinPayment, sweepStablecoinPayments } from "./settle";

/**
 * The settlement job of a submitted stablecoin payment (queued with it), retried with backoff
 * while the chain is unreachable, and a sweep every minute for what a lost job left: a buyer waits
 * on the order page, and the authorisation expires with the reservation.
 */
export async function registerStablecoinJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  await boss.updateQueue(JOBS.stablecoinSettle, { retryLimit: 12, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 20 * 60 });
  await work(boss, JOBS.stablecoinSettle, { pollingIntervalSeconds: 0.5, batchSize: 20 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      try {
        if (data.sweep) await sweepStablecoinPayments(ctx());
        else await settleStablecoinPayment(ctx(), data.paymentId);
      } catch (error) {
        // pg-boss keeps a failed job's error as JSON and viem's errors carry bigints: hand on a plain message.
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[stablecoin] settlement ${JSON.stringify(data)} failed, will be retried: ${message}`);
        throw new Error(message);
      }
    }
  });
  await schedule(boss, JOBS.stablecoinSettle, "* * * * *", { sweep: true });
}
