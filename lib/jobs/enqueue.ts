import "server-only";
import { sql } from "drizzle-orm";
import { fromDrizzle, PgBoss, type SendOptions } from "pg-boss";
import type { Db } from "@/db/client";
import type { JobData, JobName } from "./names";

type Executor = Pick<Db, "execute">;

/**
 * Enqueues a job inside the caller's transaction: the job exists exactly when the change that
 * caused it commits. Handlers stay idempotent: the order's state, not the job, says what is left to do.
 */
export async function enqueue<N extends JobName>(db: Executor, name: N, data: JobData<N>, options: SendOptions = {}): Promise<string | null> {
  // A pg-boss that is never started and opens no connection: it looks the queue up and inserts
  // the job on the caller's connection or transaction.
  const executor = fromDrizzle(db, sql);
  return new PgBoss({ db: executor, schema: "pgboss" }).send(name, data, { ...options, db: executor });
}
