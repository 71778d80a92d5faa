import "server-only";
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { DEFERRED_METHODS, orderEvents, orders } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { CancelDeferredResult, PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { inGroup, RELEASED } from "../status";
import { isDeferredMethod } from "./schedule";

/**
 * A released konbini or bank-transfer order's payment is cancelled at the processor, so nothing
 * can be paid to it later (a transfer then stays in the customer's cash balance, held for staff).
 * Done is marked on the order's release step in its journey (`paymentCancelled`), which the sweep reads.
 */

const RELEASE_STEPS = [...RELEASED];
const cancelledMark = sql`(${orderEvents.detail}->>'paymentCancelled') is not null`;

async function alreadyMarked(db: DbOrTx, orderId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orderEvents.id })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), inArray(orderEvents.toStatus, RELEASE_STEPS), cancelledMark))
    .limit(1);
  return Boolean(row);
}

/** Marks the order's latest release step with what the processor said, and audits it (once). */
export async function markPaymentCancelled(db: DbOrTx, orderId: string, paymentIntentId: string, result: CancelDeferredResult): Promise<void> {
  if (await alreadyMarked(db, orderId)) return;
  await db.execute(sql`
    update ${orderEvents} set detail = coalesce(detail, '{}'::jsonb) || ${JSON.stringify({ paymentCancelled: result })}::jsonb
    where id = (select id from ${orderEvents} where order_id = ${orderId} and to_status in ('expired', 'cancelled') order by at desc, id desc limit 1)`);
  await recordAudit(db, { actorId: null, action: "order.payment_cancelled", targetType: "order", targetId: orderId, detail: { paymentIntentId, result } });
}

/**
 * The job: cancels the payment of a released deferred order once. "already_succeeded" is left to
 * the payment's own event (a late payment takes the units again if it can, else it is refunded).
 */
export async function cancelReleasedPayment(orderId: string, provider: PaymentProvider = paymentProvider()): Promise<CancelDeferredResult | "skipped"> {
  const [order] = await getDb().select().from(orders).where(eq(orders.id, orderId));
  if (!order?.stripePaymentIntentId || !isDeferredMethod(order.paymentMethod) || !inGroup(RELEASED, order.status)) return "skipped";
  if (await alreadyMarked(getDb(), orderId)) return "skipped";
  const result = await provider.cancelDeferredPayment(order.stripePaymentIntentId);
  await getDb().transaction((tx) => markPaymentCancelled(tx, orderId, order.stripePaymentIntentId!, result));
  return result;
}

/** The sweep: released deferred orders whose payment is not marked cancelled yet (a lost or exhausted job). */
export async function sweepUncancelledPayments(olderThan: Date, provider: PaymentProvider = paymentProvider()): Promise<number> {
  const due = await getDb()
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        inArray(orders.status, RELEASE_STEPS),
        inArray(orders.paymentMethod, [...DEFERRED_METHODS]),
        isNotNull(orders.stripePaymentIntentId),
        lt(orders.updatedAt, olderThan),
        sql`not exists (select 1 from ${orderEvents} where ${orderEvents.orderId} = ${orders.id} and ${orderEvents.toStatus} in ('expired', 'cancelled') and ${cancelledMark})`,
      ),
    )
    .limit(100);
  let done = 0;
  for (const { id } of due) {
    try {
      if ((await cancelReleasedPayment(id, provider)) !== "skipped") done += 1;
    } catch (error) {
      console.error(`[orders] cancelling the payment of order ${id} failed; the next sweep tries again`, error);
    }
  }
  return done;
}
