import "server-only";
import type { JobResult, PgBoss } from "pg-boss";
import { getDb } from "@/db/client";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS, type JobData } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { deliverPendingEmails, MAX_EMAIL_ATTEMPTS } from "./delivery";

type Executor = Parameters<typeof enqueue>[0];

/** Reruns with growing pauses (1, 2, 4… minutes); one more run than a row has attempts, to spare. */
export const MAIL_JOB_OPTIONS = { retryLimit: MAX_EMAIL_ATTEMPTS, retryDelay: 60, retryBackoff: true } as const;

/** Queues the mail of an update's new notifications, in the transaction that created them. */
export async function enqueueNotificationMail(tx: Executor, updateId: string): Promise<void> {
  await enqueue(tx, JOBS.notificationMail, { updateId }, MAIL_JOB_OPTIONS);
}

/**
 * The mail job. For one update it throws when a send failed and may be tried again, so pg-boss
 * runs it again later; the rows still pending are all that a rerun mails. The sweep mails
 * whatever is pending (a lost or exhausted job, mail queued before this job existed) and leaves
 * failures to the next sweep.
 */
export async function runNotificationMailJob(data: JobData<typeof JOBS.notificationMail>): Promise<void> {
  if (data.sweep) {
    const { failed } = await deliverPendingEmails({ sweep: "updates" });
    if (failed > 0) console.error(`[notifications] sweep: ${failed} mail(s) failed, tried again on the next sweep`);
    return;
  }
  const { toRetry, more } = await deliverPendingEmails({ updateId: data.updateId });
  // A large update is mailed a batch per job.
  if (more) await enqueueNotificationMail(getDb(), data.updateId);
  if (toRetry > 0) throw new Error(`${toRetry} notification mail(s) failed, will be retried`);
}

/** The mail of one notice (lib/notifications/notices.ts), retried by pg-boss like an update's; or the sweep of pending notices. */
export async function runNoticeMailJob(data: JobData<typeof JOBS.noticeMail>): Promise<void> {
  if (data.sweep) {
    const { failed } = await deliverPendingEmails({ sweep: "notices" });
    if (failed > 0) console.error(`[notices] sweep: ${failed} mail(s) failed, tried again on the next sweep`);
    return;
  }
  const { toRetry } = await deliverPendingEmails({ notificationId: data.notificationId });
  if (toRetry > 0) throw new Error(`notice ${data.notificationId}: mail failed, will be retried`);
}

export async function registerNotificationJobs(boss: PgBoss): Promise<void> {
  await schedule(boss, JOBS.notificationMail, "*/10 * * * *", { sweep: true });
  await work(boss, JOBS.notificationMail, async (jobs) => {
    for (const job of jobs) await runNotificationMailJob(job.data);
  });
  // Mail about money is the one an investor waits for: its sweep runs more often.
  await schedule(boss, JOBS.noticeMail, "*/5 * * * *", { sweep: true });
  // One job per notice: fetched in batches (a sale makes many at once), each settled on its own so
  // one failed send retries only its own job.
  await boss.work<JobData<typeof JOBS.noticeMail>>(JOBS.noticeMail, { batchSize: 20, burstWhenBatchFull: true, perJobResults: true }, async (jobs): Promise<JobResult[]> => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      try {
        await runNoticeMailJob(job.data);
        results.push({ id: job.id, status: "completed" });
      } catch (error) {
        results.push({ id: job.id, status: "failed", output: { message: error instanceof Error ? error.message : String(error) } });
      }
    }
    return results;
  });
}
