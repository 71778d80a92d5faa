import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { sendWithdrawal, sweepWithdrawals } from "./send";

/** pg-boss keeps a failed job's error as JSON and viem's errors carry bigints: hand on a plain message. */
async function plainly(what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[withdrawals] ${what} failed, will be retried: ${message}`);
    throw new Error(message);
  }
}

/**
 * The send job of one withdrawal (queued with the request), retried with backoff while the chain
 * is unreachable, and a sweep every three minutes for whatever a lost job or a restarted worker left.
 */
export async function registerWithdrawalJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  await boss.updateQueue(JOBS.withdrawalSend, { retryLimit: 12, retryDelay: 15, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  await work(boss, JOBS.withdrawalSend, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      await plainly(`withdrawal ${JSON.stringify(data)}`, async () => {
        if (data.sweep) {
          const { errors } = await sweepWithdrawals(ctx());
          if (errors > 0) throw new Error(`${errors} withdrawal(s) could not be followed now`);
        } else {
          const status = await sendWithdrawal(ctx(), data.withdrawalId);
          if (status === "failed") console.error(`[withdrawals] withdrawal ${data.withdrawalId} failed; the holder was told`);
        }
      });
    }
  });
  await schedule(boss, JOBS.withdrawalSend, "*/3 * * * *", { sweep: true });
}
