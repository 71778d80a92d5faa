/** The emulator's state changes: sessions, payments, refunds, disputes, and the events they emit. */
import { clone, newEvent, newLineItem, newSession, randomChars, randomId, type Obj } from "./objects";
import { newCharge, newPaymentIntent, type Card } from "./payment-objects";
import { invalid, noSuch, type Params } from "./params";
import { NO_REQUEST, type RequestContext } from "./context";
import { fundCashBalance } from "./bank-transfer";
import { cashBalanceOf, createCustomer, requireCustomer } from "./customers";
import { cancelPaymentIntent, createDeferredPaymentIntent, konbiniExpire, konbiniPay, sweepKonbini } from "./deferred";
import type { KonbiniStore } from "./deferred-objects";
import { closeDispute, createDispute, createRefund } from "./refunds-disputes";
import { parseSessionParams } from "./session-params";
import type { SessionExtra, StateStore } from "./state";
import type { WebhookDeliverer } from "./webhooks";

export { NO_REQUEST } from "./context";

export type CompleteOutcome = "paid" | "async_pending";

export interface EngineOptions {
  store: StateStore;
  deliverer: WebhookDeliverer;
  clock: () => number;
  checkoutUrl: (sessionId: string) => string;
  /** Absolute URL of an emulator page (vouchers, bank-transfer instructions) under the public URL. */
  hostedUrl: (path: string) => string;
  enabledEvents: string[];
}

export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export class Engine {
  constructor(private readonly o: EngineOptions) {}

  get store(): StateStore {
    return this.o.store;
  }

  nowSeconds(): number {
    return Math.floor(this.o.clock() / 1000);
  }

  hostedUrl(path: string): string {
    return this.o.hostedUrl(path);
  }

  // ---- Checkout Sessions

  createSession(params: Params): Obj {
    const now = this.nowSeconds();
    const input = parseSessionParams(params, now);
    const id = `cs_test_a1${randomChars(56)}`;
    const session = newSession({ ...input, id, created: now, url: this.o.checkoutUrl(id) });
    const extra: SessionExtra = {
      lineItems: input.lineItems.map((li) => newLineItem({ ...li, created: now })),
      paymentIntentData: input.paymentIntentData,
    };
    this.store.data.sessions[id] = session;
    this.store.data.sessionExtras[id] = extra;
    this.store.save();
    return session;
  }

  session(id: string, param = "session"): Obj {
    const session = this.store.data.sessions[id];
    if (!session) throw noSuch("checkout.session", id, param);
    return session;
  }

  extra(id: string): SessionExtra {
    const extra = this.store.data.sessionExtras[id];
    if (!extra) throw noSuch("checkout.session", id, "session");
    return extra;
  }

  expireSession(id: string, ctx: RequestContext): Obj {
    const session = this.session(id);
    if (session.status !== "open") {
      throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`, "session");
    }
    session.status = "expired";
    session.url = null;
    this.store.save();
    this.emit("checkout.session.expired", session, ctx);
    return session;
  }

  /** Expires every open session and konbini voucher whose `expires_at` has passed on the emulator's clock. */
  sweepExpired(): void {
    const now = this.nowSeconds();
    for (const session of Object.values(this.store.data.sessions)) {
      if (session.status === "open" && (session.expires_at as number) <= now) this.expireSession(session.id as string, NO_REQUEST);
    }
    sweepKonbini(this);
  }

  /** What the hosted page does with a good card (or a test control does): pay, complete, emit. */
  completeSession(id: string, outcome: CompleteOutcome, card?: Partial<Card>): Obj {
    const session = this.session(id);
    if (session.status !== "open") throw invalid(`This Checkout Session is ${String(session.status)}, not open.`, "session");
    const extra = this.extra(id);
    const fullCard: Card = {
      last4: card?.last4 ?? "4242",
      expMonth: card?.expMonth ?? 12,
      expYear: card?.expYear ?? new Date(this.o.clock()).getUTCFullYear() + 5,
      name: card?.name ?? null,
      email: card?.email ?? (session.customer_email as string | null),
    };
    const now = this.nowSeconds();
    const pid = extra.paymentIntentData;
    const pi = newPaymentIntent({
      amount: session.amount_total as number,
      currency: session.currency as string,
      created: now,
      metadata: clone(pid.metadata),
      description: pid.description,
      receiptEmail: pid.receiptEmail,
      statementDescriptor: pid.statementDescriptor,
      statementDescriptorSuffix: pid.statementDescriptorSuffix,
      paymentMethod: randomId("pm"),
    });
    this.store.data.paymentIntents[pi.id as string] = pi;
    extra.card = fullCard;
    if (outcome === "paid") this.succeedPayment(pi, fullCard, now);
    else pi.status = "processing";
    Object.assign(session, {
      status: "complete",
      payment_status: outcome === "paid" ? "paid" : "unpaid",
      payment_intent: pi.id,
      url: null,
      customer_details: {
        address: { city: null, country: "JP", line1: null, line2: null, postal_code: null, state: null },
        business_name: null,
        email: fullCard.email,
        individual_name: null,
        name: fullCard.name,
        phone: null,
        tax_exempt: "none",
        tax_ids: [],
      },
    });
    this.store.save();
    if (outcome === "paid") this.emit("payment_intent.succeeded", pi, NO_REQUEST);
    this.emit("checkout.session.completed", session, NO_REQUEST);
    return session;
  }

  private succeedPayment(pi: Obj, card: Card, now: number): Obj {
    const charge = newCharge(pi, card, now);
    this.store.data.charges[charge.id as string] = charge;
    Object.assign(pi, { status: "succeeded", amount_received: pi.amount, latest_charge: charge.id, processing: null });
    return charge;
  }

  /** Settles a session completed with `async_pending` (a delayed payment method such as konbini). */
  resolveAsyncPayment(id: string, result: "succeeded" | "failed"): Obj {
    const session = this.session(id);
    const pi = session.payment_intent ? this.store.data.paymentIntents[session.payment_intent as string] : undefined;
    if (session.status !== "complete" || session.payment_status !== "unpaid" || !pi || pi.status !== "processing") {
      throw invalid("This Checkout Session has no asynchronous payment waiting to be resolved.", "session");
    }
    const extra = this.extra(id);
    if (result === "succeeded") {
      this.succeedPayment(pi, extra.card ?? { last4: "4242", expMonth: 12, expYear: 2099, name: null, email: null }, this.nowSeconds());
      session.payment_status = "paid";
      this.store.save();
      this.emit("payment_intent.succeeded", pi, NO_REQUEST);
      this.emit("checkout.session.async_payment_succeeded", session, NO_REQUEST);
    } else {
      Object.assign(pi, {
        status: "requires_payment_method",
        last_payment_error: {
          code: "payment_intent_payment_attempt_failed",
          doc_url: "https://docs.stripe.com/error-codes/payment-intent-payment-attempt-failed",
          message: "The payment failed.",
          type: "invalid_request_error",
        },
      });
      this.store.save();
      this.emit("payment_intent.payment_failed", pi, NO_REQUEST);
      this.emit("checkout.session.async_payment_failed", session, NO_REQUEST);
    }
    return session;
  }

  // ---- Customers, konbini and bank transfer (in customers.ts, deferred.ts, bank-transfer.ts)

  createCustomer(params: Params, ctx: RequestContext): Obj {
    return createCustomer(this, params, ctx);
  }

  customer(id: string): Obj {
    return requireCustomer(this, id);
  }

  cashBalance(customerId: string): Obj {
    return cashBalanceOf(this, customerId);
  }

  fundCashBalance(customerId: string, params: Params, ctx: RequestContext): Obj {
    return fundCashBalance(this, customerId, params, ctx);
  }

  createPaymentIntent(params: Params, ctx: RequestContext): Obj {
    return createDeferredPaymentIntent(this, params, ctx);
  }

  cancelPaymentIntent(id: string, reason: string | null, ctx: RequestContext): Obj {
    return cancelPaymentIntent(this, id, reason, ctx);
  }

  konbiniPay(id: string, store?: KonbiniStore): Obj {
    return konbiniPay(this, id, store);
  }

  konbiniExpire(id: string): Obj {
    return konbiniExpire(this, id);
  }

  // ---- Refunds and disputes (in refunds-disputes.ts)

  createRefund(params: Params, ctx: RequestContext): Obj {
    return createRefund(this, params, ctx);
  }

  createDispute(paymentIntentId: string): Obj {
    return createDispute(this, paymentIntentId, NO_REQUEST);
  }

  closeDispute(disputeId: string, outcome: "won" | "lost"): Obj {
    return closeDispute(this, disputeId, outcome, NO_REQUEST);
  }

  // ---- Events

  emit(type: string, object: Obj, ctx: RequestContext, previousAttributes?: Obj): Obj {
    const delivered = this.o.deliverer.enabled && this.o.enabledEvents.some((pattern) => typeMatches(pattern, type));
    const event = newEvent({
      type,
      object,
      created: this.nowSeconds(),
      previousAttributes,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      pendingWebhooks: delivered ? 1 : 0,
    });
    this.store.data.events.push(event);
    if (delivered) this.store.data.outbox.push(event.id as string);
    this.store.save();
    if (delivered) this.o.deliverer.enqueue(event);
    return event;
  }

  event(id: string): Obj {
    const event = this.store.data.events.find((e) => e.id === id);
    if (!event) throw noSuch("event", id, "id");
    return event;
  }

  markDelivered(eventId: string): void {
    const event = this.store.data.events.find((e) => e.id === eventId);
    if (event) event.pending_webhooks = 0;
    this.dropFromOutbox(eventId);
  }

  dropFromOutbox(eventId: string): void {
    this.store.data.outbox = this.store.data.outbox.filter((id) => id !== eventId);
    this.store.save();
  }

  require<T extends Obj>(kind: "payment_intent" | "charge" | "refund" | "dispute" | "balance_transaction" | "customer", id: string, param: string): T {
    const found = this.store.byId(id);
    if (!found || found.object !== kind) throw noSuch(kind, id, param);
    return found as T;
  }
}
