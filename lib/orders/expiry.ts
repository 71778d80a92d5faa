import "server-only";
import { and, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { orders, stablecoinPayments, type Order } from "@/db/schema";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notifyOrder } from "@/lib/notifications/notices";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { CANCEL_JOB_OPTIONS, isDeferredMethod } from "./deferred/schedule";
import { releaseInTx } from "./settle";
import { UNPAID } from "./status";

/** A stablecoin payment of the order on its way to the chain (it may still settle: the order waits for its outcome). */
const inFlight = (orderId: SQL) => sql`select 1 from ${stablecoinPayments} where ${stablecoinPayments.orderId} = ${orderId} and ${stablecoinPayments.status} = 'submitted'`;

async function ordersAwaitingExpiry(now: Date, limit = 100) {
  return getDb()
    .select()
    .from(orders)
    .where(and(inArray(orders.status, [...UNPAID]), lt(orders.reservationExpiresAt, now), sql`not exists (${inFlight(sql`${orders.id}`)})`))
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

/**
 * Ends an unpaid order as expired, its units back to the offering and a notice to its investor, in `tx`.
 * Not while a stablecoin payment of it is on its way: once that fails, the order expires at its time.
 * A konbini or bank-transfer payment is then cancelled at the processor by a job queued here.
 */
export async function expireInTx(tx: Tx, orderId: string, reason: "reservation_timeout" | "offering_closed") {
  // Under the order's lock: a payment is submitted under it too.
  await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).for("update");
  const [flying] = await tx.execute(inFlight(sql`${orderId}::uuid`));
  if (flying) return null;
  const expired = await releaseInTx(tx, orderId, "expired", { detail: { reason } });
  if (expired) await notifyOrder(tx, orderId, "order_expired");
  if (expired?.stripePaymentIntentId && isDeferredMethod(expired.paymentMethod)) await enqueue(tx, JOBS.cancelDeferredPayment, { orderId }, CANCEL_JOB_OPTIONS);
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
