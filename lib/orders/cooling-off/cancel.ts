import "server-only";
import { and, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { orderEvents, orders, type Order } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { refundUnderpaidOfCancelled } from "@/lib/orders/exceptions";
import { releaseInTx } from "@/lib/orders/settle";
import { HOLDING_UNITS, inGroup } from "@/lib/orders/status";
import { COOLING_OFF_CANCELLABLE } from "./state";
import { COOLING_OFF_JOB_OPTIONS, finishCoolingOffCancel, notifyCoolingOffCancel } from "./refund";

export type CoolingOffRefusal = "notFound" | "notOwner" | "expired" | "alreadyCancelled" | "notCancellable" | "paidInStablecoin" | "disputed";
export type CoolingOffResult = { ok: true; outcome: "refunding" | "released" } | { ok: false; error: CoolingOffRefusal };

const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** Why the conditional UPDATE did not take this order (read after it, so it names what was true then). */
function refusalOf(order: Order | undefined, userId: string, now: Date): CoolingOffRefusal {
  if (!order) return "notFound";
  if (order.userId !== userId) return "notOwner";
  if (order.cancelRequestedAt) return "alreadyCancelled";
  if (order.coolingOffEndsAt && now.getTime() >= order.coolingOffEndsAt.getTime()) return "expired";
  if (order.paymentMethod === "stablecoin" && (inGroup(HOLDING_UNITS, order.status) || order.status === "refunded")) return "paidInStablecoin";
  if (order.status === "disputed") return "disputed";
  return "notCancellable";
}

/** One statement claims the order: a double submit or a second tab finds cancelRequestedAt set and changes nothing. */
async function claim(tx: Tx, userId: string, orderId: string, now: Date): Promise<Order | null> {
  const [order] = await tx
    .update(orders)
    .set({ cancelRequestedAt: now, updatedAt: sql`now()` })
    .where(
      and(
        eq(orders.id, orderId),
        eq(orders.userId, userId),
        isNull(orders.cancelRequestedAt),
        gt(orders.coolingOffEndsAt, now),
        inArray(orders.status, [...COOLING_OFF_CANCELLABLE]),
        // Its yen went on chain to the issuer: no processor can refund it.
        ne(orders.paymentMethod, "stablecoin"),
      ),
    )
    .returning();
  return order ?? null;
}

/**
 * The investor cancels their order within its cooling-off period (`now` < coolingOffEndsAt). Unpaid:
 * its units go back to the sale now (a card order's Checkout Session is expired first; a konbini or
 * bank-transfer payment is cancelled by its job). Paid: the refund job asks the processor for the
 * full amount, and the refund's own event moves the order to refunded and claws back its tokens.
 */
export async function cancelWithinCoolingOff(userId: string, orderId: string, provider: PaymentProvider = paymentProvider(), now = new Date()): Promise<CoolingOffResult> {
  if (!isUuid(orderId)) return { ok: false, error: "notFound" };
  const result = await getDb().transaction(async (tx): Promise<CoolingOffResult | { ok: true; outcome: "expireCheckout"; order: Order }> => {
    const order = await claim(tx, userId, orderId, now);
    if (!order) {
      const [found] = await tx.select().from(orders).where(eq(orders.id, orderId));
      return { ok: false, error: refusalOf(found, userId, now) };
    }
    const detail = { coolingOff: true, status: order.status, amountYen: order.amountYen, paymentMethod: order.paymentMethod };
    await recordAudit(tx, { actorId: userId, action: "order.cooling_off_cancelled", targetType: "order", targetId: order.id, detail });
    if (order.status !== "awaiting_payment") {
      // A step in the order's journey that is no change of status: the cancellation, while the refund is on its way.
      await tx.insert(orderEvents).values({ orderId: order.id, fromStatus: order.status, toStatus: order.status, detail: { coolingOff: true } });
      await enqueue(tx, JOBS.coolingOffRefund, { orderId: order.id }, COOLING_OFF_JOB_OPTIONS);
      await notifyCoolingOffCancel(tx, order);
      return { ok: true, outcome: "refunding" };
    }
    if (order.paymentMethod === "konbini" || order.paymentMethod === "bank_transfer") {
      await releaseInTx(tx, order.id, "cancelled", { from: ["awaiting_payment"], detail: { coolingOff: true, reason: "cooling_off" } });
      await enqueue(tx, JOBS.cancelDeferredPayment, { orderId: order.id });
      // Part of a transfer had arrived: it goes back in full, not left in the cash balance for staff.
      const refunding = order.receivedYen > 0 && (await refundUnderpaidOfCancelled(tx, order.id));
      return { ok: true, outcome: refunding ? "refunding" : "released" };
    }
    // A card order's session is expired at the processor before its units go back; the job finishes it if this process cannot.
    await enqueue(tx, JOBS.coolingOffRefund, { orderId: order.id }, COOLING_OFF_JOB_OPTIONS);
    return { ok: true, outcome: "expireCheckout", order };
  });
  if (!result.ok || result.outcome !== "expireCheckout") return result;
  try {
    const done = await finishCoolingOffCancel(orderId, provider);
    return { ok: true, outcome: done === "waitingForPayment" ? "refunding" : "released" };
  } catch (error) {
    console.error(`[cooling-off] order ${orderId}: the release waits for its job`, error);
    return { ok: true, outcome: "released" };
  }
}
