import "server-only";
import type { PgBoss } from "pg-boss";

/** Registers the offerings' jobs (token deployment, closing at the end time). */
export async function registerOfferingJobs(_boss: PgBoss): Promise<void> {}
