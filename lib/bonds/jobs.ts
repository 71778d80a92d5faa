import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS } from "@/lib/jobs/names";
import { work } from "@/lib/jobs/work";

/** Bond servicing jobs: record-date snapshots and redemption burns (filled in by lib/bonds). */
export async function registerBondJobs(boss: PgBoss): Promise<void> {
  await work(boss, JOBS.recordSnapshot, async () => {});
  await work(boss, JOBS.redeemBurn, async () => {});
}
