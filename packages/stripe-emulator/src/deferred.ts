/**
 * Konbini and bank-transfer (customer_balance) PaymentIntents: create-and-confirm, cancel, and the
 * konbini voucher being paid at the store or expiring. Funding by bank transfer is in bank-transfer.ts.
 */
import { NO_REQUEST, type RequestContext } from "./context";
import type { EngineCore } from "./core";
import { announceFundsAvailable, customerExtra, moveCash, requireCustomer } from "./customers";
import {
  bankTransferNextAction,
  customerBalanceOptions,
  type DeferredKind,
  type KonbiniStore,
  konbiniExpiresAt,
  konbiniNextAction,
  konbiniOptions,
  newDeferredCharge,
  newTransferReference,
} from "./deferred-objects";
import { parseDeferredParams } from "./deferred-params";
import { ordered, randomId, type Obj } from "./objects";
import { newPaymentIntent } from "./payment-objects";
import { invalid, noSuch, type Params, StripeApiError } from "./params";

const CANCELLABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];

export function deferredKind(pi: Obj): DeferredKind | null {
  const types = pi.payment_method_types as string[];
  return types.length === 1 && (types[0] === "konbini" || types[0] === "customer_balance") ? types[0] : null;
}

function requirePaymentIntent(core: EngineCore, id: string, param = "intent"): Obj {
  const pi = core.store.data.paymentIntents[id];
  if (!pi) throw noSuch("payment_intent", id, param);
  return pi;
}

/** What is still to be transferred for a bank-transfer PaymentIntent waiting for money (0 otherwise). */
export function amountRemaining(pi: Obj): number {
  const action = pi.next_action as { display_bank_transfer_instructions?: { amount_remaining: number } } | null;
  return action?.display_bank_transfer_instructions?.amount_remaining ?? 0;
}

export function createDeferredPaymentIntent(core: EngineCore, params: Params, ctx: RequestContext): Obj {
  const now = core.nowSeconds();
  const input = parseDeferredParams(params, now);
  if (input.customer) requireCustomer(core, input.customer);
  const pm = ordered({
    id: randomId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: null, email: input.billing.email, name: input.billing.name, phone: input.billing.phone, tax_id: null },
    created: now,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: input.kind,
    [input.kind]: {},
  });
  core.store.data.paymentMethods[pm.id as string] = pm;
  const pi = newPaymentIntent({
    amount: input.amount,
    currency: input.currency,
    created: now,
    metadata: input.metadata,
    description: input.description,
    receiptEmail: input.receiptEmail,
    statementDescriptor: input.statementDescriptor,
    statementDescriptorSuffix: input.statementDescriptorSuffix,
    paymentMethod: pm.id as string,
  });
  const id = pi.id as string;
  let nextAction: Obj;
  if (input.kind === "konbini") {
    const expiresAt = input.expiresAt ?? konbiniExpiresAt(now, input.expiresAfterDays ?? 3);
    nextAction = konbiniNextAction(expiresAt, core.hostedUrl(`/vouchers/${id}`));
  } else {
    const account = customerExtra(core, input.customer as string).account;
    nextAction = bankTransferNextAction(input.amount, account, core.hostedUrl(`/bank-transfers/${id}`), newTransferReference());
  }
  Object.assign(pi, {
    allowed_payment_method_types: [input.kind],
    capture_method: "automatic",
    customer: input.customer,
    next_action: nextAction,
    payment_method_options: input.kind === "konbini" ? konbiniOptions(input.expiresAfterDays, input.expiresAt, input.productDescription) : customerBalanceOptions(),
    payment_method_types: [input.kind],
    status: "requires_action",
  });
  core.store.data.paymentIntents[id] = pi;
  core.store.save();
  core.emit("payment_intent.created", pi, ctx);
  core.emit("payment_intent.requires_action", pi, ctx);
  return pi;
}

/** Cancels an open PaymentIntent; bank-transfer money already applied to it goes back to the customer's cash balance. */
export function cancelPaymentIntent(core: EngineCore, id: string, reason: string | null, ctx: RequestContext): Obj {
  const pi = requirePaymentIntent(core, id);
  if (!CANCELLABLE.includes(pi.status as string)) {
    throw new StripeApiError(
      400,
      "invalid_request_error",
      `You cannot cancel this PaymentIntent because it has a status of ${String(pi.status)}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELLABLE.join(", ")}.`,
      "payment_intent_unexpected_state",
    );
  }
  const applied = deferredKind(pi) === "customer_balance" && pi.next_action ? (pi.amount as number) - amountRemaining(pi) : 0;
  Object.assign(pi, { status: "canceled", canceled_at: core.nowSeconds(), cancellation_reason: reason, next_action: null });
  core.store.save();
  if (applied > 0) moveCash(core, pi.customer as string, applied, { type: "unapplied_from_payment", paymentIntent: id }, ctx);
  core.emit("payment_intent.canceled", pi, ctx);
  if (applied > 0) announceFundsAvailable(core, pi.customer as string, ctx);
  return pi;
}

/** The money is in: a charge, `payment_intent.succeeded` and `charge.succeeded`. */
export function succeedDeferred(core: EngineCore, pi: Obj, ctx: RequestContext, store?: KonbiniStore): Obj {
  const kind = deferredKind(pi) as DeferredKind;
  const pm = core.store.data.paymentMethods[pi.payment_method as string];
  const billing = (pm?.billing_details ?? {}) as { email?: string | null; name?: string | null };
  const customer = pi.customer ? core.store.data.customers[pi.customer as string] : undefined;
  const charge = newDeferredCharge(
    pi,
    kind,
    { email: billing.email ?? (customer?.email as string | null) ?? null, name: billing.name ?? (customer?.name as string | null) ?? null },
    core.nowSeconds(),
    store,
  );
  core.store.data.charges[charge.id as string] = charge;
  Object.assign(pi, { status: "succeeded", amount_received: pi.amount, latest_charge: charge.id, next_action: null, last_payment_error: null });
  core.store.save();
  core.emit("payment_intent.succeeded", pi, ctx);
  core.emit("charge.succeeded", charge, ctx);
  return charge;
}

function openKonbini(core: EngineCore, id: string): Obj {
  const pi = requirePaymentIntent(core, id, "payment_intent");
  if (deferredKind(pi) !== "konbini") throw invalid(`PaymentIntent ${id} is not a konbini payment.`, "payment_intent");
  if (pi.status !== "requires_action") throw invalid(`This konbini payment is ${String(pi.status)}; its voucher can no longer be used.`, "payment_intent", "payment_intent_unexpected_state");
  return pi;
}

/** The buyer pays the voucher at a store (test control). */
export function konbiniPay(core: EngineCore, id: string, store: KonbiniStore = "familymart"): Obj {
  sweepKonbini(core);
  succeedDeferred(core, openKonbini(core, id), NO_REQUEST, store);
  return requirePaymentIntent(core, id);
}

/** The voucher's deadline passes unpaid (test control, or the clock): the attempt fails and the PaymentIntent needs a new payment method. */
export function konbiniExpire(core: EngineCore, id: string): Obj {
  const pi = openKonbini(core, id);
  Object.assign(pi, {
    status: "requires_payment_method",
    next_action: null,
    last_payment_error: {
      code: "payment_intent_payment_attempt_expired",
      doc_url: "https://docs.stripe.com/error-codes/payment-intent-payment-attempt-expired",
      message: "The payment attempt expired: the konbini voucher was not paid before its deadline.",
      payment_method: core.store.data.paymentMethods[pi.payment_method as string] ?? null,
      type: "invalid_request_error",
    },
  });
  core.store.save();
  core.emit("payment_intent.payment_failed", pi, NO_REQUEST);
  return pi;
}

/** Expires every konbini voucher whose `expires_at` has passed on the emulator's clock. */
export function sweepKonbini(core: EngineCore): void {
  const now = core.nowSeconds();
  for (const pi of Object.values(core.store.data.paymentIntents)) {
    const details = (pi.next_action as { konbini_display_details?: { expires_at: number } } | null)?.konbini_display_details;
    if (pi.status === "requires_action" && details && details.expires_at < now) konbiniExpire(core, pi.id as string);
  }
}
