import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { orders, paymentExceptions, stripeEvents } from "@/db/schema";
import { notifyOrder } from "@/lib/notifications/notices";
import type { ChargeEvent, DeferredEvent, PaymentEvent, PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { handleDisputeClosed, handleDisputeOpened, handleRefunded, type Handled } from "./charge-events";
import { cashBalanceAvailable, deferredEnded, deferredPaid, deferredPartiallyFunded } from "./deferred/events";
import { isDeferredMethod } from "./deferred/schedule";
import { openPaymentException } from "./exceptions";
import { isLatePayment, markPaidInTx, releaseInTx } from "./settle";
import { inGroup, PAID_OR_AFTER, UNPAID } from "./status";

export type Outcome = Handled["outcome"] | "duplicate";
type CheckoutPaid = Extract<PaymentEvent, { kind: "checkout_paid" }>;

/** The payment an event depends on is not visible at the processor yet: answer 5xx so it comes back. */
export class PaymentNotYetApplicable extends Error {}

async function checkoutPaid(tx: Tx, event: CheckoutPaid): Promise<Handled> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, event.orderId)).for("update");
  const money = {
    stripeEventId: event.eventId,
    eventType: "checkout.session.completed",
    paymentIntentId: event.paymentIntentId,
    amountYen: event.currency === "jpy" ? event.amountYen : 0,
    currency: event.currency,
  };
  if (!order) {
    await openPaymentException(tx, { kind: "unmatched_event", ...money, detail: { reference: event.orderId, sessionId: event.sessionId } });
    return { outcome: "exception" };
  }
  const sameCheckout = !order.stripeCheckoutSessionId || order.stripeCheckoutSessionId === event.sessionId;
  const context = { orderId: order.id, offeringId: order.offeringId, ...money };
  if (inGroup(PAID_OR_AFTER, order.status) && (!sameCheckout || (order.stripePaymentIntentId && order.stripePaymentIntentId !== event.paymentIntentId))) {
    await openPaymentException(tx, { kind: "duplicate_payment", ...context, detail: { sessionId: event.sessionId } });
    return { outcome: "exception" };
  }
  // Stripe is told, not trusted blindly: the money must match the order exactly.
  if (event.currency !== "jpy" || event.amountYen !== order.amountYen || !sameCheckout) {
    await releaseInTx(tx, order.id, "cancelled", { detail: { reason: "payment_mismatch", event: event.eventId }, set: { stripePaymentIntentId: event.paymentIntentId } });
    await openPaymentException(tx, { kind: "amount_mismatch", ...context, detail: { expectedYen: order.amountYen, sessionId: event.sessionId } });
    return { outcome: "exception" };
  }
  const result = await markPaidInTx(tx, order.id, { paymentIntentId: event.paymentIntentId, eventId: event.eventId });
  if (isLatePayment(result)) {
    // The portal owes this money back: a refund job, not a call after the commit that may be lost.
    await openPaymentException(tx, { kind: result, ...context }, { refund: true });
    return { outcome: "exception" };
  }
  return { outcome: result === "skipped" ? "ignored" : "applied" };
}

type Resolved = { orderId: string | null; payment: CheckoutPaid | null };

const checkoutHandlers = {
  checkout_paid: (tx: Tx, event: CheckoutPaid) => checkoutPaid(tx, event),
  async checkout_pending(): Promise<Handled> {
    return { outcome: "ignored" };
  },
  async checkout_failed(tx: Tx, event: Extract<PaymentEvent, { kind: "checkout_failed" }>): Promise<Handled> {
    const released = await releaseInTx(tx, event.orderId, "cancelled", { detail: { reason: "async_payment_failed", event: event.eventId } });
    return { outcome: released ? "applied" : "ignored" };
  },
  async checkout_expired(tx: Tx, event: Extract<PaymentEvent, { kind: "checkout_expired" }>): Promise<Handled> {
    const released = await releaseInTx(tx, event.orderId, "expired", { detail: { reason: "checkout_expired", event: event.eventId } });
    if (released) await notifyOrder(tx, event.orderId, "order_expired");
    return { outcome: released ? "applied" : "ignored" };
  },
};

const chargeHandlers = { refunded: handleRefunded, dispute_opened: handleDisputeOpened, dispute_closed: handleDisputeClosed };

/** Konbini and bank-transfer payments and customers' cash balances (lib/orders/deferred/events.ts). */
const deferredHandlers = {
  deferred_paid: deferredPaid,
  deferred_partially_funded: deferredPartiallyFunded,
  deferred_failed: deferredEnded,
  deferred_canceled: deferredEnded,
  cash_balance_available: cashBalanceAvailable,
};

/** The customer whose cash balance an event needs read at the processor before it is applied. */
function balanceCustomerOf(event: PaymentEvent): string | null {
  if (event.kind === "cash_balance_available") return event.customerId;
  return event.kind === "deferred_canceled" ? event.customerId : null;
}

/**
 * A cash balance event carries the balance as it was when sent: the balance now is read instead,
 * so an old event delivered late cannot set a case back to an amount already refunded. A cancelled
 * bank transfer's funds go back to the balance without a funds event of their own: read it too.
 */
async function withCurrentBalance(event: DeferredEvent, provider: PaymentProvider): Promise<DeferredEvent> {
  const customerId = balanceCustomerOf(event);
  if (!customerId) return event;
  let yen: number;
  try {
    yen = await provider.cashBalanceYen(customerId);
  } catch (error) {
    if ((error as { code?: string }).code === "resource_missing") return event;
    throw error;
  }
  if (event.kind === "cash_balance_available") return { ...event, availableYen: yen };
  return event.kind === "deferred_canceled" ? { ...event, balanceYen: yen } : event;
}

/**
 * Finds the order a refund or dispute concerns, before any transaction (it may ask the processor).
 * Stripe does not promise order: when the payment's own event has not been applied yet, the
 * Checkout Session is read at Stripe and its payment applied first, in the same transaction.
 */
async function resolveChargeEvent(event: ChargeEvent, provider: PaymentProvider): Promise<Resolved> {
  const paymentIntentId = event.paymentIntentId;
  if (!paymentIntentId) return { orderId: null, payment: null };
  const db = getDb();
  const [known] = await db.select({ id: orders.id, paymentMethod: orders.paymentMethod, status: orders.status }).from(orders).where(eq(orders.stripePaymentIntentId, paymentIntentId));
  // A konbini or bank-transfer order knows its payment from the start: a refund of it waits until the payment itself is applied.
  if (known && isDeferredMethod(known.paymentMethod) && inGroup(UNPAID, known.status)) throw new PaymentNotYetApplicable(`payment ${paymentIntentId} of order ${known.id} is not applied yet`);
  if (known) return { orderId: known.id, payment: null };
  const [held] = await db.select({ orderId: paymentExceptions.orderId }).from(paymentExceptions).where(eq(paymentExceptions.paymentIntentId, paymentIntentId)).limit(1);
  if (held) return { orderId: held.orderId, payment: null };
  const orderId = (event.kind === "refunded" ? event.orderId : null) ?? (await provider.orderOfPayment(paymentIntentId));
  const [order] = orderId ? await db.select().from(orders).where(eq(orders.id, orderId)) : [];
  if (!order) return { orderId: null, payment: null };
  const state = order.stripeCheckoutSessionId ? await provider.checkoutState(order.stripeCheckoutSessionId) : null;
  if (!state?.paid || state.paymentIntentId !== paymentIntentId) throw new PaymentNotYetApplicable(`payment ${paymentIntentId} of order ${order.id} is not complete at the processor yet`);
  const payment: CheckoutPaid = {
    kind: "checkout_paid",
    eventId: `${event.eventId}:payment`,
    orderId: order.id,
    sessionId: state.sessionId,
    amountYen: state.amountYen,
    currency: state.currency,
    paymentIntentId,
  };
  return { orderId: order.id, payment };
}

async function handle(tx: Tx, event: PaymentEvent, resolved: Resolved): Promise<Handled> {
  switch (event.kind) {
    case "deferred_paid":
    case "deferred_partially_funded":
    case "deferred_failed":
    case "deferred_canceled":
    case "cash_balance_available":
      return (deferredHandlers[event.kind] as (tx: Tx, event: DeferredEvent) => Promise<Handled>)(tx, event);
    case "checkout_paid":
    case "checkout_pending":
    case "checkout_failed":
    case "checkout_expired":
      return (checkoutHandlers[event.kind] as (tx: Tx, event: PaymentEvent) => Promise<Handled>)(tx, event);
    case "refunded":
    case "dispute_opened":
    case "dispute_closed":
      if (resolved.payment) await checkoutPaid(tx, resolved.payment);
      return (chargeHandlers[event.kind] as (tx: Tx, event: ChargeEvent, orderId: string | null) => Promise<Handled>)(tx, event, resolved.orderId);
    case "unmatched":
      // Signed by Stripe but not about one of our orders: acknowledged, and kept for staff.
      await openPaymentException(tx, {
        kind: "unmatched_event",
        stripeEventId: event.eventId,
        eventType: event.type,
        paymentIntentId: event.paymentIntentId,
        amountYen: event.paid && event.currency === "jpy" ? event.amountYen : 0,
        currency: event.currency,
        detail: { reference: event.reference },
      });
      return { outcome: "exception" };
    case "ignored":
      return { outcome: "ignored" };
  }
}

/**
 * Applies one verified event exactly once: its id is recorded (primary key) in the same
 * transaction as the change, so a redelivery, even a concurrent one, finds it and changes nothing.
 * Throws PaymentNotYetApplicable (nothing recorded) when the event must come back later.
 */
export async function applyPaymentEvent(event: PaymentEvent, provider: PaymentProvider = paymentProvider()): Promise<Outcome> {
  const isChargeEvent = event.kind === "refunded" || event.kind === "dispute_opened" || event.kind === "dispute_closed";
  const readsBalance = balanceCustomerOf(event) !== null;
  const asksProcessor = isChargeEvent || readsBalance;
  const [seen] = asksProcessor ? await getDb().select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.eventId)) : [];
  if (seen) return "duplicate";
  const resolved = isChargeEvent ? await resolveChargeEvent(event, provider) : { orderId: null, payment: null };
  const applied = readsBalance ? await withCurrentBalance(event as DeferredEvent, provider) : event;
  return getDb().transaction(async (tx): Promise<Outcome> => {
    const recorded = await tx.insert(stripeEvents).values({ id: event.eventId, type: event.kind }).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (recorded.length === 0) return "duplicate";
    const handled = await handle(tx, applied, resolved);
    await tx.update(stripeEvents).set({ outcome: handled.outcome }).where(eq(stripeEvents.id, event.eventId));
    return handled.outcome;
  });
}
