import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, type PaymentMethod } from "@/db/schema";
import { env } from "@/lib/env";
import { localized } from "@/lib/i18n/localized";
import { paymentProvider } from "@/lib/payments/stripe";
import { stablecoinOption } from "@/lib/stablecoin/availability";
import type { PaymentProvider } from "@/lib/payments/provider";
import { deferredMethodsOf, KONBINI_MAX_YEN, KONBINI_MIN_YEN } from "./deferred/availability";
import { issueDeferredPayment } from "./deferred/place";
import { isDeferredMethod } from "./deferred/schedule";
import { reserveOrder, yenCommittedWithIssuer, type Buyer, type OrderRefusal } from "./reservation";
import { releaseReservation } from "./settle";
import { recordCheckout } from "./transitions";

/** `nextUrl`: the Checkout page (card), or the order's page where the buyer signs the payment (stablecoin) or sees how to pay (konbini, bank transfer). */
export type PlacedOrder =
  | { ok: true; orderId: string; paymentMethod: PaymentMethod; nextUrl: string }
  | ({ ok: false } & (OrderRefusal | { error: "methodUnavailable" } | { error: "konbiniAmount"; minYen: number; maxYen: number }));

export { currentDisclosure } from "./reservation";
export type { PaymentMethod } from "@/db/schema";

/**
 * The whole purchase: reserve, then open a Checkout Session in yen for exactly that order. If the
 * session cannot be created the units go back at once. Paid in the stablecoin: the same
 * reservation, then the buyer signs the payment on the order's page (no Checkout Session). At a
 * convenience store or by bank transfer (only where the offering takes it now): the reservation,
 * then the voucher or the account, shown on the order's page until it ends.
 */
export async function placeOrder(
  buyer: Buyer,
  input: { offeringId: string; units: number; disclosureId: string; paymentMethod?: PaymentMethod },
  provider: PaymentProvider = paymentProvider(),
  now = new Date(),
): Promise<PlacedOrder> {
  const paymentMethod = input.paymentMethod ?? "card";
  if (paymentMethod === "stablecoin" && !(await stablecoinOption(getDb(), buyer.id, input.offeringId))) return { ok: false, error: "stablecoinUnavailable" };
  if (isDeferredMethod(paymentMethod)) {
    const [target] = await getDb().select().from(offerings).where(eq(offerings.id, input.offeringId));
    if (target && !deferredMethodsOf(target, now).includes(paymentMethod)) return { ok: false, error: "methodUnavailable" };
    const yen = target ? target.priceYen * input.units : 0;
    if (target && paymentMethod === "konbini" && (yen < KONBINI_MIN_YEN || yen > KONBINI_MAX_YEN)) return { ok: false, error: "konbiniAmount", minYen: KONBINI_MIN_YEN, maxYen: KONBINI_MAX_YEN };
  }
  const reserved = await reserveOrder(buyer, { ...input, paymentMethod }, now);
  if (!reserved.ok) return reserved;
  const { order, offering } = reserved;
  const orderUrl = `/orders/${order.id}`;
  if (paymentMethod === "stablecoin") return { ok: true, orderId: order.id, paymentMethod, nextUrl: orderUrl };
  if (isDeferredMethod(paymentMethod)) {
    const issued = await issueDeferredPayment(buyer, order, offering, paymentMethod, provider, now);
    return issued.ok ? { ok: true, orderId: order.id, paymentMethod, nextUrl: orderUrl } : issued;
  }
  const origin = new URL(env().authUrl).origin;
  try {
    const checkout = await provider.createCheckout({
      orderId: order.id,
      offeringId: offering.id,
      productName: localized(offering, "name", buyer.locale),
      units: order.units,
      unitPriceYen: offering.priceYen,
      customerEmail: buyer.email,
      successUrl: `${origin}/orders/${order.id}?checkout=success`,
      cancelUrl: `${origin}/orders/${order.id}?checkout=cancelled`,
      expiresAt: order.reservationExpiresAt,
      locale: buyer.locale,
    });
    await recordCheckout(order.id, checkout.sessionId, checkout.url);
    return { ok: true, orderId: order.id, paymentMethod, nextUrl: checkout.url };
  } catch (error) {
    console.error("[orders] checkout session failed", error);
    await releaseReservation(order.id, "cancelled", { from: ["reserved"], detail: { reason: "checkout_failed" } });
    return { ok: false, error: "checkoutFailed" };
  }
}

export async function yenCommittedOfUser(userId: string, offeringId: string, now = new Date()) {
  return yenCommittedWithIssuer(getDb(), userId, offeringId, now);
}
