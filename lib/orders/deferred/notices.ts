import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { offerings, orders, type NoticeDetail } from "@/db/schema";
import { notify } from "@/lib/notifications/notices";

type DeferredNotice = "payment_instructions" | "payment_due_soon" | "payment_underpaid" | "payment_topup_requested";

/**
 * A notice about a konbini or bank-transfer order, with what the texts name: the offering, the
 * order's amount, the method and the instruction's end. Underpaid notices are given once per
 * transfer (their event is applied once), so they are not keyed to the order like the others.
 */
export async function notifyDeferred(tx: DbOrTx, orderId: string, kind: DeferredNotice, extra: Pick<NoticeDetail, "receivedYen" | "remainingYen" | "endsAt"> = {}) {
  const [order] = await tx
    .select({
      userId: orders.userId,
      amountYen: orders.amountYen,
      paymentMethod: orders.paymentMethod,
      instructions: orders.paymentInstructions,
      offeringNameJa: offerings.nameJa,
      offeringNameEn: offerings.nameEn,
    })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(eq(orders.id, orderId));
  if (!order) return null;
  const detail: NoticeDetail = {
    orderId,
    offeringNameJa: order.offeringNameJa,
    offeringNameEn: order.offeringNameEn,
    amountYen: order.amountYen,
    paymentMethod: order.paymentMethod,
    ...(order.instructions ? { endsAt: order.instructions.expiresAt } : {}),
    ...extra,
  };
  return notify(tx, { userId: order.userId, kind, orderId: kind === "payment_underpaid" ? null : orderId, detail });
}
