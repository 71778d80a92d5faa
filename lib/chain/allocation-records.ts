import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { allocations, chainTransactions, ledgerEntries, offerings, orders, type ChainTransaction } from "@/db/schema";
import { notifyOrder, notifyOrders } from "@/lib/notifications/notices";
import { transitionOrder, transitionOrders } from "@/lib/orders/transitions";
import type { ChainContext } from "./context";
import { findOrderEvent } from "./token-reads";

// The database side of allocation: what is written once the chain has done its part.

/**
 * Records every allocation of a confirmed transaction once: allocatedAt, a ledger entry per
 * order and the order's step to `allocated`, each in one statement for the whole batch. A
 * refunded or disputed order keeps its state, but its tokens were minted, so the ledger still
 * records them (the clawback then takes them back).
 */
export async function recordConfirmedAllocation(ctx: ChainContext, txRow: ChainTransaction): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(allocations)
      .set({ allocatedAt: sql`now()` })
      .where(and(eq(allocations.chainTransactionId, txRow.id), isNull(allocations.allocatedAt)))
      .returning();
    if (done.length === 0) return 0;
    const owners = new Map(
      (
        await tx
          .select({
            id: orders.id,
            offeringId: orders.offeringId,
            userId: orders.userId,
            units: orders.units,
            amountYen: orders.amountYen,
            offeringNameJa: offerings.nameJa,
            offeringNameEn: offerings.nameEn,
          })
          .from(orders)
          .innerJoin(offerings, eq(offerings.id, orders.offeringId))
          .where(
            inArray(
              orders.id,
              done.map((row) => row.orderId),
            ),
          )
      ).map((owner) => [owner.id, owner]),
    );
    const detail = { txHash: txRow.txHash, blockNumber: txRow.blockNumber };
    await tx.insert(ledgerEntries).values(
      done.map((row) => {
        const owner = owners.get(row.orderId)!;
        return { kind: "tokens_allocated" as const, offeringId: owner.offeringId, orderId: row.orderId, userId: owner.userId, units: row.units, detail: { ...detail, to: row.toAddress } };
      }),
    );
    const moved = await transitionOrders(
      tx,
      done.map((row) => row.orderId),
      "allocated",
      { from: ["allocating"], detail },
    );
    await notifyOrders(
      tx,
      "tokens_allocated",
      moved.map((id) => owners.get(id)!),
      txRow.txHash,
    );
    return done.length;
  });
}

/**
 * Records an order the chain has already allocated although the database had not recorded it
 * (a crash between sending and recording, or a transaction found by reconciliation): the
 * Allocated event says where and how much. Nothing is sent.
 */
export async function recordAllocationFromChain(ctx: ChainContext, token: Address, order: { orderId: string; seq: number }): Promise<boolean> {
  const event = await findOrderEvent(ctx, token, "Allocated", order.seq);
  if (!event) throw new Error(`order ${order.seq} is allocated on chain but its Allocated event was not found`);
  const [known] = await ctx.db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, ctx.chainId), eq(chainTransactions.txHash, event.txHash)));
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(orders).where(eq(orders.id, order.orderId)).for("update");
    if (!row) return false;
    const [existing] = await tx.select().from(allocations).where(eq(allocations.orderId, order.orderId));
    if (existing?.allocatedAt) return false;
    const values = { units: event.units, toAddress: getAddress(event.wallet), chainTransactionId: known?.id ?? null, allocatedAt: sql`now()` };
    if (existing) {
      await tx.update(allocations).set(values).where(eq(allocations.orderId, order.orderId));
    } else {
      await transitionOrder(tx, order.orderId, "allocating", { from: ["paid"], detail: { step: "found on chain" } });
      await tx.insert(allocations).values({ orderId: order.orderId, ...values });
    }
    const detail = { txHash: event.txHash, blockNumber: Number(event.blockNumber), to: values.toAddress, recoveredFromChain: true };
    await tx.insert(ledgerEntries).values({ kind: "tokens_allocated", offeringId: row.offeringId, orderId: row.id, userId: row.userId, units: event.units, detail });
    if (await transitionOrder(tx, order.orderId, "allocated", { from: ["allocating"], detail })) await notifyOrder(tx, order.orderId, "tokens_allocated", { txHash: event.txHash });
    return true;
  });
}
