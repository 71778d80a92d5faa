import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import type { PaymentProvider } from "@/lib/payments/provider";
import { finishCoolingOffCancel, sweepCoolingOff } from "./refund";

/** A cancellation older than this without its release or refund is the sweep's. */
const SWEEP_AFTER_MS = 5 * 60 * 1000;

/**
 * The job of each cooling-off cancellation (queued with it), retried with growing pauses while the
 * processor cannot be reached or the payment's own event has not come yet, and a sweep every ten
 * minutes for what a lost or exhausted job left.
 */
export async function registerCoolingOffJobs(boss: PgBoss, options: { provider?: PaymentProvider } = {}): Promise<void> {
  await boss.updateQueue(JOBS.coolingOffRefund, { retryLimit: 12, retryDelay: 10, retryBackoff: true, retryDelayMax: 1800 });
  await work(boss, JOBS.coolingOffRefund, async (jobs) => {
    for (const job of jobs) {
      if (job.data.sweep) {
        await sweepCoolingOff(new Date(Date.now() - SWEEP_AFTER_MS), options.provider);
      } else if ((await finishCoolingOffCancel(job.data.orderId, options.provider)) === "waitingForPayment") {
        throw new Error(`order ${job.data.orderId}: paid at the processor, its payment event has not come yet`);
      }
    }
  });
  await schedule(boss, JOBS.coolingOffRefund, "*/10 * * * *", { sweep: true });
}
