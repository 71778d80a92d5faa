import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { runRedemptionBurns, sweepRedemptionBurns } from "./redemption";
import { dueSnapshots, takeRecordSnapshot } from "./snapshot";

/** pg-boss keeps a failed job's error as JSON and viem's errors carry bigints: hand on a plain message. */
async function plainly(what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[bonds] ${what} failed, will be retried: ${message}`);
    throw new Error(message);
  }
}

/** Takes every due snapshot (a record date that has ended, no snapshot yet or only a failed read). */
export async function sweepRecordSnapshots(ctx: ChainContext, now = new Date()): Promise<void> {
  for (const due of await dueSnapshots(ctx.db, ctx.chainId, now)) {
    const outcome = await takeRecordSnapshot({ ...due, now }, ctx);
    if (outcome.status !== "not_due") console.log(`[bonds] snapshot of ${due.offeringId} for ${due.paymentDate}: ${outcome.status}`);
  }
}

/**
 * The redemption job of one run: burns in batches and, when a batch is refused (one bad holder
 * among good ones), at once sends each of its burns again on its own; what still fails waits for staff.
 */
export async function burnRedemptionRun(runId: string, ctx: ChainContext): Promise<{ burned: number; failed: number }> {
  const first = await runRedemptionBurns(runId, ctx);
  return first.failed > 0 ? runRedemptionBurns(runId, ctx) : first;
}

/**
 * Bond servicing jobs: record-date snapshots (hourly sweep, so a record date is taken within the
 * hour after it ends in Tokyo, and one job per payment when staff ask) and redemption burns (one
 * job per approved final run, and a sweep every five minutes for whatever a lost job left).
 */
export async function registerBondJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  for (const name of [JOBS.recordSnapshot, JOBS.redeemBurn]) {
    await boss.updateQueue(name, { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  }
  await work(boss, JOBS.recordSnapshot, { pollingIntervalSeconds: 5 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      await plainly(`snapshot ${JSON.stringify(data)}`, async () => {
        if (data.sweep) await sweepRecordSnapshots(ctx());
        else await takeRecordSnapshot({ offeringId: data.offeringId, paymentDate: data.paymentDate }, ctx());
      });
    }
  });
  await work(boss, JOBS.redeemBurn, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      await plainly(`redemption ${JSON.stringify(data)}`, async () => {
        if (data.sweep) {
          await sweepRedemptionBurns(ctx());
        } else {
          const result = await burnRedemptionRun(data.runId, ctx());
          if (result.failed > 0) console.error(`[bonds] redemption of run ${data.runId}: ${result.failed} burn(s) failed on chain, see the offering's chain page`);
        }
      });
    }
  });
  await schedule(boss, JOBS.recordSnapshot, "5 * * * *", { sweep: true });
  await schedule(boss, JOBS.redeemBurn, "*/5 * * * *", { sweep: true });
}
