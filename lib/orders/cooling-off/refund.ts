import "server-only";
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { auditLog, offerings, orders, type Order } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notify } from "@/lib/notifications/notices";
import { refundUnderpaidOfCancelled } from "@/lib/orders/exceptions";
import { expireAtProcessor } from "@/lib/orders/expiry";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { releaseInTx } from "@/lib/orders/settle";
import { inGroup, PAID_UNDISPUTED } from "@/lib/orders/status";
import { COOLING_OFF_CANCELLABLE } from "./state";

/**
 * The work after an investor's cooling-off cancellation, run by its job (and the sweep), each step
 * reading the order first so a second run changes nothing:
 * - unpaid card order: its Checkout Session is expired at the processor, then its units released;
 * - paid, allocating or allocated: the processor is asked for the full refund under the same
 *   idempotency key staff refunds use (lib/orders/refund.ts), so only one refund can ever go out.
 *   charge.refunded then moves the order to refunded, takes its units off the sale and queues the
 *   clawback, which waits for an allocation still in flight (lib/chain/compliance.ts).
 */
export type FinishOutcome = "released" | "refundRequested" | "waitingForPayment" | "done" | "skipped";

/** The refund job is retried with growing pauses while the processor cannot be reached. */
export const COOLING_OFF_JOB_OPTIONS = { retryLimit: 12, retryDelay: 10, retryBackoff: true } as const;

/** The paid order's notice: the full amount goes back, the tokens too (once per order, however often called). */
export async function notifyCoolingOffCancel(tx: Tx, order: Order): Promise<void> {
  const [offering] = await tx.select({ nameJa: offerings.nameJa, nameEn: offerings.nameEn }).from(offerings).where(eq(offerings.id, order.offeringId));
  await notify(tx, {
    userId: order.userId,
    kind: "order_cancelled_cooling_off",
    orderId: order.id,
    detail: { orderId: order.id, amountYen: order.amountYen, offeringNameJa: offering?.nameJa, offeringNameEn: offering?.nameEn, paymentMethod: order.paymentMethod },
  });
}

/** The key of the order's one refund at the processor, shared with staff refunds. */
const refundKeyOf = (orderId: string) => `refund:${orderId}`;

async function releaseUnpaid(order: Order, provider: PaymentProvider): Promise<FinishOutcome> {
  if (order.paymentMethod === "konbini" || order.paymentMethod === "bank_transfer") {
    // Released with the cancellation itself; handled here too, so no path releases one without cancelling its payment.
    await getDb().transaction(async (tx) => {
      const released = await releaseInTx(tx, order.id, "cancelled", { from: ["awaiting_payment"], detail: { coolingOff: true, reason: "cooling_off" } });
      if (released) {
        await enqueue(tx, JOBS.cancelDeferredPayment, { orderId: order.id });
        if (released.receivedYen > 0) await refundUnderpaidOfCancelled(tx, order.id);
      }
    });
    return "released";
  }
  // Under the order's lock, so the session's own expiry (or payment) event waits and then finds the order cancelled (or pays it).
  return getDb().transaction(async (tx): Promise<FinishOutcome> => {
    const [locked] = await tx.select().from(orders).where(eq(orders.id, order.id)).for("update");
    if (locked?.status !== "awaiting_payment") return "done";
    // Paid at the processor meanwhile: its event makes the order paid, and the next run refunds it.
    if (!(await expireAtProcessor(locked, provider))) return "waitingForPayment";
    await releaseInTx(tx, order.id, "cancelled", { from: ["awaiting_payment"], detail: { coolingOff: true, reason: "cooling_off" } });
    return "released";
  });
}

async function refundPaid(order: Order, provider: PaymentProvider): Promise<FinishOutcome> {
  if (!order.stripePaymentIntentId) throw new Error(`order ${order.id} is paid without a payment at the processor`);
  let refundId: string;
  try {
    refundId = (await provider.refund(order.stripePaymentIntentId, refundKeyOf(order.id))).refundId;
  } catch (error) {
    // Refunded already (by staff, or by this job once its idempotency key had expired): the charge's event moves the order.
    if ((error as { code?: string }).code !== "charge_already_refunded") throw error;
    refundId = "already_refunded";
  }
  await getDb().transaction(async (tx) => {
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, order.id)).for("update");
    const [recorded] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, order.id), eq(auditLog.action, "order.refund_requested"), sql`${auditLog.detail}->>'refundId' = ${refundId}`))
      .limit(1);
    if (!recorded) await recordAudit(tx, { actorId: null, action: "order.refund_requested", targetType: "order", targetId: order.id, detail: { refundId, yen: order.amountYen, coolingOff: true } });
    // Once per order: already given when it was cancelled paid; given here when it was paid after the cancellation.
    await notifyCoolingOffCancel(tx, order);
  });
  return "refundRequested";
}

/** Finishes one cancelled order's release or refund; what is left to do is read from the order. */
export async function finishCoolingOffCancel(orderId: string, provider: PaymentProvider = paymentProvider()): Promise<FinishOutcome> {
  const [order] = await getDb().select().from(orders).where(eq(orders.id, orderId));
  if (!order?.cancelRequestedAt) return "skipped";
  if (order.status === "awaiting_payment") return releaseUnpaid(order, provider);
  if (inGroup(PAID_UNDISPUTED, order.status)) return refundPaid(order, provider);
  // Refunded, released, or disputed (the dispute decides; if it is won, the sweep refunds then).
  return "done";
}

/**
 * Cancelled orders still waiting for their release or refund since before `olderThan` (a lost or
 * exhausted job, a refund whose event never came): finished again, one by one.
 */
export async function sweepCoolingOff(olderThan: Date, provider: PaymentProvider = paymentProvider()): Promise<number> {
  const stale = await getDb()
    .select({ id: orders.id })
    .from(orders)
    .where(and(isNotNull(orders.cancelRequestedAt), lt(orders.cancelRequestedAt, olderThan), inArray(orders.status, [...COOLING_OFF_CANCELLABLE])))
    .limit(100);
  let finished = 0;
  for (const { id } of stale) {
    try {
      const outcome = await finishCoolingOffCancel(id, provider);
      if (outcome === "released" || outcome === "refundRequested") finished += 1;
    } catch (error) {
      console.error(`[cooling-off] order ${id} waits for the next sweep: ${error instanceof Error ? error.message : error}`);
    }
  }
  return finished;
}
