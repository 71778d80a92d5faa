import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { paymentExceptions, type PaymentException } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { PaymentProvider } from "@/lib/payments/provider";
import { markPaymentCancelled } from "./cancel";
import { closeUnderpaidCase } from "./cases";

/**
 * The refund job of a bank-transfer case: money in the customer's cash balance goes back to them.
 * An underpaid order's payment is cancelled first (its applied funds return to the balance). What
 * is sent is decided once and kept on the case, so a retry sends the same refund under the same
 * idempotency key; never more than the balance holds.
 */
export async function sendBalanceRefund(row: PaymentException, provider: PaymentProvider): Promise<"refunded" | "skipped"> {
  const customerId = row.stripeCustomerId;
  if (!customerId) throw new Error(`case ${row.id} names no customer whose balance to refund`);
  if (row.kind === "underpaid_transfer" && row.paymentIntentId) {
    const cancelled = await provider.cancelDeferredPayment(row.paymentIntentId);
    if (cancelled === "already_succeeded") {
      // Paid in full after all: the payment's own event applies it; nothing of this case is owed back.
      await getDb().transaction((tx) => closeUnderpaidCase(tx, row.orderId!, "paid_in_full", ["refund_queued"]));
      return "skipped";
    }
    if (row.orderId) await getDb().transaction((tx) => markPaymentCancelled(tx, row.orderId!, row.paymentIntentId!, cancelled));
  }
  const amountYen = await decidedAmount(row, provider, customerId);
  const refundId = amountYen > 0 ? (await provider.refundCashBalance(customerId, amountYen, `balance-refund:${row.id}`)).refundId : null;
  await getDb().transaction(async (tx) => {
    const [done] = await tx
      .update(paymentExceptions)
      .set({ status: "refunded", refundId, openCaseKey: null, resolvedAt: sql`now()` })
      .where(and(eq(paymentExceptions.id, row.id), eq(paymentExceptions.status, "refund_queued")))
      .returning({ id: paymentExceptions.id });
    if (!done) return;
    await recordAudit(tx, {
      actorId: null,
      action: "payment.refund_sent",
      targetType: row.orderId ? "order" : "payment",
      targetId: row.orderId ?? customerId,
      detail: { exceptionId: row.id, refundId, amountYen, customerId, ...(amountYen === 0 ? { note: "nothing in the cash balance to send" } : {}) },
    });
  });
  return "refunded";
}

/** min(the case's yen, the balance now), read once and kept in the case's detail. */
async function decidedAmount(row: PaymentException, provider: PaymentProvider, customerId: string): Promise<number> {
  const kept = row.detail?.refundAmountYen;
  if (typeof kept === "number") return kept;
  const amountYen = Math.max(0, Math.min(row.amountYen, await provider.cashBalanceYen(customerId)));
  await getDb()
    .update(paymentExceptions)
    .set({ detail: sql`coalesce(${paymentExceptions.detail}, '{}'::jsonb) || ${JSON.stringify({ refundAmountYen: amountYen, nothingToRefund: amountYen === 0 })}::jsonb` })
    .where(and(eq(paymentExceptions.id, row.id), sql`${paymentExceptions.detail}->'refundAmountYen' is null`));
  const [now] = await getDb().select({ detail: paymentExceptions.detail }).from(paymentExceptions).where(eq(paymentExceptions.id, row.id));
  return typeof now?.detail?.refundAmountYen === "number" ? now.detail.refundAmountYen : amountYen;
}
