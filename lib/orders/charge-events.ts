import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { allocations, auditLog, ledgerEntries, offerings, orders, type Order } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notifyOrder } from "@/lib/notifications/notices";
import type { PaymentEvent } from "@/lib/payments/provider";
import { closeRefundedExceptions, exceptionOfPayment, openPaymentException } from "./exceptions";
import { HOLDING_UNITS, inGroup } from "./status";
import { transitionOrder } from "./transitions";

/**
 * Refunds and disputes: events about a charge after its payment. The order they concern was
 * resolved (and its payment applied) before the transaction; `orderId` is null when the payment
 * is not one of the portal's orders.
 */
export type Handled = { outcome: "applied" | "ignored" | "exception" };
type Event<K extends PaymentEvent["kind"]> = Extract<PaymentEvent, { kind: K }>;

async function lockOrder(tx: Tx, orderId: string | null) {
  if (!orderId) return null;
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return order ?? null;
}

/** Yen already booked back for this charge: charge.refunded carries the running total. */
async function refundedForCharge(tx: Tx, event: Event<"refunded">, orderId: string | null): Promise<number> {
  const sameCharge = sql`(${ledgerEntries.detail}->>'chargeId' = ${event.chargeId} or ${ledgerEntries.detail}->>'paymentIntentId' = ${event.paymentIntentId})`;
  // Through the order's index when there is one: its refunds are booked under its id.
  const [row] = await tx
    .select({ yen: sql<string>`coalesce(-sum(${ledgerEntries.yen}), 0)` })
    .from(ledgerEntries)
    .where(and(orderId ? eq(ledgerEntries.orderId, orderId) : undefined, eq(ledgerEntries.kind, "yen_refunded"), sameCharge));
  return Number(row?.yen ?? 0);
}

/** Takes a refunded or charged-back order's units off the offering (its residents' tranche units too) and queues their clawback. */
async function endWithUnitsBack(tx: Tx, order: Order, detail: Record<string, unknown>) {
  const hadUnits = inGroup(HOLDING_UNITS, order.status);
  const moved = await transitionOrder(tx, order.id, "refunded", { detail });
  if (moved && hadUnits) {
    await tx
      .update(offerings)
      .set({ soldUnits: sql`${offerings.soldUnits} - ${order.units}`, residentTakenUnits: sql`${offerings.residentTakenUnits} - ${order.residentUnits}` })
      .where(eq(offerings.id, order.offeringId));
    await enqueue(tx, JOBS.clawback, { orderId: order.id });
  }
  return moved;
}

export async function handleRefunded(tx: Tx, event: Event<"refunded">, orderId: string | null): Promise<Handled> {
  const order = await lockOrder(tx, orderId);
  const newlyRefunded = event.amountRefundedYen - (await refundedForCharge(tx, event, order?.id ?? null));
  if (newlyRefunded <= 0) return { outcome: "ignored" };
  const closed = await closeRefundedExceptions(tx, event.paymentIntentId);
  const offeringId = order?.offeringId ?? closed[0]?.offeringId ?? (await exceptionOfPayment(tx, event.paymentIntentId))?.offeringId;
  if (!offeringId) {
    await openPaymentException(tx, {
      kind: "unmatched_event",
      stripeEventId: event.eventId,
      eventType: "charge.refunded",
      paymentIntentId: event.paymentIntentId,
      detail: { chargeId: event.chargeId, refundedYen: event.amountRefundedYen },
    });
    return { outcome: "exception" };
  }
  await tx.insert(ledgerEntries).values({
    kind: "yen_refunded",
    offeringId,
    orderId: order?.id ?? null,
    userId: order?.userId ?? null,
    yen: -newlyRefunded,
    detail: { event: event.eventId, chargeId: event.chargeId, paymentIntentId: event.paymentIntentId },
  });
  // A second payment for an order that was already paid: its refund moves money only.
  if (!order || order.stripePaymentIntentId !== event.paymentIntentId) return { outcome: "applied" };
  await tx.update(orders).set({ stripeChargeId: event.chargeId }).where(eq(orders.id, order.id));
  if (event.amountRefundedYen < order.amountYen) {
    await recordAudit(tx, { actorId: null, action: "order.partially_refunded", targetType: "order", targetId: order.id, detail: { refundedYen: event.amountRefundedYen } });
    return { outcome: "applied" };
  }
  await endWithUnitsBack(tx, order, { event: event.eventId });
  await notifyOrder(tx, order.id, "order_refunded", { amountYen: event.amountRefundedYen });
  await recordAudit(tx, { actorId: null, action: "order.refunded", targetType: "order", targetId: order.id, detail: { yen: event.amountRefundedYen } });
  return { outcome: "applied" };
}

export async function handleDisputeOpened(tx: Tx, event: Event<"dispute_opened">, orderId: string | null): Promise<Handled> {
  const order = await lockOrder(tx, orderId);
  if (!order || order.stripePaymentIntentId !== event.paymentIntentId) {
    await openPaymentException(tx, {
      kind: "unmatched_event",
      stripeEventId: event.eventId,
      eventType: "charge.dispute.created",
      orderId: order?.id,
      offeringId: order?.offeringId,
      paymentIntentId: event.paymentIntentId,
      detail: { disputeId: event.disputeId, reason: event.reason },
    });
    return { outcome: "exception" };
  }
  // Stripe does not promise order: a dispute whose closing came first is over already (see handleDisputeClosed).
  if (await disputeClosedAlready(tx, event.disputeId)) return { outcome: "ignored" };
  const moved = await transitionOrder(tx, order.id, "disputed", { detail: { event: event.eventId, disputeId: event.disputeId, reason: event.reason } });
  if (!moved) return { outcome: "ignored" };
  await enqueue(tx, JOBS.freeze, { orderId: order.id });
  await recordAudit(tx, { actorId: null, action: "order.disputed", targetType: "order", targetId: order.id, detail: { disputeId: event.disputeId, reason: event.reason } });
  return { outcome: "applied" };
}

/** Won: the order is as it was and the holder unfrozen. Lost: the money is gone, so are the tokens. */
export async function handleDisputeClosed(tx: Tx, event: Event<"dispute_closed">, orderId: string | null): Promise<Handled> {
  const order = await lockOrder(tx, orderId);
  // Closed before its opening arrived: lost still takes the money back; the audit row below tells the late opening it is over.
  const closedFirst = order !== null && order.status !== "disputed" && inGroup(HOLDING_UNITS, order.status) && !(await disputeClosedAlready(tx, event.disputeId));
  if (closedFirst && event.outcome === "lost") {
    const detail = { event: event.eventId, disputeId: event.disputeId, outcome: event.outcome };
    await loseDispute(tx, order, detail, event);
    await recordAudit(tx, { actorId: null, action: "order.dispute_lost", targetType: "order", targetId: order.id, detail });
    return { outcome: "applied" };
  }
  if (order?.status !== "disputed" || event.outcome === "other") {
    await recordAudit(tx, {
      actorId: null,
      action: "payment.dispute_closed",
      targetType: order ? "order" : "payment",
      targetId: order?.id ?? event.paymentIntentId ?? event.disputeId,
      detail: { disputeId: event.disputeId, outcome: event.outcome, orderStatus: order?.status ?? null },
    });
    return { outcome: "ignored" };
  }
  const detail = { event: event.eventId, disputeId: event.disputeId, outcome: event.outcome };
  if (event.outcome === "won") {
    const [allocation] = await tx.select().from(allocations).where(eq(allocations.orderId, order.id));
    const back = allocation?.allocatedAt ? "allocated" : allocation ? "allocating" : "paid";
    await transitionOrder(tx, order.id, back, { from: ["disputed"], detail });
    if (back === "paid") await enqueue(tx, JOBS.allocate, { orderId: order.id });
  } else {
    await loseDispute(tx, order, detail, event);
  }
  await enqueue(tx, JOBS.unfreeze, { orderId: order.id });
  await recordAudit(tx, { actorId: null, action: event.outcome === "won" ? "order.dispute_won" : "order.dispute_lost", targetType: "order", targetId: order.id, detail });
  return { outcome: "applied" };
}

/** A lost dispute: the card issuer took the money back, so the units and tokens go back too; to the investor it is a refund. */
async function loseDispute(tx: Tx, order: Order, detail: Record<string, unknown>, event: Event<"dispute_closed">): Promise<void> {
  await tx.insert(ledgerEntries).values({
    kind: "yen_refunded",
    offeringId: order.offeringId,
    orderId: order.id,
    userId: order.userId,
    yen: -order.amountYen,
    detail: { ...detail, chargeId: event.chargeId, paymentIntentId: event.paymentIntentId },
  });
  await endWithUnitsBack(tx, order, detail);
  await notifyOrder(tx, order.id, "order_refunded", { amountYen: order.amountYen });
}

/** Whether this dispute's closing was recorded already (every closing leaves an audit row naming it). */
async function disputeClosedAlready(tx: Tx, disputeId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(sql`${auditLog.action} in ('payment.dispute_closed', 'order.dispute_won', 'order.dispute_lost')`, sql`${auditLog.detail}->>'disputeId' = ${disputeId}`))
    .limit(1);
  return Boolean(row);
}
