import type { Order } from "@/db/schema";
import { coolingOffLastDay } from "@/lib/orders/cooling-off-period";
import { HOLDING_UNITS, inGroup, PAID_UNDISPUTED, UNPAID } from "@/lib/orders/status";

/**
 * What the cooling-off right of an order is now, for its page (no database or server code here).
 * The server refuses on its own (lib/orders/cooling-off/cancel.ts); this only decides what is shown.
 */

/** Where an investor may cancel from: waiting for payment (the units are released) or paid and not disputed (refunded). */
export const COOLING_OFF_CANCELLABLE = ["awaiting_payment", ...PAID_UNDISPUTED] as const;

type OrderFacts = Pick<Order, "status" | "paymentMethod" | "coolingOffEndsAt" | "cancelRequestedAt">;

export type CoolingOffView =
  | { kind: "none" }
  /** The right lasts: the cancel button, until the end of `lastDay` (Tokyo, 'YYYY-MM-DD'). */
  | { kind: "open"; lastDay: string; paid: boolean }
  /** Paid in the stablecoin: no processor can refund it, the issuer takes the cancellation. */
  | { kind: "issuer"; lastDay: string }
  | { kind: "ended"; lastDay: string }
  /** Cancelled within the period: `phase` says how far the refund (or release) has come. */
  | { kind: "cancelled"; at: Date; phase: "processing" | "refunding" | "refunded" | "released" };

export function coolingOffView(order: OrderFacts, now: Date): CoolingOffView {
  if (order.cancelRequestedAt) {
    const phase = order.status === "refunded" ? "refunded" : order.status === "cancelled" || order.status === "expired" ? "released" : inGroup(UNPAID, order.status) ? "processing" : "refunding";
    return { kind: "cancelled", at: order.cancelRequestedAt, phase };
  }
  if (!order.coolingOffEndsAt) return { kind: "none" };
  const lastDay = coolingOffLastDay(order.coolingOffEndsAt);
  const lasts = now.getTime() < order.coolingOffEndsAt.getTime();
  if (!lasts) return inGroup(HOLDING_UNITS, order.status) || inGroup(UNPAID, order.status) ? { kind: "ended", lastDay } : { kind: "none" };
  if (order.paymentMethod === "stablecoin") return inGroup(HOLDING_UNITS, order.status) ? { kind: "issuer", lastDay } : { kind: "none" };
  if (inGroup(COOLING_OFF_CANCELLABLE, order.status)) return { kind: "open", lastDay, paid: order.status !== "awaiting_payment" };
  return { kind: "none" };
}
