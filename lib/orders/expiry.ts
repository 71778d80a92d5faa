import "server-only";
import { and, inArray, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orders } from "@/db/schema";
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
 * Releases reservations past their time. The Checkout Session is expired at Stripe first and the
 * units are released only after that succeeded, so a late payment cannot land on released units.
 */
export async function expireStaleReservations(now = new Date(), provider: PaymentProvider = paymentProvider()): Promise<number> {
  let released = 0;
  for (const order of await ordersAwaitingExpiry(now)) {
    if (order.stripeCheckoutSessionId) {
      const result = await provider.expireCheckout(order.stripeCheckoutSessionId);
      if (result === "already_complete") continue; // paid: its completed event settles it
    }
    const done = await getDb().transaction((tx) => releaseInTx(tx, order.id, "expired", { detail: { reason: "reservation_timeout" } }));
    if (done) released += 1;
  }
  return released;
}
