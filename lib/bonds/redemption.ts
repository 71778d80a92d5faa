import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, couponRuns, forcedTransferRequests, ledgerEntries, offerings, recordSnapshots, redemptionBurns, type ChainTransaction, type RedemptionBurn } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { redeemIntent, type RedemptionItem } from "@/lib/chain/intents";
import { retrying, submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { deploymentBlock } from "@/lib/chain/token-reads";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";

/**
 * Redemption at maturity: every holder of the final run's snapshot has their units burned on
 * chain through the signer queue, keyed by the burn's `seq` in the contract's redeem-once bitmap,
 * then booked as `tokens_redeemed`. Whatever ran before (a crash, a second worker, a staff retry
 * of the transaction) is read first: burns already carried by an open or mined transaction are
 * only waited for, and a burn is booked by whoever sets its burnedAt, so it is booked once.
 */

/** Inserts the run's burns (one per holding of its snapshot) and queues their job; a second call adds nothing. */
export async function queueRedemptionBurns(tx: DbOrTx, runId: string, actorId: string): Promise<number> {
  const [run] = await tx
    .select({ run: couponRuns, snapshotStatus: recordSnapshots.status })
    .from(couponRuns)
    .innerJoin(recordSnapshots, eq(recordSnapshots.id, couponRuns.snapshotId))
    .where(eq(couponRuns.id, runId));
  if (!run) throw new Error(`coupon run ${runId} not found`);
  if (run.run.kind !== "final" || run.snapshotStatus !== "frozen") throw new Error(`coupon run ${runId} is not a final run on a frozen snapshot`);
  const inserted = await tx.execute<{ units: number }>(sql`
    insert into redemption_burns (run_id, offering_id, user_id, address, units)
    select ${runId}, ${run.run.offeringId}, user_id, address, units from snapshot_holdings
    where snapshot_id = ${run.run.snapshotId} order by address
    on conflict (run_id, address) do nothing
    returning units`);
  if (inserted.length === 0) return 0;
  await enqueue(tx, JOBS.redeemBurn, { runId });
  const units = inserted.reduce((sum, row) => sum + Number(row.units), 0);
  await recordAudit(tx, {
    actorId,
    action: "redemption.burn_queued",
    targetType: "coupon_run",
    targetId: runId,
    detail: { offeringId: run.run.offeringId, snapshotId: run.run.snapshotId, burns: inserted.length, units },
  });
  return inserted.length;
}

async function runToken(ctx: ChainContext, runId: string): Promise<{ offeringId: string; token: Address }> {
  const [row] = await ctx.db
    .select({ offeringId: offerings.id, token: offerings.tokenAddress, chainId: offerings.chainId })
    .from(couponRuns)
    .innerJoin(offerings, eq(offerings.id, couponRuns.offeringId))
    .where(eq(couponRuns.id, runId));
  if (!row) throw new Error(`coupon run ${runId} not found`);
  if (!row.token || row.chainId !== ctx.chainId) throw new Error(`the bond of coupon run ${runId} has no token on this chain`);
  return { offeringId: row.offeringId, token: getAddress(row.token) };
}

const openBurns = (db: DbOrTx, runId: string) =>
  db
    .select()
    .from(redemptionBurns)
    .where(and(eq(redemptionBurns.runId, runId), isNull(redemptionBurns.burnedAt)))
    .orderBy(asc(redemptionBurns.seq));

/** The run's redeem transactions that are open or mined: the burns they carry need no new one. */
async function carriers(db: DbOrTx, ctx: ChainContext, runId: string): Promise<ChainTransaction[]> {
  return db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, "redeem"),
        eq(chainTransactions.chainId, ctx.chainId),
        sql`${chainTransactions.payload}->'ref'->>'runId' = ${runId}`,
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
      ),
    );
}

const burnIdsOf = (row: ChainTransaction): string[] => (Array.isArray(row.payload?.ref.burnIds) ? row.payload.ref.burnIds.filter((id): id is string => typeof id === "string") : []);

/** Where units left at `address` are now: follows the offering's completed forced transfers (as unitsNowAt does). */
async function forwarding(db: DbOrTx, offeringId: string): Promise<(address: string) => Address> {
  const moves = await db
    .select({ from: forcedTransferRequests.fromAddress, to: forcedTransferRequests.toAddress })
    .from(forcedTransferRequests)
    .where(and(eq(forcedTransferRequests.offeringId, offeringId), eq(forcedTransferRequests.status, "done")))
    .orderBy(desc(forcedTransferRequests.decidedAt));
  const next = new Map<string, string>();
  for (const move of moves) if (move.to && !next.has(move.from.toLowerCase())) next.set(move.from.toLowerCase(), move.to);
  return (address) => {
    let current = address;
    for (let hop = 0; hop < 8 && next.has(current.toLowerCase()); hop++) current = next.get(current.toLowerCase())!;
    return getAddress(current);
  };
}

/** Books burns once: whoever sets burnedAt writes their ledger entries and audit record. */
async function bookBurns(
  ctx: ChainContext,
  runId: string,
  burns: { id: string; from: Address }[],
  mined: { chainTransactionId: string | null; txHash: string | null; blockNumber: number | null },
): Promise<number> {
  if (burns.length === 0) return 0;
  return ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(redemptionBurns)
      .set({ chainTransactionId: mined.chainTransactionId ?? undefined, burnedAt: sql`now()` })
      .where(
        and(
          inArray(
            redemptionBurns.id,
            burns.map((burn) => burn.id),
          ),
          isNull(redemptionBurns.burnedAt),
        ),
      )
      .returning();
    if (done.length === 0) return 0;
    const fromOf = new Map(burns.map((burn) => [burn.id, burn.from]));
    const entries = done.map((burn) => ({
      kind: "tokens_redeemed" as const,
      offeringId: burn.offeringId,
      userId: burn.userId,
      units: -burn.units,
      detail: { from: fromOf.get(burn.id)!, txHash: mined.txHash, blockNumber: mined.blockNumber, runId, seq: burn.seq, burnId: burn.id },
    }));
    for (let i = 0; i < entries.length; i += 2_000) await tx.insert(ledgerEntries).values(entries.slice(i, i + 2_000));
    await recordAudit(tx, {
      actorId: null,
      action: "redemption.burned",
      targetType: "coupon_run",
      targetId: runId,
      detail: { ...mined, burns: done.map((burn) => ({ burnId: burn.id, seq: burn.seq, userId: burn.userId, from: fromOf.get(burn.id), units: burn.units })) },
    });
    return done.length;
  });
}

/** Failed transactions whose burns go again on their own: dealt with, so no longer a chain issue for staff. */
async function resolveFailed(tx: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const resolution = { action: "retried" as const, by: "system", at: new Date().toISOString(), reason: "each burn sent again on its own by the redemption job" };
  await tx
    .update(chainTransactions)
    .set({ payload: sql`jsonb_set(${chainTransactions.payload}, '{resolution}', ${JSON.stringify(resolution)}::jsonb)`, updatedAt: sql`now()` })
    .where(and(inArray(chainTransactions.id, ids), eq(chainTransactions.status, "failed"), sql`${chainTransactions.payload}->'resolution' is null`));
}

/** The holders a mined redeem transaction burned from, by burn, as its arguments name them. */
function itemsOf(row: ChainTransaction): { id: string; from: Address }[] {
  const ids = burnIdsOf(row);
  const args = row.payload?.args ?? [];
  const froms = row.payload?.functionName === "redeem" ? [args[1]] : Array.isArray(args[1]) ? args[1] : [];
  return ids.map((id, i) => ({ id, from: getAddress(String(froms[i])) }));
}

/** A burn the chain has done without a mined transaction here to show for it: its Redeemed event says how. */
async function bookFromChain(ctx: ChainContext, token: Address, runId: string, burn: RedemptionBurn): Promise<number> {
  const fromBlock = await deploymentBlock(ctx, token);
  const [log] = await retrying(ctx, () =>
    ctx.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Redeemed", args: { redemptionSeq: BigInt(burn.seq) }, fromBlock, toBlock: "latest", strict: true }),
  );
  if (!log) throw new Error(`redemption ${burn.seq} is burned on chain but its Redeemed event was not found`);
  const [known] = await ctx.db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, ctx.chainId), eq(chainTransactions.txHash, log.transactionHash)));
  return bookBurns(ctx, runId, [{ id: burn.id, from: log.args.from }], { chainTransactionId: known?.id ?? null, txHash: log.transactionHash, blockNumber: Number(log.blockNumber) });
}

/**
 * Burns the run's unburned units and books them. A burn whose last transaction failed is looked up
 * on chain first and sent again on its own, so one bad holder holds up nobody else; the sweep
 * (`retryFailed: false`) leaves those to staff. Returns the run's burns done and those whose
 * transaction failed.
 */
export async function runRedemptionBurns(runId: string, ctx: ChainContext = chainContext(), options: { retryFailed?: boolean } = {}): Promise<{ burned: number; failed: number }> {
  const retryFailed = options.retryFailed ?? true;
  const { offeringId, token } = await runToken(ctx, runId);
  // Burns whose transaction failed: in doubt, the chain says whether they are burned after all.
  const carried = new Set((await carriers(ctx.db, ctx, runId)).flatMap(burnIdsOf));
  const doubtful = (await openBurns(ctx.db, runId)).filter((burn) => burn.chainTransactionId && !carried.has(burn.id));
  const skipped = new Set<string>();
  if (doubtful.length > 0 && retryFailed) {
    const flags = await retrying(ctx, () =>
      Promise.all(doubtful.map((burn) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isRedeemed", args: [BigInt(burn.seq)] }))),
    );
    for (const [i, burn] of doubtful.entries()) if (flags[i]) await bookFromChain(ctx, token, runId, burn);
  } else {
    for (const burn of doubtful) skipped.add(burn.id);
  }

  const follow = await ctx.db.transaction(async (tx) => {
    // One sender per run at a time: what another one queued meanwhile is seen here and not sent twice.
    await tx.select({ id: couponRuns.id }).from(couponRuns).where(eq(couponRuns.id, runId)).for("update");
    const unburned = await openBurns(tx, runId);
    const unburnedIds = new Set(unburned.map((burn) => burn.id));
    // Only the transactions that still carry an unbooked burn are followed.
    const open = (await carriers(tx, ctx, runId)).filter((row) => burnIdsOf(row).some((id) => unburnedIds.has(id)));
    const covered = new Set(open.flatMap(burnIdsOf));
    const waiting = unburned.filter((burn) => !covered.has(burn.id) && !skipped.has(burn.id));
    if (waiting.length === 0) return open;
    const at = await forwarding(tx, offeringId);
    const item = (burn: RedemptionBurn): RedemptionItem => ({ burnId: burn.id, seq: burn.seq, from: at(burn.address), units: burn.units });
    const fresh = waiting.filter((burn) => !burn.chainTransactionId);
    const again = waiting.filter((burn) => burn.chainTransactionId);
    await resolveFailed(tx, [...new Set(again.map((burn) => burn.chainTransactionId!))]);
    const groups = again.map((burn) => [burn]);
    for (let i = 0; i < fresh.length; i += ctx.batchSize) groups.push(fresh.slice(i, i + ctx.batchSize));
    for (const group of groups) {
      const row = await submitTransaction(tx, ctx, redeemIntent(token, { runId, offeringId, items: group.map(item) }));
      await tx
        .update(redemptionBurns)
        .set({ chainTransactionId: row.id })
        .where(
          inArray(
            redemptionBurns.id,
            group.map((burn) => burn.id),
          ),
        );
      open.push(row);
    }
    return open;
  });

  const final =
    follow.length > 0
      ? await waitForTransactions(
          ctx,
          follow.map((row) => row.id),
        )
      : [];
  for (const row of final) {
    if (row.status === "confirmed") await bookBurns(ctx, runId, itemsOf(row), { chainTransactionId: row.id, txHash: row.txHash, blockNumber: row.blockNumber });
  }
  const [counts] = await ctx.db
    .select({ burned: sql<number>`count(*) filter (where ${redemptionBurns.burnedAt} is not null)::int`, open: sql<number>`count(*) filter (where ${redemptionBurns.burnedAt} is null)::int` })
    .from(redemptionBurns)
    .where(eq(redemptionBurns.runId, runId));
  return { burned: counts?.burned ?? 0, failed: counts?.open ?? 0 };
}

/** The sweep: runs with burns not booked yet (a lost job, a restarted worker, a staff retry). */
export async function sweepRedemptionBurns(ctx: ChainContext = chainContext()): Promise<void> {
  const runs = await ctx.db.selectDistinct({ runId: redemptionBurns.runId }).from(redemptionBurns).where(isNull(redemptionBurns.burnedAt));
  for (const { runId } of runs) {
    const result = await runRedemptionBurns(runId, ctx, { retryFailed: false });
    if (result.failed > 0) console.error(`[bonds] redemption of run ${runId}: ${result.failed} burn(s) wait for staff (their transaction failed)`);
  }
}
