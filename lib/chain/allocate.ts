import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, notInArray } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { allocations, chainTransactions, offerings, orders, wallets } from "@/db/schema";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { transitionOrder, transitionOrders } from "@/lib/orders/transitions";
import { recordAllocationFromChain, recordConfirmedAllocation } from "./allocation-records";
import { allowlistWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { allocateIntent, type AllocationItem } from "./intents";
import { submitTransaction, waitForTransactions } from "./signer-queue";
import { readSeqFlags } from "./token-reads";

/**
 * Allocation: paid orders go out in batches of up to `batchSize` orders per transaction (a lone
 * order goes out at once, alone). The order's state says what is left to do, so this may run
 * twice, concurrently or after a crash: the contract refuses a sequence number twice, and when it
 * does, the orders it already allocated are read from the chain and recorded, never sent again.
 */

type Waiting = AllocationItem & { token: Address; userId: string; allowlisted: boolean };

async function waitingOrders(ctx: ChainContext, skip: Set<string>): Promise<Waiting[]> {
  const rows = await ctx.db
    .select({ orderId: orders.id, seq: orders.seq, units: orders.units, userId: orders.userId, to: wallets.address, allowlistedAt: wallets.allowlistedAt, token: offerings.tokenAddress })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .innerJoin(wallets, eq(wallets.userId, orders.userId))
    // An order cancelled within cooling-off waits for its refund instead (a claim that races it is clawed back).
    .where(
      and(eq(orders.status, "paid"), isNull(orders.cancelRequestedAt), eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress), skip.size ? notInArray(orders.id, [...skip]) : undefined),
    )
    .orderBy(asc(orders.seq))
    .limit(ctx.batchSize);
  const token = rows[0]?.token;
  // One transaction goes to one token: the first offering in line now, the others next round.
  return rows
    .filter((row) => row.token === token)
    .map((row) => ({ orderId: row.orderId, seq: row.seq, units: row.units, userId: row.userId, to: getAddress(row.to), token: getAddress(row.token!), allowlisted: row.allowlistedAt !== null }));
}

/** Claims the orders (paid → allocating) and queues their transaction, in one database transaction. */
async function claimAndSubmit(ctx: ChainContext, token: Address, items: Waiting[]): Promise<{ txId: string; claimed: Set<string> } | null> {
  return ctx.db.transaction(async (tx) => {
    const moved = new Set(
      await transitionOrders(
        tx,
        items.map((item) => item.orderId),
        "allocating",
        { from: ["paid"], detail: { step: "queued" } },
      ),
    );
    const claimed = items.filter((item) => moved.has(item.orderId));
    if (claimed.length === 0) return null;
    const row = await submitTransaction(tx, ctx, allocateIntent(token, claimed));
    await tx.insert(allocations).values(claimed.map((item) => ({ orderId: item.orderId, units: item.units, toAddress: item.to, chainTransactionId: row.id })));
    return { txId: row.id, claimed: moved };
  });
}

/**
 * The users of waiting orders whose wallets are not allowlisted yet, the first in line first: one
 * allowlisting for many batches (up to allowlistWallets' 1,000) instead of one per batch.
 */
async function unlistedRecipients(ctx: ChainContext, first: string[]): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ userId: orders.userId })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .innerJoin(wallets, eq(wallets.userId, orders.userId))
    .where(and(eq(orders.status, "paid"), isNull(orders.cancelRequestedAt), isNull(wallets.allowlistedAt), eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress)))
    .limit(1_000);
  return [...new Set([...first, ...rows.map((row) => row.userId)])].slice(0, 1_000);
}

type Settled = { recorded: number; resubmitted: string[] };

/**
 * Settles a final allocation transaction. Confirmed: recorded. Failed: the orders the chain has
 * allocated anyway are recorded from its events; if that explains the refusal, the rest go again
 * together, otherwise a refused batch is split so that each order goes alone. A refused single
 * order stays `allocating` with the failed transaction and its reason, for staff.
 */
export async function settleAllocationTx(ctx: ChainContext, txId: string): Promise<Settled> {
  const [txRow] = await ctx.db.select().from(chainTransactions).where(eq(chainTransactions.id, txId));
  if (!txRow) return { recorded: 0, resubmitted: [] };
  if (txRow.status === "confirmed") return { recorded: await recordConfirmedAllocation(ctx, txRow), resubmitted: [] };
  if (txRow.status !== "failed") return { recorded: 0, resubmitted: [] };
  const open = await ctx.db
    .select({ orderId: allocations.orderId, seq: orders.seq, units: allocations.units, to: allocations.toAddress })
    .from(allocations)
    .innerJoin(orders, eq(orders.id, allocations.orderId))
    .where(and(eq(allocations.chainTransactionId, txId), isNull(allocations.allocatedAt)));
  const payload = txRow.payload!;
  const token = payload.to;
  if (open.length === 0 || !token) return { recorded: 0, resubmitted: [] };
  const onChain = await readSeqFlags(
    ctx,
    token,
    "isAllocated",
    open.map((item) => item.seq),
  );
  let recorded = 0;
  for (const [i, item] of open.entries()) if (onChain[i] && (await recordAllocationFromChain(ctx, token, item))) recorded++;
  const rest = open.filter((_, i) => !onChain[i]).map((item) => ({ ...item, to: getAddress(item.to) }));
  if (rest.length === 0 || payload.functionName !== "allocateBatch") return { recorded, resubmitted: [] };
  const groups = onChain.some(Boolean) ? [rest] : rest.map((item) => [item]);
  const resubmitted = await ctx.db.transaction(async (tx) => {
    // Locked and read again: a concurrent settlement of the same transaction resubmits nothing.
    const still = await tx
      .select({ orderId: allocations.orderId })
      .from(allocations)
      .where(and(eq(allocations.chainTransactionId, txId), isNull(allocations.allocatedAt)))
      .for("update");
    const stillOpen = new Set(still.map((row) => row.orderId));
    const ids: string[] = [];
    for (const all of groups) {
      const group = all.filter((item) => stillOpen.has(item.orderId));
      if (group.length === 0) continue;
      const again = await submitTransaction(tx, ctx, allocateIntent(token, group));
      await tx
        .update(allocations)
        .set({ chainTransactionId: again.id })
        .where(
          and(
            inArray(
              allocations.orderId,
              group.map((item) => item.orderId),
            ),
            eq(allocations.chainTransactionId, txId),
          ),
        );
      ids.push(again.id);
    }
    return ids;
  });
  return { recorded, resubmitted };
}

/** Finishes allocations already sent (or refused) before: after a crash, or by a concurrent run. */
async function resumeAllocations(ctx: ChainContext): Promise<number> {
  let recorded = 0;
  for (let round = 0; round < 4; round++) {
    const open = await ctx.db
      .selectDistinct({ id: chainTransactions.id, status: chainTransactions.status })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(and(isNull(allocations.allocatedAt), eq(chainTransactions.chainId, ctx.chainId), eq(chainTransactions.signer, ctx.account.address)));
    const live = open.filter((row) => row.status === "pending" || row.status === "sent").map((row) => row.id);
    if (live.length > 0) await waitForTransactions(ctx, live);
    let resubmitted = 0;
    for (const row of open) {
      const settled = await settleAllocationTx(ctx, row.id);
      recorded += settled.recorded;
      resubmitted += settled.resubmitted.length;
    }
    if (live.length === 0 && resubmitted === 0) break;
  }
  return recorded;
}

/** Full batches queued ahead of the chain at most: the signer sends the next as soon as one is mined. */
const FULL_BATCHES_AHEAD = 3;

type Flight = { mined: Promise<void>; done: Promise<void>; isMined: boolean; isDone: boolean };

/**
 * Allocates every waiting paid order, batch after batch, until none is left (or time is up).
 * Batches are claimed while earlier ones are sent and recorded, so the database work overlaps
 * the chain's and the chain still sees one transaction after the other: full batches up to
 * FULL_BATCHES_AHEAD, a partial one once the transaction before it is mined, so that the orders
 * paid meanwhile go out together.
 */
export async function allocateWaiting(ctx: ChainContext, options: { maxMs?: number } = {}): Promise<{ allocated: number; transactions: number }> {
  const deadline = Date.now() + (options.maxMs ?? 10 * 60_000);
  let allocated = await resumeAllocations(ctx);
  let transactions = 0;
  const skip = new Set<string>();
  const fly = (txId: string): Flight => {
    const flight = { isMined: false, isDone: false } as Flight;
    const sent = waitForTransactions(ctx, [txId]);
    flight.mined = sent.then(
      () => {
        flight.isMined = true;
      },
      () => undefined,
    );
    flight.done = sent
      .then(async () => {
        const settled = await settleAllocationTx(ctx, txId);
        allocated += settled.recorded;
        if (settled.resubmitted.length > 0) allocated += await resumeAllocations(ctx);
      })
      .finally(() => {
        flight.isDone = true;
      });
    flight.done.catch(() => undefined); // awaited in turn, below
    return flight;
  };
  const inFlight: Flight[] = [];
  try {
    while (Date.now() < deadline) {
      while (inFlight[0]?.isDone) await inFlight.shift()!.done;
      const unmined = inFlight.find((flight) => !flight.isMined);
      const waiting = inFlight.length < FULL_BATCHES_AHEAD ? await waitingOrders(ctx, skip) : [];
      if (waiting.length === 0 || (waiting.length < ctx.batchSize && unmined)) {
        if (inFlight.length === 0) break;
        await (unmined ? Promise.race([unmined.mined, unmined.done]) : inFlight.shift()!.done);
        continue;
      }
      const token = waiting[0]!.token;
      // Recipients must be allowlisted before the allocation can succeed.
      const unlisted = [...new Set(waiting.filter((item) => !item.allowlisted).map((item) => item.userId))];
      const listed = new Set(unlisted.length > 0 ? await allowlistWallets(ctx, await unlistedRecipients(ctx, unlisted)) : []);
      const items = waiting.filter((item) => item.allowlisted || listed.has(item.userId));
      const claim = items.length > 0 ? await claimAndSubmit(ctx, token, items) : null;
      for (const item of waiting) if (!claim?.claimed.has(item.orderId)) skip.add(item.orderId);
      if (!claim) continue;
      transactions++;
      inFlight.push(fly(claim.txId));
    }
    while (inFlight.length > 0) await inFlight.shift()!.done;
  } finally {
    await Promise.allSettled(inFlight.map((flight) => flight.done));
  }
  return { allocated, transactions };
}

/** Staff action after fixing the cause of a refused allocation: the order goes back in line. */
export async function retryFailedAllocation(ctx: ChainContext, orderId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: chainTransactions.status })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(and(eq(allocations.orderId, orderId), isNull(allocations.allocatedAt)));
    if (row?.status !== "failed") return false;
    await tx.delete(allocations).where(and(eq(allocations.orderId, orderId), isNull(allocations.allocatedAt)));
    if (!(await transitionOrder(tx, orderId, "paid", { from: ["allocating"], detail: { step: "allocation retried" } }))) return false;
    await enqueue(tx, JOBS.allocate, { orderId });
    return true;
  });
}
