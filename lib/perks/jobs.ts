import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { runPerkBurns, sweepPerkBurns, type BurnResult } from "./burn";
import { runPerkRestores, sweepPerkRestores, type RestoreResult } from "./restore";

/** pg-boss keeps a failed job's error as JSON and viem's errors carry bigints: hand on a plain message. */
async function plainly(what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[perks] ${what} failed, will be retried: ${message}`);
    throw new Error(message);
  }
}

/** The burn job of one claim: when its transaction is refused (a batch with a bad claim in it), it goes again at once on its own. */
export async function burnPerkClaim(claimId: string, ctx: ChainContext): Promise<BurnResult> {
  const first = await runPerkBurns(ctx, [claimId]);
  return first.failed > 0 ? runPerkBurns(ctx, [claimId]) : first;
}

/** The give-back job of one cancelled claim, likewise. */
export async function restorePerkClaim(claimId: string, ctx: ChainContext): Promise<RestoreResult> {
  const first = await runPerkRestores(ctx, [claimId]);
  return first.failed > 0 ? runPerkRestores(ctx, [claimId]) : first;
}

/**
 * Perk chain jobs: the burn of a redeeming claim (queued with the claim) and the give-back of a
 * cancelled burned one (queued with the cancellation or the burn's booking), each retried with
 * backoff while the chain is unreachable, and a sweep of each every five minutes for what a lost job left.
 */
export async function registerPerkJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  for (const name of [JOBS.perkBurn, JOBS.perkRestore]) {
    await boss.updateQueue(name, { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  }
  await work(boss, JOBS.perkBurn, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      await plainly(`perk burn ${JSON.stringify(data)}`, async () => {
        if (data.sweep) {
          await sweepPerkBurns(ctx());
        } else {
          const result = await burnPerkClaim(data.claimId, ctx());
          if (result.failed > 0) console.error(`[perks] burn of claim ${data.claimId} failed on chain, see the offering's chain page`);
        }
      });
    }
  });
  await work(boss, JOBS.perkRestore, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const data = job.data;
      await plainly(`perk give-back ${JSON.stringify(data)}`, async () => {
        if (data.sweep) {
          await sweepPerkRestores(ctx());
        } else {
          const result = await restorePerkClaim(data.claimId, ctx());
          if (result.failed > 0) console.error(`[perks] give-back of claim ${data.claimId} failed on chain, see the offering's chain page`);
        }
      });
    }
  });
  await schedule(boss, JOBS.perkBurn, "*/5 * * * *", { sweep: true });
  await schedule(boss, JOBS.perkRestore, "*/5 * * * *", { sweep: true });
}
