import { and, eq, sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { devMailbox, ledgerEntries, notifications, offerings, projects, projectUpdates } from "@/db/schema";
import { env } from "@/lib/env";
import { JOBS } from "@/lib/jobs/names";
import { setUpdatePublished } from "@/lib/projects/updates";
import type { SessionUser } from "@/lib/auth/roles";
import { MAX_EMAIL_ATTEMPTS } from "./delivery";
import { registerNotificationJobs, runNotificationMailJob } from "./jobs";

/** Addresses whose next sends fail, with how many failures are left; everything else goes to the dev mailbox. */
const failing = vi.hoisted(() => new Map<string, number>());
vi.mock("@/lib/mail", async (importOriginal) => (await import("@/test/failing-mail")).withFailingSends(await importOriginal(), failing));

const db = () => getDb();
let offeringId: string;
let projectId: string;
let staff: SessionUser;

type JobRow = { id: string; state: string; retry_count: number; retry_limit: number; retry_backoff: boolean; data: { updateId?: string } };
const mailJobs = async (updateId: string) =>
  db().execute<JobRow>(sql`select id, state, retry_count, retry_limit, retry_backoff, data from pgboss.job where name = ${JOBS.notificationMail} and data->>'updateId' = ${updateId}`);
const mailCount = async (to: string) => (await db().select().from(devMailbox).where(eq(devMailbox.to, to))).length;
const rowOf = async (userId: string, updateId: string) =>
  (
    await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.updateId, updateId)))
  )[0]!;

async function holder(units = 5): Promise<SessionUser> {
  const user = await makeUser();
  await db().insert(ledgerEntries).values({ kind: "tokens_allocated", offeringId, userId: user.id, units });
  return user;
}

/** A new update of the seeded (published) project, published now: its notifications and mail job commit together. */
async function publishUpdate(): Promise<string> {
  const [update] = await db().insert(projectUpdates).values({ projectId, titleJa: "進捗", titleEn: "Progress", bodyJa: "本文", bodyEn: "Body" }).returning();
  const [{ villageId }] = (await db().select({ villageId: offerings.villageId }).from(offerings).where(eq(offerings.id, offeringId))) as [{ villageId: string }];
  expect(await setUpdatePublished(update!.id, true, staff.id, [villageId])).toMatchObject({ ok: true });
  return update!.id;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  await seedIfEmpty(db());
  staff = await makeUser("staff");
  [{ id: offeringId }] = (await db().select({ id: offerings.id }).from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [{ id: string }];
  [{ id: projectId }] = (await db().select({ id: projects.id }).from(projects).where(eq(projects.slug, "forest-thinning"))) as [{ id: string }];
});
beforeEach(() => failing.clear());

describe("notification mail as a pg-boss job", () => {
  let boss: PgBoss | undefined;
  afterAll(async () => boss?.stop({ graceful: false }));

  it("is enqueued with the publication, retries a failed send with backoff, and mails each holder once", async () => {
    const first = await holder();
    const second = await holder();
    failing.set(second.email, 1);
    const updateId = await publishUpdate();
    // Committed with the notifications: a crash before any mail goes out loses nothing.
    const [queued] = await mailJobs(updateId);
    expect(queued).toMatchObject({ state: "created", retry_limit: MAX_EMAIL_ATTEMPTS, retry_backoff: true, data: { updateId } });

    // The scheduler stays off so the sweep does not run in between.
    boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss", schedule: false });
    await boss.start();
    await registerNotificationJobs(boss);

    const failed = await waitFor(
      async () => (await mailJobs(updateId))[0]!,
      (job) => job.state === "retry",
    );
    expect(failed.state).toBe("retry");
    expect(await mailCount(first.email)).toBe(1);
    expect(await mailCount(second.email)).toBe(0);
    expect(await rowOf(second.id, updateId)).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });

    // The backoff's pause, skipped.
    await db().execute(sql`update pgboss.job set start_after = now() where id = ${failed.id}`);
    const retried = await waitFor(
      async () => (await mailJobs(updateId))[0]!,
      (job) => job.state === "completed",
    );
    expect(retried).toMatchObject({ state: "completed", retry_count: 1 });
    expect(await mailCount(first.email)).toBe(1);
    expect(await mailCount(second.email)).toBe(1);
    expect(await rowOf(first.id, updateId)).toMatchObject({ emailStatus: "sent", emailAttempts: 1 });
    expect(await rowOf(second.id, updateId)).toMatchObject({ emailStatus: "sent", emailAttempts: 2 });

    // A job run again, and the sweep, mail nobody twice.
    await runNotificationMailJob({ updateId });
    await runNotificationMailJob({ sweep: true });
    expect(await mailCount(first.email)).toBe(1);
    expect(await mailCount(second.email)).toBe(1);
    await boss.stop({ graceful: false });
    boss = undefined;
  });

  it("gives up on an address after the last attempt, without holding back the others", async () => {
    const ok = await holder();
    const broken = await holder();
    failing.set(broken.email, 1_000);
    const updateId = await publishUpdate();
    await db().execute(sql`delete from pgboss.job where name = ${JOBS.notificationMail} and data->>'updateId' = ${updateId}`);
    for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt++) {
      await expect(runNotificationMailJob({ updateId })).rejects.toThrow(/will be retried/);
    }
    // The last attempt marks the row failed; the job then has nothing left to retry.
    await expect(runNotificationMailJob({ updateId })).resolves.toBeUndefined();
    await expect(runNotificationMailJob({ updateId })).resolves.toBeUndefined();
    expect(await rowOf(broken.id, updateId)).toMatchObject({ emailStatus: "failed", emailAttempts: MAX_EMAIL_ATTEMPTS });
    expect(await rowOf(ok.id, updateId)).toMatchObject({ emailStatus: "sent", emailAttempts: 1 });
    expect(await mailCount(ok.email)).toBe(1);
    expect(await mailCount(broken.email)).toBe(0);
  });

  it("the sweep mails what a lost job left pending, once", async () => {
    const user = await holder();
    const updateId = await publishUpdate();
    await db().execute(sql`delete from pgboss.job where name = ${JOBS.notificationMail} and data->>'updateId' = ${updateId}`);
    expect(await rowOf(user.id, updateId)).toMatchObject({ emailStatus: "pending" });
    await runNotificationMailJob({ sweep: true });
    await runNotificationMailJob({ sweep: true });
    expect(await mailCount(user.email)).toBe(1);
    expect(await rowOf(user.id, updateId)).toMatchObject({ emailStatus: "sent" });
  });
});
