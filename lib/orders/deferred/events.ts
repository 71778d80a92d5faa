import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { orders, paymentExceptions, type Order, type PaymentInstructions } from "@/db/schema";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notifyOrder } from "@/lib/notifications/notices";
import type { PaymentEvent } from "@/lib/payments/provider";
import type { Handled } from "../charge-events";
import { openPaymentException } from "../exceptions";
import { isLatePayment, markPaidInTx, releaseInTx } from "../settle";
import { inGroup, UNPAID } from "../status";
import { closeUnderpaidCase, upsertUnappliedCase, upsertUnderpaidCase } from "./cases";
import { notifyDeferred } from "./notices";
import { CANCEL_JOB_OPTIONS } from "./schedule";

/**
 * The webhook handlers of konbini and bank-transfer payments, each in the transaction that records
 * its event id. Stripe does not promise order: each one reads the order as it is now and changes
 * only what is still to change, so a redelivered or late event changes nothing twice.
 */

type Event<K extends PaymentEvent["kind"]> = Extract<PaymentEvent, { kind: K }>;

async function lockOrder(tx: Tx, orderId: string): Promise<Order | null> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return order ?? null;
}

/** The bank instructions with what is still to pay (the konbini voucher has no such line). */
function withRemaining(instructions: PaymentInstructions | null, remainingYen: number): PaymentInstructions | null {
  return instructions?.method === "bank_transfer" ? { ...instructions, amountRemainingYen: remainingYen } : instructions;
}

/** Paid in full: applied exactly as a paid Checkout, late payments included. */
export async function deferredPaid(tx: Tx, event: Event<"deferred_paid">): Promise<Handled> {
  const order = await lockOrder(tx, event.orderId);
  const money = {
    stripeEventId: event.eventId,
    eventType: "payment_intent.succeeded",
    paymentIntentId: event.paymentIntentId,
    amountYen: event.currency === "jpy" ? event.receivedYen : 0,
    currency: event.currency,
  };
  if (!order) {
    await openPaymentException(tx, { kind: "unmatched_event", ...money, stripeCustomerId: event.customerId, detail: { reference: event.orderId } });
    return { outcome: "exception" };
  }
  const context = { orderId: order.id, offeringId: order.offeringId, stripeCustomerId: event.customerId, ...money };
  // A konbini or bank-transfer order knows its payment from the start (before that, its method):
  // money on any other payment is held for staff and leaves the order, and its buyer, alone.
  const samePayment = order.stripePaymentIntentId ? order.stripePaymentIntentId === event.paymentIntentId : order.paymentMethod === event.method;
  if (!samePayment) {
    await openPaymentException(tx, { kind: "duplicate_payment", ...context, detail: { orderPaymentMethod: order.paymentMethod, orderStatus: order.status } });
    return { outcome: "exception" };
  }
  // The processor is told, not trusted blindly: the money must match the order exactly.
  if (event.currency !== "jpy" || event.receivedYen !== order.amountYen || event.amountYen !== order.amountYen || order.paymentMethod !== event.method) {
    await releaseInTx(tx, order.id, "cancelled", { from: UNPAID, detail: { reason: "payment_mismatch", event: event.eventId } });
    await openPaymentException(tx, { kind: "amount_mismatch", ...context, detail: { expectedYen: order.amountYen, receivedYen: event.receivedYen } });
    return { outcome: "exception" };
  }
  const result = await markPaidInTx(tx, order.id, { paymentIntentId: event.paymentIntentId, eventId: event.eventId });
  await tx
    .update(orders)
    .set({ receivedYen: order.amountYen, paymentInstructions: withRemaining(order.paymentInstructions, 0) })
    .where(eq(orders.id, order.id));
  await closeUnderpaidCase(tx, order.id, "paid_in_full", ["open", "topup_requested", "refund_queued"]);
  if (isLatePayment(result)) {
    // The portal owes this money back: a refund job, in this transaction.
    await openPaymentException(tx, { kind: result, ...context }, { refund: true });
    return { outcome: "exception" };
  }
  return { outcome: result === "skipped" ? "ignored" : "applied" };
}

/** Part of a bank transfer arrived: kept on the order, and held for staff (ask for the rest, or refund). */
export async function deferredPartiallyFunded(tx: Tx, event: Event<"deferred_partially_funded">): Promise<Handled> {
  const order = await lockOrder(tx, event.orderId);
  // Paid meanwhile (events out of order), or released: its funds go back to the cash balance when the payment is cancelled.
  if (!order || order.stripePaymentIntentId !== event.paymentIntentId || !inGroup(UNPAID, order.status)) return { outcome: "ignored" };
  const receivedYen = Math.max(order.receivedYen, event.amountYen - event.remainingYen);
  if (receivedYen <= order.receivedYen || receivedYen >= order.amountYen) return { outcome: "ignored" };
  const remainingYen = order.amountYen - receivedYen;
  await tx
    .update(orders)
    .set({ receivedYen, paymentInstructions: withRemaining(order.paymentInstructions, remainingYen), updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await upsertUnderpaidCase(tx, order, event, receivedYen);
  await notifyDeferred(tx, order.id, "payment_underpaid", { receivedYen, remainingYen });
  return { outcome: "exception" };
}

/**
 * The voucher expired unpaid, or the payment was cancelled: the order is released if it still
 * waits (as the expiry would), and a partly paid transfer's case ends (its money is back in the
 * customer's cash balance, where an unapplied case takes it up).
 */
export async function deferredEnded(tx: Tx, event: Event<"deferred_failed" | "deferred_canceled">): Promise<Handled> {
  const order = await lockOrder(tx, event.orderId);
  if (!order || order.stripePaymentIntentId !== event.paymentIntentId) return { outcome: "ignored" };
  const canceled = event.kind === "deferred_canceled";
  const reason = canceled ? "payment_canceled" : event.reason;
  const released = await releaseInTx(tx, order.id, canceled ? "cancelled" : "expired", {
    from: UNPAID,
    detail: { reason, event: event.eventId, ...(canceled ? { paymentCancelled: "already_canceled" } : {}) },
  });
  let held = false;
  if (canceled) {
    await closeUnderpaidCase(tx, order.id, "payment_cancelled");
    // The processor announces only new funds: what this payment gave back is held here, like any unapplied
    // money, unless its refund is queued or sent already (the balance read may predate that refund).
    if (order.receivedYen > 0 && event.customerId && event.balanceYen !== undefined && !(await transferRefundOf(tx, order.id))) {
      held = (await cashBalanceAvailable(tx, { kind: "cash_balance_available", eventId: event.eventId, customerId: event.customerId, availableYen: event.balanceYen })).outcome === "exception";
    }
  }
  if (!released) return { outcome: held ? "exception" : "ignored" };
  // A failed voucher's payment is still open at the processor: cancelled there too, so nothing lands later.
  if (!canceled) await enqueue(tx, JOBS.cancelDeferredPayment, { orderId: order.id }, CANCEL_JOB_OPTIONS);
  await notifyOrder(tx, order.id, "order_expired");
  return { outcome: "applied" };
}

/** Whether the order's short transfer is being, or has been, refunded from the cash balance. */
async function transferRefundOf(tx: Tx, orderId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: paymentExceptions.id })
    .from(paymentExceptions)
    .where(and(eq(paymentExceptions.orderId, orderId), eq(paymentExceptions.kind, "underpaid_transfer"), inArray(paymentExceptions.status, ["refund_queued", "refunded"])))
    .limit(1);
  return Boolean(row);
}

/** Money no payment took (overpaid, paid twice, paid after the deadline): held for staff, per customer. */
export async function cashBalanceAvailable(tx: Tx, event: Event<"cash_balance_available">): Promise<Handled> {
  // Money a queued refund of this customer's is about to send back is not held twice.
  const [queued] = await tx
    .select({ yen: sql<string>`coalesce(sum(${paymentExceptions.amountYen}), 0)` })
    .from(paymentExceptions)
    .where(and(eq(paymentExceptions.stripeCustomerId, event.customerId), eq(paymentExceptions.status, "refund_queued"), inArray(paymentExceptions.kind, ["underpaid_transfer", "unapplied_transfer"])));
  const availableYen = event.availableYen - Number(queued?.yen ?? 0);
  if (availableYen <= 0) return { outcome: "ignored" };
  await upsertUnappliedCase(tx, event, availableYen);
  return { outcome: "exception" };
}
