import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, offerings, perkClaims, perks } from "@/db/schema";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { unitsNowAt } from "@/lib/chain/holdings";
import { perkBurnIntent, type PerkBurnItem } from "@/lib/chain/intents";
import { retrying, submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { deploymentBlock } from "@/lib/chain/token-reads";
import { bookPerkMove, type MinedMove } from "./booking";
import { carriers, claimIdsOf, itemsOf, resolveFailed, sendGroups } from "./chain-carriers";
import { queuePerkRestore } from "./restore";

/**
 * The burn of the units a holder gave up for a redeeming perk: `redeem(burnSeq, from, units)`
 * through the signer queue, once per claim (the contract's redeem-once bitmap, shared with bond
 * redemptions), then booked as `tokens_redeemed`. As for bond redemptions (lib/bonds/redemption.ts),
 * claims already carried by an open or mined transaction are only waited for, a claim whose
 * transaction failed is looked up on chain before it goes again, and whoever sets burnedAt books it.
 */

/** Claims with a burn not booked yet (a cancelled one only once a burn was sent: that is still booked). */
function unbooked(db: DbOrTx, chainId: number, claimIds?: string[]) {
  return db
    .select({
      id: perkClaims.id,
      status: perkClaims.status,
      units: perkClaims.units,
      seq: perkClaims.burnSeq,
      fromAddress: perkClaims.fromAddress,
      txId: perkClaims.burnChainTransactionId,
      offeringId: perks.offeringId,
      token: offerings.tokenAddress,
      givenUp: sql<boolean>`coalesce(${chainTransactions.payload}->'resolution'->>'action' = 'given_up', false)`,
    })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.burnChainTransactionId))
    .where(
      and(
        isNotNull(perkClaims.burnSeq),
        isNull(perkClaims.burnedAt),
        sql`(${perkClaims.status} <> 'cancelled' or ${perkClaims.burnChainTransactionId} is not null)`,
        eq(offerings.chainId, chainId),
        isNotNull(offerings.tokenAddress),
        claimIds ? inArray(perkClaims.id, claimIds) : undefined,
      ),
    )
    .orderBy(asc(perkClaims.burnSeq));
}

type Unbooked = Awaited<ReturnType<typeof unbooked>>[number];

/** Books one claim's burn once (lib/perks/booking.ts); a claim cancelled meanwhile is then queued to be given back. */
async function bookBurn(ctx: ChainContext, claimId: string, mined: MinedMove): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const claim = await bookPerkMove(tx, "burn", claimId, mined);
    if (claim?.status === "cancelled") await queuePerkRestore(tx, claim.id);
    return claim !== null;
  });
}

/** Claims the chain has burned although no booked transaction here says so (a failed send, a retry, a crash): their Redeemed event says how. */
async function bookDoneOnChain(ctx: ChainContext, claims: Pick<Unbooked, "id" | "seq" | "token">[]): Promise<void> {
  if (claims.length === 0) return;
  const flags = await retrying(ctx, () =>
    Promise.all(claims.map((claim) => ctx.client.readContract({ address: getAddress(claim.token!), abi: villageTokenAbi, functionName: "isRedeemed", args: [BigInt(claim.seq!)] }))),
  );
  for (const [i, claim] of claims.entries()) {
    if (!flags[i]) continue;
    const token = getAddress(claim.token!);
    const fromBlock = await deploymentBlock(ctx, token);
    const [log] = await retrying(ctx, () =>
      ctx.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Redeemed", args: { redemptionSeq: BigInt(claim.seq!) }, fromBlock, toBlock: "latest", strict: true }),
    );
    if (!log) throw new Error(`perk claim ${claim.id} (seq ${claim.seq}) is burned on chain but its Redeemed event was not found`);
    const [known] = await ctx.db
      .select({ id: chainTransactions.id })
      .from(chainTransactions)
      .where(and(eq(chainTransactions.chainId, ctx.chainId), eq(chainTransactions.txHash, log.transactionHash), eq(chainTransactions.status, "confirmed")));
    await bookBurn(ctx, claim.id, { address: log.args.from, chainTransactionId: known?.id ?? null, txHash: log.transactionHash, blockNumber: Number(log.blockNumber) });
  }
}

/** Queues the burns of the waiting claims (one sender at a time per claim) and returns the transactions to follow. */
async function queueBurns(ctx: ChainContext, ids: string[], retryFailed: boolean) {
  return ctx.db.transaction(async (tx) => {
    // The claims' rows are the lock: what another run queued meanwhile is seen here and not sent twice.
    await tx.select({ id: perkClaims.id }).from(perkClaims).where(inArray(perkClaims.id, ids)).orderBy(asc(perkClaims.id)).for("update");
    const open = await unbooked(tx, ctx.chainId, ids);
    const openIds = new Set(open.map((claim) => claim.id));
    const follow = (await carriers(tx, ctx, "perk_burn", ids)).filter((row) => claimIdsOf(row).some((id) => openIds.has(id)));
    const covered = new Set(follow.flatMap(claimIdsOf));
    // A claim cancelled before its burn was sent is never sent.
    const waiting = open.filter((claim) => !covered.has(claim.id) && claim.status !== "cancelled");
    const groups = await sendGroups(tx, waiting, retryFailed, ctx.batchSize);
    for (const group of groups) {
      const items: PerkBurnItem[] = [];
      // Units moved by a forced transfer are burned where they are now.
      for (const claim of group) items.push({ claimId: claim.id, seq: claim.seq!, from: await unitsNowAt(tx, claim.offeringId, claim.fromAddress!), units: claim.units });
      const row = await submitTransaction(tx, ctx, perkBurnIntent(getAddress(group[0]!.token!), { offeringId: group[0]!.offeringId, items }));
      await tx
        .update(perkClaims)
        .set({ burnChainTransactionId: row.id })
        .where(
          inArray(
            perkClaims.id,
            group.map((claim) => claim.id),
          ),
        );
      follow.push(row);
    }
    return follow;
  });
}

export type BurnResult = { burned: number; failed: number };

/**
 * Burns the given claims' units (or every claim waiting for its burn) and books them. A claim whose
 * last transaction failed is read on chain first (burned after all: booked) and, with `retryFailed`
 * (the job; not the sweep, which leaves them to staff), sent again on its own. A claim cancelled
 * while its burn was on its way is booked and then given back (lib/perks/restore.ts).
 * Returns how many of the claims are burned and how many wait for staff after a failed transaction.
 */
export async function runPerkBurns(ctx: ChainContext = chainContext(), claimIds?: string[], options: { retryFailed?: boolean } = {}): Promise<BurnResult> {
  const retryFailed = options.retryFailed ?? true;
  const found = await unbooked(ctx.db, ctx.chainId, claimIds);
  const ids = found.map((claim) => claim.id);
  if (ids.length > 0) {
    const carried = new Set((await carriers(ctx.db, ctx, "perk_burn", ids)).flatMap(claimIdsOf));
    const doubtful = found.filter((claim) => claim.txId && !carried.has(claim.id));
    await bookDoneOnChain(ctx, doubtful);
    const follow = await queueBurns(ctx, ids, retryFailed);
    const final =
      follow.length > 0
        ? await waitForTransactions(
            ctx,
            follow.map((row) => row.id),
          )
        : [];
    for (const row of final) {
      if (row.status === "confirmed") {
        for (const item of itemsOf(row)) await bookBurn(ctx, item.claimId, { address: item.address, chainTransactionId: row.id, txHash: row.txHash, blockNumber: row.blockNumber });
      } else {
        // Refused (AlreadyRedeemed among others): a burn the chain has done anyway is booked from its event.
        await bookDoneOnChain(ctx, await unbooked(ctx.db, ctx.chainId, claimIdsOf(row)));
        if ((await unbooked(ctx.db, ctx.chainId, claimIdsOf(row))).length === 0)
          await resolveFailed(ctx.db, [row.id], "every claim of it was burned on chain already (booked from the Redeemed event)");
      }
    }
  }
  return burnCounts(ctx, claimIds ?? ids);
}

async function burnCounts(ctx: ChainContext, ids: string[]): Promise<BurnResult> {
  if (ids.length === 0) return { burned: 0, failed: 0 };
  const [counts] = await ctx.db
    .select({
      burned: sql<number>`count(*) filter (where ${perkClaims.burnedAt} is not null)::int`,
      failed: sql<number>`count(*) filter (where ${perkClaims.burnedAt} is null and ${perkClaims.status} <> 'cancelled' and ${chainTransactions.status} = 'failed')::int`,
    })
    .from(perkClaims)
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.burnChainTransactionId))
    .where(and(inArray(perkClaims.id, ids), isNotNull(perkClaims.burnSeq)));
  return { burned: counts?.burned ?? 0, failed: counts?.failed ?? 0 };
}

/** The sweep: burns not booked yet (a lost job, a restarted worker, a staff retry); failed ones stay for staff. */
export async function sweepPerkBurns(ctx: ChainContext = chainContext()): Promise<BurnResult> {
  const result = await runPerkBurns(ctx, undefined, { retryFailed: false });
  if (result.failed > 0) console.error(`[perks] ${result.failed} perk burn(s) wait for staff (their transaction failed), see the offering's chain page`);
  return result;
}
