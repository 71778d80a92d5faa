import "server-only";
import type { PgBoss } from "pg-boss";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { JOBS } from "@/lib/jobs/names";
import { schedule, work } from "@/lib/jobs/work";
import { runLinkedWalletAllowlist, sweepLinkedWalletAllowlists } from "./allowlist";

/**
 * The allowlisting of an approved own wallet (queued with the approval) and its removal after an
 * unlink (queued with the unlink), retried with backoff while the chain is unreachable, and a sweep
 * every five minutes for whatever a lost job or a restarted worker left in between.
 */
export async function registerWalletLinkJobs(boss: PgBoss, options: { context?: ChainContext } = {}): Promise<void> {
  const ctx = () => options.context ?? chainContext();
  await boss.updateQueue(JOBS.linkedWalletAllowlist, { retryLimit: 12, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 30 * 60 });
  await work(boss, JOBS.linkedWalletAllowlist, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      try {
        if (job.data.sweep) await sweepLinkedWalletAllowlists(ctx());
        else if ((await runLinkedWalletAllowlist(ctx(), job.data.approvalId)) === "failed") {
          console.error(`[wallet-links] allowlist transaction of approval ${job.data.approvalId} failed on chain, see the offering's chain page`);
        }
      } catch (error) {
        // pg-boss keeps the error as JSON and viem's errors carry bigints: hand on a plain message.
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[wallet-links] ${JSON.stringify(job.data)} failed, will be retried: ${message}`);
        throw new Error(message);
      }
    }
  });
  await schedule(boss, JOBS.linkedWalletAllowlist, "*/5 * * * *", { sweep: true });
}
