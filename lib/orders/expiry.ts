import "server-only";
import { and, inArray, lt } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { orders, type Order } from "@/db/schema";
import { notifyOrder } from "@/lib/notifications/notices";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { releaseInTx } from "./settle";
import { UNPAID } from "./status";

async function ordersAwaitingExpiry(now: Date, limit = 100) {
  return getDb()
    .select()
    .from(orders)
    .where(and(inArray(orders.status, [...UNPAID]), lt(orders.reservationExpiresAt, now)))
    .limit(limit);
}

/**
 * Expires the order's Checkout Session at the processor, so no payment can land after its units
 * are released. False when it was paid meanwhile: its completed event settles the order.
 */
export async function expireAtProcessor(order: Pick<Order, "stripeCheckoutSessionId">, provider: PaymentProvider): Promise<boolean> {
  if (!order.stripeCheckoutSessionId) return true;
  return (await provider.expireCheckout(order.stripeCheckoutSessionId)) !== "already_complete";
}

/** Ends an unpaid order as expired, its units back to the offering and a notice to its investor, in `tx`. */
export async function expireInTx(tx: Tx, orderId: string, reason: "reservation_timeout" | "offering_closed") {
  const expired = await releaseInTx(tx, orderId, "expired", { detail: { reason } });
  if (expired) await notifyOrder(tx, orderId, "order_expired");
  return expired;
}

/**
 * Releases reservations past their time. The Checkout Session is expired at Stripe first and the
 * units are released only after that succeeded, so a late payment cannot land on released units.
 */
export async function expireStaleReservations(now = new Date(), provider: PaymentProvider = paymentProvider()): Promise<number> {
  let released = 0;
  for (const order of await ordersAwaitingExpiry(now)) {
    if (!(await expireAtProcessor(order, provider))) continue; // paid: its completed event settles it
    const done = await getDb().transaction((tx) => expireInTx(tx, order.id, "reservation_timeout"));
    if (done) released += 1;
  }
  return released;
}
