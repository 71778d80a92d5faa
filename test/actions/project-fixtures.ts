import { count, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, images, projectSpending, projects, projectUpdates } from "@/db/schema";
import { JOBS, type JobData } from "@/lib/jobs/names";
import { runNotificationMailJob } from "@/lib/notifications/jobs";

/** Form fields and counters shared by the project action tests. */
// Email is a job enqueued with the publication (lib/notifications/jobs.ts); here the queued jobs are run by hand.
export async function runScheduled() {
  const queued = await getDb().execute<{ data: JobData<typeof JOBS.notificationMail> }>(sql`delete from pgboss.job where name = ${JOBS.notificationMail} and state = 'created' returning data`);
  for (const job of queued) await runNotificationMailJob(job.data);
}

export type State = { status: string; message?: string; fieldErrors?: Record<string, string> };
export const tally = async () => ({
  projects: (await getDb().select({ n: count() }).from(projects))[0]!.n,
  updates: (await getDb().select({ n: count() }).from(projectUpdates))[0]!.n,
  spending: (await getDb().select({ n: count() }).from(projectSpending))[0]!.n,
  images: (await getDb().select({ n: count() }).from(images))[0]!.n,
  audit: (await getDb().select({ n: count() }).from(auditLog))[0]!.n,
});

export const projectFields = (slug: string, offeringId: string) => ({
  slug,
  titleJa: "森の木道",
  titleEn: "Forest boardwalk",
  summaryJa: "間伐材で木道をつくります。",
  summaryEn: "A boardwalk from thinned timber.",
  bodyJa: "## 計画\n\n全長**800m**の木道です。",
  bodyEn: "## Plan\n\nAn **800 m** boardwalk.",
  budgetYen: "１,２００,０００円",
  status: "planned",
  offeringId,
});
export const updateFields = (projectId: string) => ({
  projectId,
  titleJa: "木道の着工",
  titleEn: "Boardwalk started",
  bodyJa: "最初の**100m**ができました。",
  bodyEn: "The first **100 m** is done.",
  figure_path_metres: "100",
});
