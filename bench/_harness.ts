import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { ensureDatabase, makeTempDir, startEmbeddedPostgres } from "../scripts/lib/embedded-pg";
import { freePort } from "../scripts/lib/ports";

/** A throwaway embedded PostgreSQL with the portal's schema and queues, for one benchmark run. */
export async function benchDatabase() {
  const dir = makeTempDir("village-bench-");
  const options = { dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex") };
  let cluster = await startEmbeddedPostgres(options);
  await ensureDatabase(cluster.urlFor("postgres"), "bench");
  const url = cluster.urlFor("bench");
  process.env.DATABASE_URL = url;
  process.env.PORTAL_MODE = "demo";
  process.env.DATA_DIR = dir;
  const { migrateDatabase } = await import("../db/migrate");
  const { prepareQueues } = await import("../lib/jobs/worker");
  await migrateDatabase(url);
  await prepareQueues(url);
  return {
    url,
    dir,
    /** Fast shutdown (SIGINT), a pause, and a start on the same data directory and port (bench/db-restart.ts). */
    async restart(downMs: number): Promise<{ stoppedAt: number; startedAt: number }> {
      await cluster.stop();
      const stoppedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      cluster = await startEmbeddedPostgres(options);
      return { stoppedAt, startedAt: performance.now() };
    },
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `insert` over `rows` in slices of `size`, so a bulk insert stays under PostgreSQL's 65,535 parameters. */
export async function inChunks<T, R>(rows: T[], size: number, insert: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < rows.length; start += size) out.push(...(await insert(rows.slice(start, start + size))));
  return out;
}
