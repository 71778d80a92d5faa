import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";
import { WebhookSignatureError, type CheckoutRequest, type ExpireResult, type PaymentEvent, type PaymentProvider } from "./provider";

/** The real Stripe SDK, talking to Stripe or (demo mode) to the local emulator with the same code path. */
export function stripeClient(settings = env().stripe): Stripe {
  const base = { maxNetworkRetries: settings.emulatorPort ? 0 : 2, telemetry: false, timeout: 20_000 };
  return settings.emulatorPort
    ? new Stripe(settings.secretKey, { ...base, host: "127.0.0.1", port: settings.emulatorPort, protocol: "http" })
    : new Stripe(settings.secretKey, base);
}

const id = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const session = event.data.object;
      const orderId = session.client_reference_id ?? session.metadata?.orderId;
      if (!orderId) return { kind: "ignored", eventId: event.id, type: event.type };
      const common = { eventId: event.id, orderId, sessionId: session.id };
      if (event.type === "checkout.session.expired") return { kind: "checkout_expired", ...common };
      if (event.type === "checkout.session.async_payment_failed") return { kind: "checkout_failed", ...common };
      // Fulfil only on money received: a completed session may still be waiting for an async payment.
      if (session.payment_status !== "paid") return { kind: "checkout_pending", ...common };
      return {
        kind: "checkout_paid",
        ...common,
        amountYen: session.amount_total ?? 0,
        currency: session.currency ?? "",
        paymentIntentId: id(session.payment_intent),
      };
    }
    case "charge.refunded": {
      const charge = event.data.object;
      return {
        kind: "refunded",
        eventId: event.id,
        paymentIntentId: id(charge.payment_intent) ?? "",
        chargeId: charge.id,
        amountRefundedYen: charge.amount_refunded,
        amountYen: charge.amount,
      };
    }
    case "charge.dispute.created": {
      const dispute = event.data.object;
      return { kind: "dispute_opened", eventId: event.id, paymentIntentId: id(dispute.payment_intent), chargeId: id(dispute.charge) ?? "", disputeId: dispute.id, reason: dispute.reason };
    }
    default:
      return { kind: "ignored", eventId: event.id, type: event.type };
  }
}

export function createStripeProvider(client = stripeClient(), webhookSecret = env().stripe.webhookSecret): PaymentProvider {
  return {
    async createCheckout(request: CheckoutRequest) {
      const session = await client.checkout.sessions.create(
        {
          mode: "payment",
          // JPY is zero-decimal: unit_amount is whole yen, never ×100.
          line_items: [{ quantity: request.units, price_data: { currency: "jpy", unit_amount: request.unitPriceYen, product_data: { name: request.productName } } }],
          client_reference_id: request.orderId,
          metadata: { orderId: request.orderId, offeringId: request.offeringId, units: String(request.units) },
          payment_intent_data: { metadata: { orderId: request.orderId } },
          customer_email: request.customerEmail,
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          expires_at: Math.floor(request.expiresAt.getTime() / 1000),
          locale: request.locale,
        },
        { idempotencyKey: `checkout-session:${request.orderId}` },
      );
      if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
      return { sessionId: session.id, url: session.url };
    },

    async expireCheckout(sessionId: string): Promise<ExpireResult> {
      const current = await client.checkout.sessions.retrieve(sessionId);
      if (current.status === "complete") return "already_complete";
      if (current.status === "expired") return "already_expired";
      try {
        await client.checkout.sessions.expire(sessionId);
        return "expired";
      } catch (error) {
        // Paid or expired between the two calls: report what Stripe says now.
        const after = await client.checkout.sessions.retrieve(sessionId);
        if (after.status === "complete") return "already_complete";
        if (after.status === "expired") return "already_expired";
        throw error;
      }
    },

    async refund(paymentIntentId: string, idempotencyKey: string) {
      const refund = await client.refunds.create({ payment_intent: paymentIntentId }, { idempotencyKey });
      return { refundId: refund.id };
    },

    parseWebhook(rawBody: string, signature: string | null): PaymentEvent {
      if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
      let event: Stripe.Event;
      try {
        event = client.webhooks.constructEvent(rawBody, signature, webhookSecret, 300);
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : "bad signature");
      }
      return toPaymentEvent(event);
    },
  };
}

let provider: PaymentProvider | undefined;
export function paymentProvider(): PaymentProvider {
  provider ??= createStripeProvider();
  return provider;
}
