import "server-only";
import { and, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { DEFERRED_METHODS, orders } from "@/db/schema";
import { notifyDeferred } from "./notices";

const REMIND_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * The hourly sweep: a konbini or bank-transfer order whose payment ends within a day is reminded
 * once. The conditional UPDATE that sets `paymentReminderSentAt` and the notice share a transaction,
 * so two sweeps at once still remind once.
 */
export async function sendPaymentReminders(now: Date = new Date()): Promise<number> {
  return getDb().transaction(async (tx) => {
    const due = await tx
      .update(orders)
      .set({ paymentReminderSentAt: now })
      .where(
        and(
          eq(orders.status, "awaiting_payment"),
          inArray(orders.paymentMethod, [...DEFERRED_METHODS]),
          isNull(orders.paymentReminderSentAt),
          gt(orders.reservationExpiresAt, now),
          lte(orders.reservationExpiresAt, new Date(now.getTime() + REMIND_WITHIN_MS)),
        ),
      )
      .returning({ id: orders.id, amountYen: orders.amountYen, receivedYen: orders.receivedYen });
    for (const order of due) {
      await notifyDeferred(tx, order.id, "payment_due_soon", order.receivedYen > 0 ? { receivedYen: order.receivedYen, remainingYen: order.amountYen - order.receivedYen } : {});
    }
    return due.length;
  });
}
