import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orders } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { inGroup, REFUNDABLE } from "./status";

/**
 * Asks the processor for a full refund (idempotent per order). The order changes state when the
 * processor confirms with charge.refunded, not here.
 */
export async function requestRefund(
  orderId: string,
  staffId: string,
  provider: PaymentProvider = paymentProvider(),
): Promise<{ ok: true; refundId: string } | { ok: false; error: "notRefundable" | "paidInStablecoin" }> {
  const [order] = await getDb().select().from(orders).where(eq(orders.id, orderId));
  // Its yen came on chain to the issuer, not through the processor: there is no charge to refund.
  if (order?.paymentMethod === "stablecoin") return { ok: false, error: "paidInStablecoin" };
  if (!order || !inGroup(REFUNDABLE, order.status) || !order.stripePaymentIntentId) return { ok: false, error: "notRefundable" };
  const { refundId } = await provider.refund(order.stripePaymentIntentId, `refund:${order.id}`);
  await recordAudit(getDb(), { actorId: staffId, action: "order.refund_requested", targetType: "order", targetId: order.id, detail: { refundId, yen: order.amountYen } });
  return { ok: true, refundId };
}
