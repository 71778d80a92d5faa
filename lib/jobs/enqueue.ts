import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import { type Db as BossDb, fromDrizzle, PgBoss, type SendOptions } from "pg-boss";
import type { Db } from "@/db/client";
import type { JobData, JobName } from "./names";

type Executor = Pick<Db, "execute">;

/** The connection or transaction of the enqueue in progress: pg-boss reads a queue's settings on it. */
const caller = new AsyncLocalStorage<BossDb>();
const QUEUE_SETTINGS_KEPT_MS = 60_000;
let shared: { boss: PgBoss; until: number } | undefined;

/**
 * A pg-boss that is never started and opens no connection, kept for a minute: it remembers each
 * queue's settings (read on the caller's connection) instead of reading them on every send, in
 * the caller's transaction, while its row locks are held.
 */
function enqueuer(): PgBoss {
  if (!shared || shared.until < Date.now()) {
    const db: BossDb = { executeSql: (text, values) => caller.getStore()!.executeSql(text, values) };
    shared = { boss: new PgBoss({ db, schema: "pgboss" }), until: Date.now() + QUEUE_SETTINGS_KEPT_MS };
  }
  return shared.boss;
}

/**
 * Enqueues a job inside the caller's transaction: the job exists exactly when the change that
 * caused it commits. Handlers stay idempotent: the order's state, not the job, says what is left to do.
 * A queue that wakes its worker at once (lib/jobs/worker.ts) sends its NOTIFY with the insert, so
 * it too is delivered at that commit.
 */
export async function enqueue<N extends JobName>(db: Executor, name: N, data: JobData<N>, options: SendOptions = {}): Promise<string | null> {
  const executor = fromDrizzle(db, sql);
  return caller.run(executor, () => enqueuer().send(name, data, { ...options, db: executor }));
}
