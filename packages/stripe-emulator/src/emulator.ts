/** What a running emulator offers its owner (tests, the dev stack) and its control routes. */
import type Stripe from "stripe";
import type { KonbiniStore } from "./deferred-objects";
import type { CompleteOutcome } from "./engine";
import type { DeliveryAttempt, DeliveryMode } from "./webhooks";

export interface StripeEmulator {
  /** Base URL of the API, e.g. http://127.0.0.1:12345. */
  url: string;
  port: number;
  stop(): Promise<void>;
  setDeliveryMode(mode: Partial<DeliveryMode>): DeliveryMode;
  /** Delivers held events (reverse order when `reorder`); resolves after each one's first attempt. */
  flush(): Promise<void>;
  redeliver(eventId: string): Promise<DeliveryAttempt | undefined>;
  completeSession(sessionId: string, options: { outcome: CompleteOutcome }): Stripe.Checkout.Session;
  resolveAsyncPayment(sessionId: string, result: "succeeded" | "failed"): Stripe.Checkout.Session;
  createDispute(paymentIntentId: string): Stripe.Dispute;
  closeDispute(disputeId: string, outcome: "won" | "lost"): Stripe.Dispute;
  /** Expires an open session now, as the timer does at expires_at. */
  expireNow(sessionId: string): Stripe.Checkout.Session;
  /** The konbini voucher of a PaymentIntent is paid at a store (default familymart). */
  konbiniPay(paymentIntentId: string, store?: KonbiniStore): Stripe.PaymentIntent;
  /** The konbini voucher of a PaymentIntent expires unpaid now, as the clock does after its expires_at. */
  konbiniExpire(paymentIntentId: string): Stripe.PaymentIntent;
  /** A bank transfer of `amount` yen reaches the customer's virtual account (what the fund_cash_balance test helper does). */
  fundCashBalance(customerId: string, amount: number, reference?: string): Stripe.CustomerCashBalanceTransaction;
  /** Runs the expiry check now (the timer runs it every second and on every request). */
  tick(): void;
  /** Every delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** Every event so far, oldest first. */
  events(): Stripe.Event[];
  /** Resolves when no webhook delivery or retry is pending. */
  settled(): Promise<void>;
  /** Forgets all objects, events and delivery records. */
  reset(): void;
}
