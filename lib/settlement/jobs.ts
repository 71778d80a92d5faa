import "server-only";
import type { PgBoss } from "pg-boss";

/** Registers the settlement report job. */
export async function registerSettlementJobs(_boss: PgBoss): Promise<void> {}
