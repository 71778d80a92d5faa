import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import { env } from "@/lib/env";
import { deferredEvent, deferredInstructions } from "./stripe-deferred";
import {
  hasUnstorableText,
  WebhookPayloadError,
  WebhookSignatureError,
  type CancelDeferredResult,
  type CheckoutRequest,
  type CheckoutState,
  type DeferredPaymentRequest,
  type ExpireResult,
  type PaymentEvent,
  type PaymentFee,
  type PaymentProvider,
} from "./provider";

/** The real Stripe SDK, talking to Stripe or (demo mode) to the local emulator with the same code path. */
function stripeClient(settings = env().stripe): Stripe {
  const base = { maxNetworkRetries: settings.emulatorPort ? 0 : 2, telemetry: false, timeout: 20_000 };
  return settings.emulatorPort ? new Stripe(settings.secretKey, { ...base, host: "127.0.0.1", port: settings.emulatorPort, protocol: "http" }) : new Stripe(settings.secretKey, base);
}

const id = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

const orderIdSchema = z.uuid();
/** An order id, or null when the reference is missing or malformed (it never reaches a query). */
const orderIdOf = (...candidates: (string | null | undefined)[]) => candidates.find((value) => orderIdSchema.safeParse(value).success) ?? null;

function checkoutEvent(event: Stripe.Event & { data: { object: Stripe.Checkout.Session } }): PaymentEvent {
  const session = event.data.object;
  const orderId = orderIdOf(session.client_reference_id, session.metadata?.orderId);
  const paid = session.payment_status === "paid";
  if (!orderId) {
    const reference = session.client_reference_id ?? session.metadata?.orderId ?? null;
    return {
      kind: "unmatched",
      eventId: event.id,
      type: event.type,
      reference,
      paymentIntentId: id(session.payment_intent),
      amountYen: session.amount_total ?? 0,
      currency: session.currency,
      paid: paid && event.type !== "checkout.session.expired",
    };
  }
  const common = { eventId: event.id, orderId, sessionId: session.id };
  if (event.type === "checkout.session.expired") return { kind: "checkout_expired", ...common };
  if (event.type === "checkout.session.async_payment_failed") return { kind: "checkout_failed", ...common };
  // Fulfil only on money received: a completed session may still be waiting for an async payment.
  if (!paid) return { kind: "checkout_pending", ...common };
  return { kind: "checkout_paid", ...common, amountYen: session.amount_total ?? 0, currency: session.currency ?? "", paymentIntentId: id(session.payment_intent) };
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      return checkoutEvent(event);
    case "charge.refunded": {
      const charge = event.data.object;
      return {
        kind: "refunded",
        eventId: event.id,
        paymentIntentId: id(charge.payment_intent) ?? "",
        chargeId: charge.id,
        amountRefundedYen: charge.amount_refunded,
        amountYen: charge.amount,
        orderId: orderIdOf(charge.metadata?.orderId),
      };
    }
    case "charge.dispute.created": {
      const dispute = event.data.object;
      return { kind: "dispute_opened", eventId: event.id, paymentIntentId: id(dispute.payment_intent), chargeId: id(dispute.charge) ?? "", disputeId: dispute.id, reason: dispute.reason };
    }
    case "charge.dispute.closed": {
      const dispute = event.data.object;
      const outcome = dispute.status === "won" ? "won" : dispute.status === "lost" ? "lost" : "other";
      return { kind: "dispute_closed", eventId: event.id, paymentIntentId: id(dispute.payment_intent), chargeId: id(dispute.charge) ?? "", disputeId: dispute.id, outcome, amountYen: dispute.amount };
    }
    case "payment_intent.succeeded":
    case "payment_intent.partially_funded":
    case "payment_intent.payment_failed":
    case "payment_intent.canceled":
      return deferredEvent(event);
    case "cash_balance.funds_available":
      return { kind: "cash_balance_available", eventId: event.id, customerId: event.data.object.customer, availableYen: event.data.object.available?.jpy ?? 0 };
    default:
      return { kind: "ignored", eventId: event.id, type: event.type };
  }
}

/** A few payments at a time: well under Stripe's rate limit, still quick for a large offering. */
const FEE_READS_AT_ONCE = 8;

/** The fee Stripe took on a payment: its charge's balance transaction (null for a moment after capture). */
async function paymentFee(client: Stripe, paymentIntentId: string): Promise<PaymentFee> {
  const intent = await client.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge.balance_transaction"] });
  const charge = intent.latest_charge;
  const txn = charge && typeof charge !== "string" ? charge.balance_transaction : null;
  if (!txn || typeof txn === "string") throw new Error(`payment ${paymentIntentId} has no balance transaction yet`);
  if (txn.currency !== "jpy") throw new Error(`payment ${paymentIntentId} settled in ${txn.currency}, not jpy`);
  return { paymentIntentId, amountYen: txn.amount, feeYen: txn.fee, netYen: txn.net };
}

function createStripeProvider(client = stripeClient(), webhookSecret = env().stripe.webhookSecret): PaymentProvider {
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

    async orderOfPayment(paymentIntentId: string) {
      try {
        const intent = await client.paymentIntents.retrieve(paymentIntentId);
        return orderIdOf(intent.metadata?.orderId);
      } catch (error) {
        // Not a payment of this account: not ours. Any other failure is retried by Stripe.
        if ((error as { code?: string }).code === "resource_missing") return null;
        throw error;
      }
    },

    async checkoutState(sessionId: string): Promise<CheckoutState> {
      const session = await client.checkout.sessions.retrieve(sessionId);
      return {
        sessionId: session.id,
        orderId: orderIdOf(session.client_reference_id, session.metadata?.orderId),
        paid: session.status === "complete" && session.payment_status === "paid",
        amountYen: session.amount_total ?? 0,
        currency: session.currency ?? "",
        paymentIntentId: id(session.payment_intent),
      };
    },

    async paymentFees(paymentIntentIds: string[]) {
      const fees: PaymentFee[] = [];
      for (let i = 0; i < paymentIntentIds.length; i += FEE_READS_AT_ONCE) {
        fees.push(...(await Promise.all(paymentIntentIds.slice(i, i + FEE_READS_AT_ONCE).map((piId) => paymentFee(client, piId)))));
      }
      return fees;
    },

    async ensureCustomer({ userId, email, name }) {
      const customer = await client.customers.create({ email, name, metadata: { userId } }, { idempotencyKey: `customer:${userId}` });
      return customer.id;
    },

    async createDeferredPayment(request: DeferredPaymentRequest) {
      const metadata = { orderId: request.orderId, offeringId: request.offeringId, paymentMethod: request.method };
      const common = { amount: request.amountYen, currency: "jpy", confirm: true, description: request.description, metadata };
      const options = { idempotencyKey: `deferred:${request.orderId}` };
      const intent =
        request.method === "konbini"
          ? await client.paymentIntents.create(
              {
                ...common,
                allowed_payment_method_types: ["konbini"],
                payment_method_data: { type: "konbini", billing_details: { email: request.customerEmail, name: request.customerName } },
                payment_method_options: { konbini: { expires_after_days: request.konbiniDays } },
              },
              options,
            )
          : await client.paymentIntents.create(
              {
                ...common,
                customer: request.customerId ?? undefined,
                allowed_payment_method_types: ["customer_balance"],
                payment_method_data: { type: "customer_balance" },
                payment_method_options: { customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "jp_bank_transfer" } } },
              },
              options,
            );
      return { paymentIntentId: intent.id, instructions: deferredInstructions(intent, request) };
    },

    async cancelDeferredPayment(paymentIntentId: string): Promise<CancelDeferredResult> {
      const state = (status: string): CancelDeferredResult | null => (status === "succeeded" ? "already_succeeded" : status === "canceled" ? "already_canceled" : null);
      const known = state((await client.paymentIntents.retrieve(paymentIntentId)).status);
      if (known) return known;
      try {
        await client.paymentIntents.cancel(paymentIntentId);
        return "canceled";
      } catch (error) {
        // Paid or cancelled between the two calls: report what Stripe says now.
        const after = state((await client.paymentIntents.retrieve(paymentIntentId)).status);
        if (after) return after;
        throw error;
      }
    },

    async cashBalanceYen(customerId: string) {
      const balance = await client.customers.retrieveCashBalance(customerId);
      return balance.available?.jpy ?? 0;
    },

    async refundCashBalance(customerId: string, amountYen: number, idempotencyKey: string) {
      const refund = await client.refunds.create({ customer: customerId, origin: "customer_balance", amount: amountYen, currency: "jpy" }, { idempotencyKey });
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
      if (hasUnstorableText(event)) throw new WebhookPayloadError(`event ${JSON.stringify(event.id).slice(0, 80)} holds text the database cannot store`);
      return toPaymentEvent(event);
    },
  };
}

let provider: PaymentProvider | undefined;
export function paymentProvider(): PaymentProvider {
  provider ??= createStripeProvider();
  return provider;
}
