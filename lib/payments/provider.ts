/**
 * The one boundary between the portal and a card processor. Stripe implements it today; a
 * Japanese provider could implement it later without the orders code changing.
 */
export type CheckoutRequest = {
  orderId: string;
  offeringId: string;
  productName: string;
  units: number;
  unitPriceYen: number;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  locale: "ja" | "en";
};

type CheckoutCreated = { sessionId: string; url: string };

export type ExpireResult = "expired" | "already_expired" | "already_complete";

/** What the portal acts on, normalised from the processor's webhook events. */
export type PaymentEvent =
  | { kind: "checkout_paid"; eventId: string; orderId: string; sessionId: string; amountYen: number; currency: string; paymentIntentId: string | null }
  | { kind: "checkout_pending"; eventId: string; orderId: string; sessionId: string }
  | { kind: "checkout_failed"; eventId: string; orderId: string; sessionId: string }
  | { kind: "checkout_expired"; eventId: string; orderId: string; sessionId: string }
  | { kind: "refunded"; eventId: string; paymentIntentId: string; chargeId: string; amountRefundedYen: number; amountYen: number; orderId: string | null }
  | { kind: "dispute_opened"; eventId: string; paymentIntentId: string | null; chargeId: string; disputeId: string; reason: string }
  | { kind: "dispute_closed"; eventId: string; paymentIntentId: string | null; chargeId: string; disputeId: string; outcome: "won" | "lost" | "other"; amountYen: number }
  /** A signed event about a payment whose order reference is missing or not an order id. */
  | { kind: "unmatched"; eventId: string; type: string; reference: string | null; paymentIntentId: string | null; amountYen: number; currency: string | null; paid: boolean }
  | { kind: "ignored"; eventId: string; type: string };

/** Events about a charge after payment: they depend on the payment being applied first. */
export type ChargeEvent = Extract<PaymentEvent, { kind: "refunded" | "dispute_opened" | "dispute_closed" }>;

/** A Checkout Session as the processor sees it now (read when its own event has not arrived yet). */
export type CheckoutState = { sessionId: string; orderId: string | null; paid: boolean; amountYen: number; currency: string; paymentIntentId: string | null };

/** What the processor kept of one payment (from its balance transaction), in integer yen. */
export type PaymentFee = { paymentIntentId: string; amountYen: number; feeYen: number; netYen: number };

export class WebhookSignatureError extends Error {}

export interface PaymentProvider {
  createCheckout(request: CheckoutRequest): Promise<CheckoutCreated>;
  /** Expires an open checkout so no late payment can land; says what state it found. */
  expireCheckout(sessionId: string): Promise<ExpireResult>;
  refund(paymentIntentId: string, idempotencyKey: string): Promise<{ refundId: string }>;
  /** The order a payment was made for, from the payment's own metadata; null when it is not ours. */
  orderOfPayment(paymentIntentId: string): Promise<string | null>;
  checkoutState(sessionId: string): Promise<CheckoutState>;
  /** The processor's fee on each payment; throws while one is not settled yet (so the caller retries later). */
  paymentFees(paymentIntentIds: string[]): Promise<PaymentFee[]>;
  /** Verifies the signature over the raw body; throws WebhookSignatureError when it does not hold. */
  parseWebhook(rawBody: string, signature: string | null): PaymentEvent;
}
