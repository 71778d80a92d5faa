import type { DeferredMethod, PaymentInstructions } from "@/db/schema";

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

/** A konbini voucher or a bank transfer to a customer's virtual account, confirmed server-side (no Checkout page). */
export type DeferredPaymentRequest = {
  orderId: string;
  offeringId: string;
  method: DeferredMethod;
  amountYen: number;
  customerEmail: string;
  customerName: string;
  /** The processor's customer (required for a bank transfer: the virtual account is theirs). */
  customerId: string | null;
  description: string;
  /** Konbini: the voucher is payable until 23:59:59 Tokyo time this many days after today. */
  konbiniDays: number;
  /** Bank transfer: the portal's own deadline, shown with the account (the processor sets none). */
  expiresAt?: Date;
};

export type DeferredPaymentCreated = { paymentIntentId: string; instructions: PaymentInstructions };

export type CancelDeferredResult = "canceled" | "already_canceled" | "already_succeeded";

/** What the portal acts on, normalised from the processor's webhook events. */
export type PaymentEvent =
  | { kind: "checkout_paid"; eventId: string; orderId: string; sessionId: string; amountYen: number; currency: string; paymentIntentId: string | null }
  | { kind: "checkout_pending"; eventId: string; orderId: string; sessionId: string }
  | { kind: "checkout_failed"; eventId: string; orderId: string; sessionId: string }
  | { kind: "checkout_expired"; eventId: string; orderId: string; sessionId: string }
  | { kind: "refunded"; eventId: string; paymentIntentId: string; chargeId: string; amountRefundedYen: number; amountYen: number; orderId: string | null }
  | { kind: "dispute_opened"; eventId: string; paymentIntentId: string | null; chargeId: string; disputeId: string; reason: string }
  | { kind: "dispute_closed"; eventId: string; paymentIntentId: string | null; chargeId: string; disputeId: string; outcome: "won" | "lost" | "other"; amountYen: number }
  /** A konbini or bank-transfer payment received in full (`receivedYen`: what the processor says arrived). */
  | { kind: "deferred_paid"; eventId: string; orderId: string; paymentIntentId: string; method: DeferredMethod; amountYen: number; receivedYen: number; currency: string; customerId: string | null }
  /** Part of a bank transfer applied to its payment; `remainingYen` still to pay. */
  | { kind: "deferred_partially_funded"; eventId: string; orderId: string; paymentIntentId: string; amountYen: number; remainingYen: number; customerId: string | null }
  /** The konbini voucher expired unpaid (or the attempt failed otherwise). */
  | { kind: "deferred_failed"; eventId: string; orderId: string; paymentIntentId: string; reason: string }
  /**
   * The payment was cancelled: a bank transfer's applied funds went back to `customerId`'s cash
   * balance. `balanceYen` is that balance as the webhook read it at the processor (not sent in the event).
   */
  | { kind: "deferred_canceled"; eventId: string; orderId: string; paymentIntentId: string; customerId: string | null; balanceYen?: number }
  /** Money in a customer's cash balance not applied to any payment (overpaid, paid twice, paid after the deadline). */
  | { kind: "cash_balance_available"; eventId: string; customerId: string; availableYen: number }
  /** A signed event about a payment whose order reference is missing or not an order id. */
  | { kind: "unmatched"; eventId: string; type: string; reference: string | null; paymentIntentId: string | null; amountYen: number; currency: string | null; paid: boolean }
  | { kind: "ignored"; eventId: string; type: string };

/** Events about a charge after payment: they depend on the payment being applied first. */
export type ChargeEvent = Extract<PaymentEvent, { kind: "refunded" | "dispute_opened" | "dispute_closed" }>;
/** Events about a konbini or bank-transfer payment or a customer's cash balance. */
export type DeferredEvent = Extract<PaymentEvent, { kind: "deferred_paid" | "deferred_partially_funded" | "deferred_failed" | "deferred_canceled" | "cash_balance_available" }>;

/** A Checkout Session as the processor sees it now (read when its own event has not arrived yet). */
export type CheckoutState = { sessionId: string; orderId: string | null; paid: boolean; amountYen: number; currency: string; paymentIntentId: string | null };

/** What the processor kept of one payment (from its balance transaction), in integer yen. */
export type PaymentFee = { paymentIntentId: string; amountYen: number; feeYen: number; netYen: number };

export class WebhookSignatureError extends Error {}
/** A correctly signed event carrying text the database cannot store (Stripe never sends one). */
export class WebhookPayloadError extends Error {}

/** PostgreSQL's text and jsonb hold neither U+0000 nor a lone surrogate, in a value or a key. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === "string") return /\u0000|\p{Cs}/u.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([key, inner]) => hasUnstorableText(key) || hasUnstorableText(inner));
  return false;
}

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
  /** The processor's customer of an investor (idempotent per user at the processor). */
  ensureCustomer(customer: { userId: string; email: string; name: string }): Promise<string>;
  /** Creates and confirms a konbini or bank-transfer payment; its instructions normalised for the order page. */
  createDeferredPayment(request: DeferredPaymentRequest): Promise<DeferredPaymentCreated>;
  /** Cancels an unpaid deferred payment (funds already applied go back to the customer's cash balance). */
  cancelDeferredPayment(paymentIntentId: string): Promise<CancelDeferredResult>;
  /** Yen in the customer's cash balance not applied to any payment. */
  cashBalanceYen(customerId: string): Promise<number>;
  /** Sends yen from the customer's cash balance back to them; refused by the processor above the balance. */
  refundCashBalance(customerId: string, amountYen: number, idempotencyKey: string): Promise<{ refundId: string }>;
  /** Verifies the signature over the raw body; throws WebhookSignatureError when it does not hold. */
  parseWebhook(rawBody: string, signature: string | null): PaymentEvent;
}
