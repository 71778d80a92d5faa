import "server-only";
import { getDb } from "@/db/client";
import type { DeferredMethod } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { DeferredPaymentCreated } from "@/lib/payments/provider";
import { transitionOrder } from "../transitions";
import { notifyDeferred } from "./notices";
import { reservationEndOf } from "./schedule";

/**
 * reserved → awaiting_payment with its PaymentIntent and instructions, the units held until the
 * instruction ends, audited, and the buyer told how to pay: one transaction. False when the order
 * is no longer reserved (released, or already paid by a quick event).
 */
export async function recordDeferredPayment(orderId: string, method: DeferredMethod, created: DeferredPaymentCreated): Promise<boolean> {
  const { paymentIntentId, instructions } = created;
  return getDb().transaction(async (tx) => {
    const moved = await transitionOrder(tx, orderId, "awaiting_payment", {
      from: ["reserved"],
      detail: { paymentIntentId, paymentMethod: method, endsAt: instructions.expiresAt },
      set: { stripePaymentIntentId: paymentIntentId, paymentInstructions: instructions, reservationExpiresAt: reservationEndOf(instructions) },
    });
    if (!moved) return false;
    await recordAudit(tx, {
      actorId: moved.userId,
      action: "order.payment_instructions_issued",
      targetType: "order",
      targetId: orderId,
      detail: { paymentIntentId, paymentMethod: method, amountYen: moved.amountYen, endsAt: instructions.expiresAt },
    });
    await notifyDeferred(tx, orderId, "payment_instructions");
    return true;
  });
}
