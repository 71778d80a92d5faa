import "server-only";
import { getDb } from "@/db/client";
import type { PaymentMethod } from "@/db/schema";
import { env } from "@/lib/env";
import { localized } from "@/lib/i18n/localized";
import { paymentProvider } from "@/lib/payments/stripe";
import { stablecoinOption } from "@/lib/stablecoin/availability";
import type { PaymentProvider } from "@/lib/payments/provider";
import { issueDeferredPayment } from "./deferred/place";
import { isDeferredMethod } from "./deferred/schedule";
import { reserveOrder, yenCommittedWithIssuer, type Buyer, type OrderRefusal } from "./reservation";
import { releaseReservation } from "./settle";
import { recordCheckout } from "./transitions";

/** Stripe refuses a Checkout Session that ends sooner than this after its creation (plus room for the request's way there). */
const SHORTEST_SESSION_MS = 30 * 60 * 1000 + 30 * 1000;

/** `nextUrl`: the Checkout page (card), or the order's page where the buyer signs the payment (stablecoin) or sees how to pay (konbini, bank transfer). */
export type PlacedOrder = { ok: true; orderId: string; paymentMethod: PaymentMethod; nextUrl: string } | ({ ok: false } & OrderRefusal);

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
  // The reservation checks the pay-later method and the konbini amount too, in its one round trip.
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
      // Asked for late in a rush, the session ends a little after the reservation; the expiry job ends it at Stripe first (lib/orders/expiry.ts).
      expiresAt: new Date(Math.max(order.reservationExpiresAt.getTime(), Date.now() + SHORTEST_SESSION_MS)),
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
