import "server-only";
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { serviceHeartbeats } from "@/db/schema";

export const JOBS = { heartbeat: "system.heartbeat" } as const;

export async function recordHeartbeat(db: Db, service: string): Promise<void> {
  await db
    .insert(serviceHeartbeats)
    .values({ service })
    .onConflictDoUpdate({ target: serviceHeartbeats.service, set: { beatAt: sql`now()` } });
}

/** Starts pg-boss on the portal's database and registers every job handler. */
export async function startWorker(databaseUrl: string, db: Db): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss" });
  boss.on("error", (error) => console.error("[worker]", error));
  await boss.start();
  await boss.createQueue(JOBS.heartbeat, { name: JOBS.heartbeat, policy: "singleton" });
  await boss.schedule(JOBS.heartbeat, "* * * * *");
  await boss.work(JOBS.heartbeat, async () => recordHeartbeat(db, "worker"));
  await recordHeartbeat(db, "worker");
  return boss;
}
