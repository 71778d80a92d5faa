import "server-only";
import { sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import postgres from "postgres";
import type { Db } from "@/db/client";
import { serviceHeartbeats } from "@/db/schema";
import { ALL_JOBS, JOBS } from "./names";
import { moveV10Jobs, setAsideV10Schema } from "./upgrade-v10";
import { schedule, work } from "./work";

async function recordHeartbeat(db: Db, service: string): Promise<void> {
  await db
    .insert(serviceHeartbeats)
    .values({ service })
    .onConflictDoUpdate({ target: serviceHeartbeats.service, set: { beatAt: sql`now()` } });
}

/**
 * Queues whose new jobs wake their worker at once: the job's insert sends a NOTIFY that is
 * delivered when the enqueuing transaction commits, and the worker LISTENs (its poll stays as
 * the fallback).
 */
const WAKE_AT_ONCE = new Set<string>([JOBS.allocate]);

/** Every queue must exist before a job can be sent to it, even from inside a transaction. */
async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Map((await boss.getQueues()).map((queue) => [queue.name, queue]));
  for (const name of ALL_JOBS) {
    const queue = existing.get(name);
    if (!queue) await boss.createQueue(name, { policy: name === JOBS.heartbeat ? "singleton" : "standard", notify: WAKE_AT_ONCE.has(name) });
    else if (WAKE_AT_ONCE.has(name) && !queue.notify) await boss.updateQueue(name, { notify: true });
  }
}

/** pg-boss as the worker runs it: listening, so that a queue in WAKE_AT_ONCE is worked as soon as a job arrives. */
export function workerBoss(databaseUrl: string): PgBoss {
  return new PgBoss({ connectionString: databaseUrl, schema: "pgboss", useListenNotify: true });
}

const stopping = new WeakSet<PgBoss>();

/** pg-boss reports a worker's failure as a plain object carrying the error's message and stack. */
const messageOf = (error: unknown) => (typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error));

/** Lets the jobs in hand finish (up to 8 s) and stops polling. */
export async function stopWorker(boss: PgBoss): Promise<void> {
  stopping.add(boss);
  await boss.stop({ graceful: true, timeout: 8_000 });
}

/** Starts pg-boss on the portal's database and registers every job handler. */
export async function startWorker(databaseUrl: string, db: Db): Promise<PgBoss> {
  const boss = workerBoss(databaseUrl);
  boss.on("error", (error) => {
    // Ctrl-C reaches PostgreSQL too, which may close our connections a moment before the worker hears its
    // own signal: an error is said only if the worker is not stopping a second later.
    setTimeout(() => {
      if (!stopping.has(boss)) console.error("[worker]", messageOf(error));
    }, 1_000).unref();
  });
  // Without its listener the worker still works, but only as fast as it polls.
  boss.on("warning", (warning) => {
    if ((warning.data as { type?: string }).type === "listen_notify_unavailable") console.error("[worker]", warning.message);
  });
  await boss.start();
  await ensureQueues(boss);
  // First: paid orders waiting for their tokens are picked up while the rest registers.
  await (await import("@/lib/chain/jobs")).registerChainJobs(boss);
  await schedule(boss, JOBS.heartbeat, "* * * * *");
  await work(boss, JOBS.heartbeat, async () => {
    await recordHeartbeat(db, "worker");
    // Rate-limit windows (sign-in, public API) older than a day count for nothing.
    const { pruneRateLimits } = await import("@/lib/auth/rate-limit");
    await pruneRateLimits(db, new Date(Date.now() - 24 * 60 * 60 * 1000));
  });
  await schedule(boss, JOBS.expireReservations, "* * * * *");
  await work(boss, JOBS.expireReservations, async () => {
    const { expireStaleReservations } = await import("@/lib/orders/expiry");
    await expireStaleReservations();
  });
  await registerPaymentJobs(boss);
  await (await import("@/lib/notifications/jobs")).registerNotificationJobs(boss);
  await (await import("@/lib/offerings/jobs")).registerOfferingJobs(boss);
  await (await import("@/lib/settlement/jobs")).registerSettlementJobs(boss);
  await (await import("@/lib/bonds/jobs")).registerBondJobs(boss);
  await (await import("@/lib/holders/jobs")).registerHoldersJobs(boss);
  await (await import("@/lib/perks/jobs")).registerPerkJobs(boss);
  await (await import("@/lib/wallet-links/jobs")).registerWalletLinkJobs(boss);
  await (await import("@/lib/withdrawals/jobs")).registerWithdrawalJobs(boss);
  await (await import("@/lib/stablecoin/jobs")).registerStablecoinJobs(boss);
  await (await import("@/lib/orders/deferred/jobs")).registerDeferredPaymentJobs(boss);
  await (await import("@/lib/orders/cooling-off/jobs")).registerCoolingOffJobs(boss);
  await recordHeartbeat(db, "worker");
  return boss;
}

/** Refunds the portal owes: one job per payment, retried with backoff, and a sweep for lost ones. */
async function registerPaymentJobs(boss: PgBoss): Promise<void> {
  const { requeueStaleRefunds, sendExceptionRefund } = await import("@/lib/orders/exceptions");
  await schedule(boss, JOBS.refundPayment, "*/15 * * * *", { sweep: true });
  await work(boss, JOBS.refundPayment, async (jobs) => {
    for (const job of jobs) {
      if (job.data?.exceptionId) await sendExceptionRefund(job.data.exceptionId);
      if (job.data?.sweep) await requeueStaleRefunds(new Date(Date.now() - 60 * 60 * 1000));
    }
  });
}

/** Creates pg-boss's schema and every queue; run with migrations, before any web process enqueues. */
export async function prepareQueues(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await setAsideV10Schema(client, "pgboss");
    const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", supervise: false, schedule: false, registerInstance: false });
    await boss.start();
    try {
      await ensureQueues(boss);
      const moved = await moveV10Jobs(client, boss, "pgboss");
      if (moved > 0) console.log(`pg-boss: ${moved} unfinished job(s) moved from pgboss_v10 (the pg-boss 10 schema, kept for its history)`);
    } finally {
      await boss.stop({ graceful: false });
    }
  } finally {
    await client.end();
  }
}
