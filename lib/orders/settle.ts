import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { ledgerEntries, offerings, orders } from "@/db/schema";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { transitionOrder, type OrderStatus } from "./transitions";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Ends an unpaid order and gives its units back to the offering, once. */
export async function releaseInTx(tx: Tx, orderId: string, from: OrderStatus[], to: "expired" | "cancelled", detail?: Record<string, unknown>) {
  const order = await transitionOrder(tx, orderId, from, to, detail);
  if (!order) return null;
  await tx.update(offerings).set({ reservedUnits: sql`${offerings.reservedUnits} - ${order.units}` }).where(eq(offerings.id, order.offeringId));
  return order;
}

export async function releaseReservation(orderId: string, from: OrderStatus[], to: "expired" | "cancelled", detail?: Record<string, unknown>) {
  return getDb().transaction((tx) => releaseInTx(tx, orderId, from, to, detail));
}

/**
 * Money received: the reserved units become sold, the yen go to the ledger and the allocation job
 * is enqueued, all in the caller's transaction. A payment that lands after its reservation was
 * released takes units again only if the cap still allows; otherwise it returns "refund".
 */
export async function markPaidInTx(tx: Tx, orderId: string, detail: { paymentIntentId: string | null; eventId: string }): Promise<"paid" | "refund" | "skipped"> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  if (!order) return "skipped";
  const extra = { stripePaymentIntentId: detail.paymentIntentId };
  if (order.status === "reserved" || order.status === "awaiting_payment") {
    await transitionOrder(tx, orderId, [order.status], "paid", detail, extra);
    await tx
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} - ${order.units}`, soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
      .where(eq(offerings.id, order.offeringId));
  } else if (order.status === "expired" || order.status === "cancelled") {
    const [retaken] = await tx
      .update(offerings)
      .set({ soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
      .where(sql`${offerings.id} = ${order.offeringId} and ${offerings.reservedUnits} + ${offerings.soldUnits} + ${order.units} <= ${offerings.capUnits}`)
      .returning({ id: offerings.id });
    if (!retaken) {
      await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: order.offeringId, orderId, userId: order.userId, yen: order.amountYen, detail: { ...detail, late: true } });
      await tx.update(orders).set(extra).where(eq(orders.id, orderId));
      return "refund";
    }
    await transitionOrder(tx, orderId, [order.status], "paid", { ...detail, late: true }, extra);
  } else {
    return "skipped";
  }
  await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: order.offeringId, orderId, userId: order.userId, yen: order.amountYen, detail });
  await enqueue(tx, JOBS.allocate, { orderId });
  return "paid";
}
