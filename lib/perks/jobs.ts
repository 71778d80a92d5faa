import "server-only";
import type { PgBoss } from "pg-boss";
import type { ChainContext } from "@/lib/chain/context";

// STUB (the perks chain helper registers JOBS.perkBurn and JOBS.perkRestore here).

export async function registerPerkJobs(_boss: PgBoss, _options: { context?: ChainContext } = {}): Promise<void> {}
