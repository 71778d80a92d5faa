// Card orders paid through the Stripe webhook, for the settlement benchmark and the allocator's
// wake-up test: an order waiting at Checkout, and the signed event Stripe sends once it is paid.
import "server-only";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { offerings, orders, type Order } from "@/db/schema";

const stripe = new Stripe("sk_test_x");
const token = () => randomBytes(12).toString("hex");

/** A card order as Checkout leaves it: units reserved, awaiting payment of its session. */
export async function makeCheckoutOrder(db: Db, input: { userId: string; offeringId: string; units: number }): Promise<Order> {
  return db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({
        userId: input.userId,
        offeringId: input.offeringId,
        units: input.units,
        amountYen: input.units * 1_000,
        status: "awaiting_payment",
        stripeCheckoutSessionId: `cs_test_${token()}`,
        reservationExpiresAt: new Date(Date.now() + 3_600_000),
      })
      .returning();
    await tx
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} + ${input.units}` })
      .where(eq(offerings.id, input.offeringId));
    return order!;
  });
}

/** `checkout.session.completed` for the order, paid in full, signed with the endpoint's secret by the Stripe SDK. */
export function paidCheckoutWebhook(order: Pick<Order, "id" | "amountYen" | "stripeCheckoutSessionId">, secret: string): { payload: string; signature: string } {
  const payload = JSON.stringify({
    id: `evt_${token()}`,
    object: "event",
    type: "checkout.session.completed",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: null,
    data: {
      object: {
        id: order.stripeCheckoutSessionId,
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        payment_status: "paid",
        client_reference_id: order.id,
        metadata: { orderId: order.id },
        amount_total: order.amountYen,
        currency: "jpy",
        payment_intent: `pi_${token()}`,
      },
    },
  });
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

/** The request Stripe would make to the portal's webhook route. */
export function webhookRequest(webhook: { payload: string; signature: string }): Request {
  return new Request("http://127.0.0.1/api/stripe/webhook", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": webhook.signature }, body: webhook.payload });
}
