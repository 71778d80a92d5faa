import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getAddress } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, offerings, perkClaims, perks, wallets } from "@/db/schema";
import { allowlistWallets } from "@/lib/chain/allowlist";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { perkRestoreIntent, type PerkRestoreItem } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { findOrderEvent, readSeqFlags } from "@/lib/chain/token-reads";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { bookPerkMove, type MinedMove } from "./booking";
import { carriers, claimIdsOf, itemsOf, resolveFailed, sendGroups } from "./chain-carriers";

/**
 * A redeeming claim cancelled after its burn gets its units back by a new allocation,
 * `allocate(restoreSeq, wallet, units)`, keyed in the orders' allocate-once bitmap (restoreSeq is
 * drawn from the orders' sequence), to the holder's current wallet; booked once as
 * `tokens_allocated` without an order, so it is a give-back and never a sale.
 */

/**
 * Gives the claim its restore key and queues the give-back job, once, when it is cancelled and
 * burned (inside the caller's transaction: the burn's booking, or the cancellation).
 */
export async function queuePerkRestore(tx: DbOrTx, claimId: string): Promise<boolean> {
  const [keyed] = await tx
    .update(perkClaims)
    .set({ restoreSeq: sql`nextval('orders_seq_seq')` })
    .where(and(eq(perkClaims.id, claimId), eq(perkClaims.status, "cancelled"), isNotNull(perkClaims.burnedAt), isNull(perkClaims.restoreSeq)))
    .returning({ id: perkClaims.id });
  if (!keyed) return false;
  await enqueue(tx, JOBS.perkRestore, { claimId });
  return true;
}

/** Cancelled, burned claims not given back yet, with the holder's wallet now. */
function unrestored(db: DbOrTx, chainId: number, claimIds?: string[]) {
  return db
    .select({
      id: perkClaims.id,
      userId: perkClaims.userId,
      units: perkClaims.units,
      seq: perkClaims.restoreSeq,
      txId: perkClaims.restoreChainTransactionId,
      offeringId: perks.offeringId,
      token: offerings.tokenAddress,
      givenUp: sql<boolean>`coalesce(${chainTransactions.payload}->'resolution'->>'action' = 'given_up', false)`,
      wallet: wallets.address,
      allowlistedAt: wallets.allowlistedAt,
    })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.restoreChainTransactionId))
    .leftJoin(wallets, eq(wallets.userId, perkClaims.userId))
    .where(
      and(
        eq(perkClaims.status, "cancelled"),
        isNotNull(perkClaims.burnedAt),
        isNotNull(perkClaims.restoreSeq),
        isNull(perkClaims.restoredAt),
        eq(offerings.chainId, chainId),
        isNotNull(offerings.tokenAddress),
        claimIds ? inArray(perkClaims.id, claimIds) : undefined,
      ),
    )
    .orderBy(asc(perkClaims.restoreSeq));
}

type Unrestored = Awaited<ReturnType<typeof unrestored>>[number];

/** Books one give-back once (lib/perks/booking.ts). */
async function bookRestore(ctx: ChainContext, claimId: string, mined: MinedMove): Promise<boolean> {
  return ctx.db.transaction(async (tx) => (await bookPerkMove(tx, "restore", claimId, mined)) !== null);
}

/** Give-backs the chain has done although nothing booked here says so (AlreadyAllocated, a crash): their Allocated event says how. */
async function bookDoneOnChain(ctx: ChainContext, claims: Pick<Unrestored, "id" | "seq" | "token">[]): Promise<void> {
  for (const token of new Set(claims.map((claim) => claim.token!))) {
    const ofToken = claims.filter((claim) => claim.token === token);
    const flags = await readSeqFlags(
      ctx,
      getAddress(token),
      "isAllocated",
      ofToken.map((claim) => claim.seq!),
    );
    for (const [i, claim] of ofToken.entries()) {
      if (!flags[i]) continue;
      const event = await findOrderEvent(ctx, getAddress(token), "Allocated", claim.seq!);
      if (!event) throw new Error(`perk claim ${claim.id} (seq ${claim.seq}) is given back on chain but its Allocated event was not found`);
      const [known] = await ctx.db
        .select({ id: chainTransactions.id })
        .from(chainTransactions)
        .where(and(eq(chainTransactions.chainId, ctx.chainId), eq(chainTransactions.txHash, event.txHash), eq(chainTransactions.status, "confirmed")));
      await bookRestore(ctx, claim.id, { address: getAddress(event.wallet), chainTransactionId: known?.id ?? null, txHash: event.txHash, blockNumber: Number(event.blockNumber) });
    }
  }
}

/** Queues the give-backs of the waiting claims (one sender at a time per claim) and returns the transactions to follow. */
async function queueRestores(ctx: ChainContext, ids: string[], skipped: Set<string>, retryFailed: boolean) {
  return ctx.db.transaction(async (tx) => {
    await tx.select({ id: perkClaims.id }).from(perkClaims).where(inArray(perkClaims.id, ids)).orderBy(asc(perkClaims.id)).for("update");
    const open = await unrestored(tx, ctx.chainId, ids);
    const openIds = new Set(open.map((claim) => claim.id));
    const follow = (await carriers(tx, ctx, "perk_restore", ids)).filter((row) => claimIdsOf(row).some((id) => openIds.has(id)));
    const covered = new Set(follow.flatMap(claimIdsOf));
    const waiting = open.filter((claim) => !covered.has(claim.id) && !skipped.has(claim.id));
    const groups = await sendGroups(tx, waiting, retryFailed, ctx.batchSize);
    for (const group of groups) {
      const items: PerkRestoreItem[] = group.map((claim) => ({ claimId: claim.id, seq: claim.seq!, to: getAddress(claim.wallet!), units: claim.units }));
      const row = await submitTransaction(tx, ctx, perkRestoreIntent(getAddress(group[0]!.token!), { offeringId: group[0]!.offeringId, items }));
      await tx
        .update(perkClaims)
        .set({ restoreChainTransactionId: row.id })
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

export type RestoreResult = { restored: number; failed: number };

/**
 * Gives back the units of the given cancelled claims (or of every one waiting) to the holder's
 * current wallet (replaced wallets too: the wallets row says which), allowlisting it first if it
 * is not. As for burns: a claim whose last transaction failed is read on chain first, and sent
 * again on its own only with `retryFailed` (the job; the sweep leaves it to staff).
 */
export async function runPerkRestores(ctx: ChainContext = chainContext(), claimIds?: string[], options: { retryFailed?: boolean } = {}): Promise<RestoreResult> {
  const retryFailed = options.retryFailed ?? true;
  // A claim cancelled and burned without its key (a cancellation that raced the booking) gets it here.
  await ctx.db
    .update(perkClaims)
    .set({ restoreSeq: sql`nextval('orders_seq_seq')` })
    .where(and(eq(perkClaims.status, "cancelled"), isNotNull(perkClaims.burnedAt), isNull(perkClaims.restoreSeq), claimIds ? inArray(perkClaims.id, claimIds) : undefined));
  const found = await unrestored(ctx.db, ctx.chainId, claimIds);
  const ids = found.map((claim) => claim.id);
  if (ids.length > 0) {
    const carried = new Set((await carriers(ctx.db, ctx, "perk_restore", ids)).flatMap(claimIdsOf));
    const doubtful = found.filter((claim) => claim.txId && !carried.has(claim.id));
    await bookDoneOnChain(ctx, doubtful);
    const skipped = new Set<string>();
    // The wallet must be on the token's allowlist before it can receive; one that cannot be waits.
    const unlisted = [...new Set(found.filter((claim) => claim.wallet && !claim.allowlistedAt).map((claim) => claim.userId))];
    const listed = new Set(unlisted.length > 0 ? await allowlistWallets(ctx, unlisted) : []);
    for (const claim of found) if (!claim.wallet || (!claim.allowlistedAt && !listed.has(claim.userId))) skipped.add(claim.id);
    const follow = await queueRestores(ctx, ids, skipped, retryFailed);
    const final =
      follow.length > 0
        ? await waitForTransactions(
            ctx,
            follow.map((row) => row.id),
          )
        : [];
    for (const row of final) {
      if (row.status === "confirmed") {
        for (const item of itemsOf(row)) await bookRestore(ctx, item.claimId, { address: item.address, chainTransactionId: row.id, txHash: row.txHash, blockNumber: row.blockNumber });
      } else {
        await bookDoneOnChain(ctx, await unrestored(ctx.db, ctx.chainId, claimIdsOf(row)));
        if ((await unrestored(ctx.db, ctx.chainId, claimIdsOf(row))).length === 0)
          await resolveFailed(ctx.db, [row.id], "every claim of it was given back on chain already (booked from the Allocated event)");
      }
    }
  }
  return restoreCounts(ctx, claimIds ?? ids);
}

async function restoreCounts(ctx: ChainContext, ids: string[]): Promise<RestoreResult> {
  if (ids.length === 0) return { restored: 0, failed: 0 };
  const [counts] = await ctx.db
    .select({
      restored: sql<number>`count(*) filter (where ${perkClaims.restoredAt} is not null)::int`,
      failed: sql<number>`count(*) filter (where ${perkClaims.restoredAt} is null and ${chainTransactions.status} = 'failed')::int`,
    })
    .from(perkClaims)
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.restoreChainTransactionId))
    .where(and(inArray(perkClaims.id, ids), isNotNull(perkClaims.restoreSeq)));
  return { restored: counts?.restored ?? 0, failed: counts?.failed ?? 0 };
}

/** The sweep: give-backs not booked yet; failed ones stay for staff. */
export async function sweepPerkRestores(ctx: ChainContext = chainContext()): Promise<RestoreResult> {
  const result = await runPerkRestores(ctx, undefined, { retryFailed: false });
  if (result.failed > 0) console.error(`[perks] ${result.failed} perk give-back(s) wait for staff (their transaction failed), see the offering's chain page`);
  return result;
}
