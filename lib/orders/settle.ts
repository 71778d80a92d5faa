import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type Tx } from "@/db/client";
import { ledgerEntries, offerings, orders, type NewOrder, type Order } from "@/db/schema";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notifyOrder } from "@/lib/notifications/notices";
import { YEARLY_CAP_CONSTRAINT } from "./limits";
import { inGroup, RELEASED, UNPAID, type ReleasedStatus } from "./status";
import { transitionOrder, type TransitionOptions } from "./transitions";

/** Ends an unpaid order and gives its units back to the offering (its residents' tranche units to the tranche), once. */
export async function releaseInTx<To extends ReleasedStatus>(tx: Tx, orderId: string, to: To, options: TransitionOptions<To> = {}) {
  const order = await transitionOrder(tx, orderId, to, options);
  if (!order) return null;
  await tx
    .update(offerings)
    .set({ reservedUnits: sql`${offerings.reservedUnits} - ${order.units}`, residentTakenUnits: sql`${offerings.residentTakenUnits} - ${order.residentUnits}` })
    .where(eq(offerings.id, order.offeringId));
  // Given back: a late payment that takes units again takes general ones (retakeUnits).
  if (order.residentUnits > 0) await tx.update(orders).set({ residentUnits: 0 }).where(eq(orders.id, order.id));
  return order;
}

export async function releaseReservation<To extends ReleasedStatus>(orderId: string, to: To, options: TransitionOptions<To> = {}) {
  return getDb().transaction((tx) => releaseInTx(tx, orderId, to, options));
}

const LATE_PAYMENT_OUTCOMES = ["late_payment_sold_out", "late_payment_over_cap", "late_payment_cancelled"] as const;
export type LatePaymentOutcome = (typeof LATE_PAYMENT_OUTCOMES)[number];
export type PaidOutcome = "paid" | "skipped" | LatePaymentOutcome;

/** A payment that arrived after its order was released and is not taken: the portal owes it back. */
export function isLatePayment(outcome: PaidOutcome): outcome is LatePaymentOutcome {
  return (LATE_PAYMENT_OUTCOMES as readonly string[]).includes(outcome);
}

/**
 * Money received: the reserved units become sold, the yen go to the ledger and the allocation job
 * is enqueued, all in the caller's transaction. A payment that lands after its reservation was
 * released takes units again only if the offering's cap and the investor's yearly cap still allow;
 * otherwise its yen are booked and the caller keeps the payment aside for a refund.
 */
export async function markPaidInTx(tx: Tx, orderId: string, detail: { paymentIntentId: string | null; eventId: string }): Promise<PaidOutcome> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  if (!order) return "skipped";
  const extra = { stripePaymentIntentId: detail.paymentIntentId };
  const unpaid = inGroup(UNPAID, order.status) ? order.status : null;
  if (unpaid) {
    await transitionOrder(tx, orderId, "paid", { from: [unpaid], detail, set: extra });
  } else if (inGroup(RELEASED, order.status) && (!order.stripePaymentIntentId || !(await yenReceivedFor(tx, order)))) {
    // Cancelled by the investor within cooling-off: a payment that still arrives goes back, never takes units.
    const retaken = order.cancelRequestedAt ? "late_payment_cancelled" : await retakeUnits(tx, order, { ...detail, late: true }, extra);
    if (retaken !== "paid") {
      await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: order.offeringId, orderId, userId: order.userId, yen: order.amountYen, detail: { ...detail, late: true } });
      await tx.update(orders).set(extra).where(eq(orders.id, orderId));
      return retaken;
    }
  } else {
    // Already paid, or its late payment already handled: this event changes nothing.
    return "skipped";
  }
  await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: order.offeringId, orderId, userId: order.userId, yen: order.amountYen, detail });
  await enqueue(tx, JOBS.allocate, { orderId });
  await notifyOrder(tx, orderId, "payment_received");
  // The offering's row last: every payment of the sale waits on it, so it is held only until the commit.
  if (unpaid) {
    await tx
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} - ${order.units}`, soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
      .where(eq(offerings.id, order.offeringId));
  }
  return "paid";
}

/**
 * Whether the order's payment was booked already. A card order has its payment id only once paid;
 * a konbini or bank-transfer order has it from the start, so its ledger tells instead.
 */
async function yenReceivedFor(tx: Tx, order: Order): Promise<boolean> {
  if (order.paymentMethod !== "konbini" && order.paymentMethod !== "bank_transfer") return true;
  const [row] = await tx
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, order.id), eq(ledgerEntries.kind, "yen_received")))
    .limit(1);
  return Boolean(row);
}

/** In a savepoint, so that a refusal by the offering's cap or the yearly cap leaves nothing behind. */
async function retakeUnits(tx: Tx, order: Order, detail: Record<string, unknown>, extra: Partial<NewOrder>): Promise<PaidOutcome> {
  try {
    return await tx.transaction(async (savepoint) => {
      const [retaken] = await savepoint
        .update(offerings)
        .set({ soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
        // A closed sale sells nothing more: its late payment is refunded like a sold-out one. While
        // residents come first it takes only general units (cap − tranche).
        .where(
          sql`${offerings.id} = ${order.offeringId} and ${offerings.status} <> 'closed' and ${offerings.reservedUnits} + ${offerings.soldUnits} + ${order.units} <= ${offerings.capUnits}
            and (${offerings.residentsUntil} is null or ${offerings.residentsUntil} <= now() or ${offerings.reservedUnits} + ${offerings.soldUnits} - ${offerings.residentTakenUnits} + ${order.units} <= ${offerings.capUnits} - ${offerings.residentUnits})`,
        )
        .returning({ id: offerings.id });
      if (!retaken) return "late_payment_sold_out";
      // The order is released (checked under its row lock by the caller).
      await transitionOrder(savepoint, order.id, "paid", { from: RELEASED, detail, set: extra });
      return "paid";
    });
  } catch (error) {
    if (violatesConstraint(error, YEARLY_CAP_CONSTRAINT)) return "late_payment_over_cap";
    throw error;
  }
}
