import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { cancelReleasedPayment, sweepUncancelledPayments } from "./cancel";
import { sendPaymentReminders } from "./reminder";

/**
 * Konbini and bank transfer: cancelling the payment of a released order at the processor (one job
 * per order, retried, and a sweep for lost ones), and the hourly "payment due tomorrow" reminder.
 */
export async function registerDeferredPaymentJobs(boss: PgBoss): Promise<void> {
  await work(boss, JOBS.cancelDeferredPayment, async (jobs) => {
    for (const job of jobs) {
      if (job.data?.orderId) await cancelReleasedPayment(job.data.orderId);
      if (job.data?.sweep) await sweepUncancelledPayments(new Date(Date.now() - 10 * 60 * 1000));
    }
  });
  await schedule(boss, JOBS.cancelDeferredPayment, "*/15 * * * *", { sweep: true });
  await work(boss, JOBS.paymentReminder, async () => {
    await sendPaymentReminders();
  });
  await schedule(boss, JOBS.paymentReminder, "5 * * * *");
}
