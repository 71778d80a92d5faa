import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { serviceHeartbeats } from "@/db/schema";
import { env } from "@/lib/env";

export type HealthReport = {
  status: "ok" | "degraded" | "down";
  mode: "demo" | "live";
  checks: {
    database: { up: boolean; latencyMs?: number; error?: string };
    worker: { up: boolean; lastBeatAt: string | null };
  };
};

const WORKER_STALE_MS = 3 * 60 * 1000;

export async function checkHealth(now = new Date()): Promise<HealthReport> {
  const db = getDb();
  const started = performance.now();
  let database: HealthReport["checks"]["database"];
  let worker: HealthReport["checks"]["worker"] = { up: false, lastBeatAt: null };
  try {
    await db.execute(sql`select 1`);
    database = { up: true, latencyMs: Math.round(performance.now() - started) };
    const [beat] = await db.select().from(serviceHeartbeats).where(eq(serviceHeartbeats.service, "worker"));
    if (beat) {
      worker = { up: now.getTime() - beat.beatAt.getTime() < WORKER_STALE_MS, lastBeatAt: beat.beatAt.toISOString() };
    }
  } catch {
    database = { up: false, error: "database unreachable" };
  }
  const status = !database.up ? "down" : worker.up ? "ok" : "degraded";
  return { status, mode: env().mode, checks: { database, worker } };
}
