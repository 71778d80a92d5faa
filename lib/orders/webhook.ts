import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { ledgerEntries, offerings, orders, stripeEvents } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import type { PaymentEvent, PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { markPaidInTx, releaseInTx } from "./settle";
import { transitionOrder } from "./transitions";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Outcome = "applied" | "duplicate" | "ignored";
type Handled = { outcome: Outcome; refundPaymentIntent?: string };

async function orderByPaymentIntent(tx: Tx, paymentIntentId: string | null) {
  if (!paymentIntentId) return null;
  const [order] = await tx.select().from(orders).where(eq(orders.stripePaymentIntentId, paymentIntentId)).for("update");
  return order ?? null;
}

const handlers: { [K in PaymentEvent["kind"]]: (tx: Tx, event: Extract<PaymentEvent, { kind: K }>) => Promise<Handled> } = {
  async checkout_paid(tx, event) {
    const [order] = await tx.select().from(orders).where(eq(orders.id, event.orderId));
    if (!order) return { outcome: "ignored" };
    // Stripe is told, not trusted blindly: the money must match the order exactly.
    if (event.currency !== "jpy" || event.amountYen !== order.amountYen || (order.stripeCheckoutSessionId && order.stripeCheckoutSessionId !== event.sessionId)) {
      await recordAudit(tx, { actorId: null, action: "payment.mismatch", targetType: "order", targetId: order.id, detail: { event: event.eventId, amountYen: event.amountYen, currency: event.currency } });
      return { outcome: "ignored" };
    }
    const result = await markPaidInTx(tx, order.id, { paymentIntentId: event.paymentIntentId, eventId: event.eventId });
    if (result === "refund" && event.paymentIntentId) {
      await recordAudit(tx, { actorId: null, action: "order.late_payment_refunded", targetType: "order", targetId: order.id, detail: { reason: "sold out after the reservation ended" } });
      return { outcome: "applied", refundPaymentIntent: event.paymentIntentId };
    }
    return { outcome: result === "skipped" ? "ignored" : "applied" };
  },
  async checkout_pending(tx, event) {
    const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, event.orderId));
    if (!order) return { outcome: "ignored" };
    await recordAudit(tx, { actorId: null, action: "payment.pending", targetType: "order", targetId: order.id, detail: { event: event.eventId } });
    return { outcome: "applied" };
  },
  async checkout_failed(tx, event) {
    const released = await releaseInTx(tx, event.orderId, ["reserved", "awaiting_payment"], "cancelled", { reason: "async_payment_failed", event: event.eventId });
    return { outcome: released ? "applied" : "ignored" };
  },
  async checkout_expired(tx, event) {
    const released = await releaseInTx(tx, event.orderId, ["reserved", "awaiting_payment"], "expired", { reason: "checkout_expired", event: event.eventId });
    return { outcome: released ? "applied" : "ignored" };
  },
  async refunded(tx, event) {
    const order = await orderByPaymentIntent(tx, event.paymentIntentId);
    if (!order) return { outcome: "ignored" };
    const [{ refunded } = { refunded: "0" }] = await tx
      .select({ refunded: sql<string>`coalesce(-sum(${ledgerEntries.yen}), 0)` })
      .from(ledgerEntries)
      .where(sql`${ledgerEntries.orderId} = ${order.id} and ${ledgerEntries.kind} = 'yen_refunded'`);
    // charge.refunded carries the running total: book only what is new.
    const newlyRefunded = event.amountRefundedYen - Number(refunded);
    if (newlyRefunded <= 0) return { outcome: "ignored" };
    await tx.insert(ledgerEntries).values({ kind: "yen_refunded", offeringId: order.offeringId, orderId: order.id, userId: order.userId, yen: -newlyRefunded, detail: { event: event.eventId, chargeId: event.chargeId } });
    await tx.update(orders).set({ stripeChargeId: event.chargeId }).where(eq(orders.id, order.id));
    if (event.amountRefundedYen < order.amountYen) {
      await recordAudit(tx, { actorId: null, action: "order.partially_refunded", targetType: "order", targetId: order.id, detail: { refundedYen: event.amountRefundedYen } });
      return { outcome: "applied" };
    }
    const hadUnits = ["paid", "allocating", "allocated", "disputed"].includes(order.status);
    const moved = await transitionOrder(tx, order.id, ["paid", "allocating", "allocated", "disputed", "expired", "cancelled"], "refunded", { event: event.eventId });
    if (moved && hadUnits) {
      await tx.update(offerings).set({ soldUnits: sql`${offerings.soldUnits} - ${order.units}` }).where(eq(offerings.id, order.offeringId));
      await enqueue(tx, JOBS.clawback, { orderId: order.id });
    }
    await recordAudit(tx, { actorId: null, action: "order.refunded", targetType: "order", targetId: order.id, detail: { yen: event.amountRefundedYen } });
    return { outcome: "applied" };
  },
  async dispute_opened(tx, event) {
    const order = await orderByPaymentIntent(tx, event.paymentIntentId);
    if (!order) return { outcome: "ignored" };
    const moved = await transitionOrder(tx, order.id, ["paid", "allocating", "allocated"], "disputed", { event: event.eventId, disputeId: event.disputeId, reason: event.reason });
    if (!moved) return { outcome: "ignored" };
    await enqueue(tx, JOBS.freeze, { orderId: order.id });
    await recordAudit(tx, { actorId: null, action: "order.disputed", targetType: "order", targetId: order.id, detail: { disputeId: event.disputeId, reason: event.reason } });
    return { outcome: "applied" };
  },
  async ignored() {
    return { outcome: "ignored" };
  },
};

/**
 * Applies one verified event exactly once: its id is recorded (primary key) in the same
 * transaction as the change, so a redelivery, even a concurrent one, finds it and changes nothing.
 */
export async function applyPaymentEvent(event: PaymentEvent, provider: PaymentProvider = paymentProvider()): Promise<Outcome> {
  const handled = await getDb().transaction(async (tx): Promise<Handled> => {
    const recorded = await tx.insert(stripeEvents).values({ id: event.eventId, type: event.kind }).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (recorded.length === 0) return { outcome: "duplicate" };
    return (handlers[event.kind] as (tx: Tx, event: PaymentEvent) => Promise<Handled>)(tx, event);
  });
  if (handled.refundPaymentIntent) {
    await provider.refund(handled.refundPaymentIntent, `late-payment-refund:${handled.refundPaymentIntent}`);
  }
  return handled.outcome;
}

export async function ordersAwaitingExpiry(now: Date, limit = 100) {
  return getDb()
    .select()
    .from(orders)
    .where(and(inArray(orders.status, ["reserved", "awaiting_payment"]), lt(orders.reservationExpiresAt, now)))
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
    const done = await getDb().transaction((tx) => releaseInTx(tx, order.id, ["reserved", "awaiting_payment"], "expired", { reason: "reservation_timeout" }));
    if (done) released += 1;
  }
  return released;
}

export async function ordersInStatus(statuses: (typeof orders.$inferSelect)["status"][]) {
  return getDb().select().from(orders).where(inArray(orders.status, statuses));
}
