import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orders, type DeferredMethod, type Offering, type Order } from "@/db/schema";
import { localized } from "@/lib/i18n/localized";
import type { PaymentProvider } from "@/lib/payments/provider";
import type { Buyer } from "../reservation";
import { releaseReservation } from "../settle";
import { inGroup, RELEASED } from "../status";
import { billingNameOf, customerFor } from "./customers";
import { recordDeferredPayment } from "./record";
import { bankTransferDeadline, konbiniDays } from "./schedule";

export type DeferredPlacement = { ok: true } | { ok: false; error: "checkoutFailed" };

/**
 * After the reservation: the konbini voucher or the bank transfer at the processor, then the order
 * awaits its payment. If the processor cannot be reached the units go back at once, as when a
 * Checkout Session cannot be created.
 */
export async function issueDeferredPayment(buyer: Buyer, order: Order, offering: Offering, method: DeferredMethod, provider: PaymentProvider, now: Date): Promise<DeferredPlacement> {
  let created: Awaited<ReturnType<PaymentProvider["createDeferredPayment"]>>;
  try {
    const name = await billingNameOf(buyer);
    const customerId = method === "bank_transfer" ? await customerFor({ id: buyer.id, email: buyer.email, name }, provider) : null;
    created = await provider.createDeferredPayment({
      orderId: order.id,
      offeringId: offering.id,
      method,
      amountYen: order.amountYen,
      customerEmail: buyer.email,
      customerName: name,
      customerId,
      description: localized(offering, "name", buyer.locale),
      konbiniDays: konbiniDays(now, offering.closesAt),
      expiresAt: method === "bank_transfer" ? bankTransferDeadline(now, offering.closesAt) : undefined,
    });
  } catch (error) {
    console.error(`[orders] ${method} payment could not be created`, error);
    await releaseReservation(order.id, "cancelled", { from: ["reserved"], detail: { reason: "checkout_failed", paymentMethod: method } });
    return { ok: false, error: "checkoutFailed" };
  }
  if (await recordDeferredPayment(order.id, method, created)) return { ok: true };
  // Not reserved any more: paid already by a quick event (fine), or released meanwhile (nothing may be paid then).
  const [current] = await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
  if (current && !inGroup(RELEASED, current.status)) return { ok: true };
  await provider.cancelDeferredPayment(created.paymentIntentId).catch((error) => console.error("[orders] deferred payment of a released order not cancelled", error));
  return { ok: false, error: "checkoutFailed" };
}
