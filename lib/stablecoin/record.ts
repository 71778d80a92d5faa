import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getAddress } from "viem";
import type { Db, Tx } from "@/db/client";
import { allocations, ledgerEntries, offerings, orders, stablecoinPayments, users, type ChainTransaction } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { recordConfirmedAllocation } from "@/lib/chain/allocation-records";
import type { ChainContext } from "@/lib/chain/context";
import { translator } from "@/lib/i18n/catalog";
import { notify, notifyOrder } from "@/lib/notifications/notices";
import { inGroup, RELEASED, UNPAID } from "@/lib/orders/status";
import { transitionOrder } from "@/lib/orders/transitions";
import { settlementFailure } from "./failure";

// The database side of a settlement: written once, by whichever run decides the payment first.

/** The payment's order, locked first: a payment is submitted under the order's lock too, so both take the locks in one order. */
async function lockOrderOf(tx: Tx, paymentId: string) {
  const [row] = await tx
    .select({ order: orders })
    .from(stablecoinPayments)
    .innerJoin(orders, eq(orders.id, stablecoinPayments.orderId))
    .where(eq(stablecoinPayments.id, paymentId))
    .for("update", { of: orders });
  return row?.order ?? null;
}

/**
 * A confirmed settlement, in one transaction: the payment confirmed, the order paid and allocated
 * (its units sold), the yen and the tokens in the ledger, the buyer's notices and the audit entry.
 * False when another run recorded it already.
 */
export async function recordSettled(ctx: ChainContext, paymentId: string, txRow: ChainTransaction): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const order = await lockOrderOf(tx, paymentId);
    const [payment] = await tx
      .update(stablecoinPayments)
      .set({ status: "confirmed", decidedAt: sql`now()`, error: null })
      .where(and(eq(stablecoinPayments.id, paymentId), eq(stablecoinPayments.status, "submitted")))
      .returning();
    if (!payment || !order) return false;
    const detail = { txHash: txRow.txHash, method: "stablecoin", dvp: true, paymentId };
    if (inGroup(UNPAID, order.status)) {
      await transitionOrder(tx, order.id, "paid", { from: UNPAID, detail });
      await tx
        .update(offerings)
        .set({ reservedUnits: sql`${offerings.reservedUnits} - ${order.units}`, soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
        .where(eq(offerings.id, order.offeringId));
    } else if (inGroup(RELEASED, order.status)) {
      // Released although its payment was on its way (never by expiry): the chain sold the units, so they count as sold.
      await transitionOrder(tx, order.id, "paid", { from: RELEASED, detail: { ...detail, late: true } });
      await tx
        .update(offerings)
        .set({ soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
        .where(eq(offerings.id, order.offeringId));
    } else {
      throw new Error(`order ${order.id} is ${order.status}, yet its stablecoin payment ${paymentId} was settled`);
    }
    await tx.insert(ledgerEntries).values({
      kind: "yen_received",
      offeringId: order.offeringId,
      orderId: order.id,
      userId: order.userId,
      yen: order.amountYen,
      detail: { method: "stablecoin", txHash: txRow.txHash, payer: payment.payer, amount: payment.amount, paymentId },
    });
    await notifyOrder(tx, order.id, "payment_received");
    await transitionOrder(tx, order.id, "allocating", { from: ["paid"], detail: { ...detail, step: "settled" } });
    const delivery = txRow.payload!.args[0] as { to: string };
    await tx.insert(allocations).values({ orderId: order.id, units: order.units, toAddress: getAddress(delivery.to), chainTransactionId: txRow.id });
    // The allocator's own recording (allocatedAt, ledger tokens_allocated, allocated, notice), in this transaction as a savepoint.
    await recordConfirmedAllocation({ ...ctx, db: tx as unknown as Db }, txRow);
    await recordAudit(tx, {
      actorId: null,
      action: "stablecoin.settled",
      targetType: "order",
      targetId: order.id,
      detail: { paymentId, txHash: txRow.txHash, payer: payment.payer, amount: payment.amount, units: order.units },
    });
    return true;
  });
}

/**
 * A failed settlement (refused in simulation or reverted on chain), or one that could not be sent:
 * the payment failed with the chain's reason, nothing else moved. The order keeps awaiting payment
 * with its units reserved (no step leads back to reserved): the buyer may sign again until it
 * expires. False when another run decided the payment already.
 */
export async function recordFailed(ctx: ChainContext, paymentId: string, error: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    await lockOrderOf(tx, paymentId);
    const [payment] = await tx
      .update(stablecoinPayments)
      .set({ status: "failed", decidedAt: sql`now()`, error })
      .where(and(eq(stablecoinPayments.id, paymentId), eq(stablecoinPayments.status, "submitted")))
      .returning();
    if (!payment) return false;
    const [order] = await tx
      .select({ id: orders.id, userId: orders.userId, units: orders.units, nameJa: offerings.nameJa, nameEn: offerings.nameEn, locale: users.locale })
      .from(orders)
      .innerJoin(offerings, eq(offerings.id, orders.offeringId))
      .innerJoin(users, eq(users.id, orders.userId))
      .where(eq(orders.id, payment.orderId));
    const reason = settlementFailure(error);
    if (order) {
      // The reason in the buyer's language: a notice keeps one text.
      const text = translator(order.locale)(`stablecoin.failure.${reason}`);
      await notify(tx, {
        userId: order.userId,
        kind: "stablecoin_payment_failed",
        detail: { orderId: order.id, offeringNameJa: order.nameJa, offeringNameEn: order.nameEn, units: order.units, address: payment.payer, reason: text },
      });
    }
    await recordAudit(tx, { actorId: null, action: "stablecoin.failed", targetType: "order", targetId: payment.orderId, detail: { paymentId, reason, error, payer: payment.payer } });
    return true;
  });
}
