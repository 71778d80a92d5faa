import "server-only";
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { serviceHeartbeats } from "@/db/schema";
import { ALL_JOBS, JOBS } from "./names";

export { JOBS };

export async function recordHeartbeat(db: Db, service: string): Promise<void> {
  await db
    .insert(serviceHeartbeats)
    .values({ service })
    .onConflictDoUpdate({ target: serviceHeartbeats.service, set: { beatAt: sql`now()` } });
}

/** Every queue must exist before a job can be sent to it, even from inside a transaction. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const name of ALL_JOBS) {
    if (!existing.has(name)) await boss.createQueue(name, { name, policy: name === JOBS.heartbeat ? "singleton" : "standard" });
  }
}

/** Starts pg-boss on the portal's database and registers every job handler. */
export async function startWorker(databaseUrl: string, db: Db): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss" });
  boss.on("error", (error) => console.error("[worker]", error instanceof Error ? error.message : error));
  await boss.start();
  await ensureQueues(boss);
  await boss.schedule(JOBS.heartbeat, "* * * * *");
  await boss.work(JOBS.heartbeat, async () => recordHeartbeat(db, "worker"));
  await boss.schedule(JOBS.expireReservations, "* * * * *");
  await boss.work(JOBS.expireReservations, async () => {
    const { expireStaleReservations } = await import("@/lib/orders/expiry");
    await expireStaleReservations();
  });
  await registerPaymentJobs(boss);
  await (await import("@/lib/chain/jobs")).registerChainJobs(boss);
  await recordHeartbeat(db, "worker");
  return boss;
}

/** Refunds the portal owes: one job per payment, retried with backoff, and a sweep for lost ones. */
async function registerPaymentJobs(boss: PgBoss): Promise<void> {
  const { requeueStaleRefunds, sendExceptionRefund } = await import("@/lib/orders/exceptions");
  await boss.schedule(JOBS.refundPayment, "*/15 * * * *", { sweep: true });
  await boss.work<{ exceptionId?: string; sweep?: boolean }>(JOBS.refundPayment, async (jobs) => {
    for (const job of jobs) {
      if (job.data?.exceptionId) await sendExceptionRefund(job.data.exceptionId);
      if (job.data?.sweep) await requeueStaleRefunds(new Date(Date.now() - 60 * 60 * 1000));
    }
  });
}

/** Creates pg-boss's schema and every queue; run with migrations, before any web process enqueues. */
export async function prepareQueues(databaseUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", supervise: false, schedule: false });
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
