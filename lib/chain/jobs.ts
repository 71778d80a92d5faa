import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS, type JobName } from "@/lib/jobs/names";
import { schedule, send, work, type JobHandler } from "@/lib/jobs/work";
import { allocateWaiting } from "./allocate";
import { allowlistWallets } from "./allowlist";
import { clawbackOrder, freezeOrder, sweepCompliance, unfreezeOrder } from "./compliance";
import { chainContext, type ChainContext } from "./context";
import { followOperation, sweepOperations } from "./operations";
import { reconcileAll } from "./reconcile";

/**
 * pg-boss stores a failed job's error as JSON, and viem's errors carry bigints: a handler's
 * failure is handed on as a plain message.
 */
function plainErrors<N extends JobName>(name: N, handler: JobHandler<N>): JobHandler<N> {
  return async (jobs) => {
    try {
      await handler(jobs);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`[chain] ${name} failed, will be retried: ${message}`);
      throw new Error(message);
    }
  };
}

const CHAIN_QUEUES = [JOBS.allocate, JOBS.allowlist, JOBS.clawback, JOBS.freeze, JOBS.unfreeze, JOBS.reconcile, JOBS.chainOperation] as const;

/**
 * Registers the chain's job handlers on the worker. Every handler reads the state of the orders
 * and of the chain to decide what is left to do, so a job that runs twice, concurrently or after
 * a crash changes nothing twice. A minute's sweep (and one at start) finishes whatever a lost or
 * exhausted job, or a killed worker, left behind.
 */
export async function registerChainJobs(boss: PgBoss, options: { context?: ChainContext; allocatePollSeconds?: number } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  for (const name of CHAIN_QUEUES) {
    // A node that is down for longer than a job waits: retry later, with growing pauses.
    // An allocation job wakes the worker at once (a NOTIFY at the commit that paid the order).
    await boss.updateQueue(name, { retryLimit: 12, retryDelay: 5, retryBackoff: true, expireInSeconds: 20 * 60, ...(name === JOBS.allocate ? { notify: true } : {}) });
  }
  const poll = { pollingIntervalSeconds: 0.5 };

  // One run allocates every waiting order, so a batch of jobs is handled by one run. Woken by
  // NOTIFY, it polls only as a fallback: for retries, and every 0.5 s while nobody listens.
  await work(
    boss,
    JOBS.allocate,
    { pollingIntervalSeconds: options.allocatePollSeconds ?? 0.5, notifyPollingIntervalSeconds: options.allocatePollSeconds ?? 5, batchSize: 200 },
    plainErrors(JOBS.allocate, async (jobs) => {
      await allocateWaiting(ctx());
      if (jobs.some((job) => job.data?.sweep)) await sweepCompliance(ctx());
    }),
  );
  await work(
    boss,
    JOBS.allowlist,
    { ...poll, batchSize: 200 },
    plainErrors(JOBS.allowlist, async (jobs) => {
      await allowlistWallets(
        ctx(),
        jobs.map((job) => job.data.userId),
      );
    }),
  );
  await work(
    boss,
    JOBS.clawback,
    { ...poll, batchSize: 20 },
    plainErrors(JOBS.clawback, async (jobs) => {
      for (const job of jobs) await clawbackOrder(ctx(), job.data.orderId);
    }),
  );
  await work(
    boss,
    JOBS.freeze,
    { ...poll, batchSize: 20 },
    plainErrors(JOBS.freeze, async (jobs) => {
      for (const job of jobs) await freezeOrder(ctx(), job.data.orderId);
    }),
  );
  await work(
    boss,
    JOBS.unfreeze,
    { ...poll, batchSize: 20 },
    plainErrors(JOBS.unfreeze, async (jobs) => {
      for (const job of jobs) await unfreezeOrder(ctx(), job.data.orderId);
    }),
  );
  await work(
    boss,
    JOBS.reconcile,
    plainErrors(JOBS.reconcile, async () => {
      const result = await reconcileAll(ctx());
      if (result.reconcile !== "ok") console.error(`[chain] reconciliation: ${JSON.stringify(result)}`);
    }),
  );

  // Staff operations on a token (pause, freeze, forced transfer): followed to their receipt.
  await work(
    boss,
    JOBS.chainOperation,
    { ...poll, batchSize: 20 },
    plainErrors(JOBS.chainOperation, async (jobs) => {
      for (const job of jobs) {
        if (job.data?.chainTransactionId) await followOperation(ctx(), job.data.chainTransactionId);
        if (job.data?.sweep) await sweepOperations(ctx());
      }
    }),
  );

  await schedule(boss, JOBS.reconcile, "*/10 * * * *");
  await schedule(boss, JOBS.chainOperation, "* * * * *", { sweep: true });
  await schedule(boss, JOBS.allocate, "* * * * *", { sweep: true });
  await send(boss, JOBS.allocate, { sweep: true });
}
