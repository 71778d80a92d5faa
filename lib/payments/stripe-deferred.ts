import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { DEFERRED_METHODS, type DeferredMethod, type PaymentInstructions } from "@/db/schema";
import type { DeferredPaymentRequest, PaymentEvent } from "./provider";

/** Konbini and bank-transfer PaymentIntents: their instructions and events, normalised for the portal. */

const orderIdSchema = z.uuid();
const STORE_CHAINS = ["familymart", "lawson", "ministop", "seicomart"] as const;

const customerOf = (intent: Stripe.PaymentIntent) => (typeof intent.customer === "string" ? intent.customer : (intent.customer?.id ?? null));

/** The pay-later method of a PaymentIntent the portal made (its metadata), or null for a card payment or another system's. */
function deferredMethodOf(intent: Pick<Stripe.PaymentIntent, "metadata">): DeferredMethod | null {
  const method = intent.metadata?.paymentMethod;
  return (DEFERRED_METHODS as readonly string[]).includes(method ?? "") ? (method as DeferredMethod) : null;
}

/** The voucher or the account the buyer pays to, from the confirmed PaymentIntent's next_action. */
export function deferredInstructions(intent: Stripe.PaymentIntent, request: Pick<DeferredPaymentRequest, "method" | "amountYen" | "expiresAt">): PaymentInstructions {
  const action = intent.next_action;
  if (request.method === "konbini") {
    const details = action?.konbini_display_details;
    if (!details) throw new Error(`payment ${intent.id} has no konbini voucher`);
    return {
      method: "konbini",
      expiresAt: new Date(details.expires_at * 1000).toISOString(),
      voucherUrl: details.hosted_voucher_url,
      stores: STORE_CHAINS.flatMap((chain) => {
        const store = details.stores[chain];
        return store ? [{ chain, paymentCode: store.payment_code ?? null, confirmationNumber: store.confirmation_number ?? null }] : [];
      }),
    };
  }
  const transfer = action?.display_bank_transfer_instructions;
  const zengin = transfer?.financial_addresses?.find((address) => address.zengin)?.zengin;
  if (!transfer || !zengin) throw new Error(`payment ${intent.id} has no bank account to transfer to`);
  if (!request.expiresAt) throw new Error("a bank transfer needs the portal's deadline");
  return {
    method: "bank_transfer",
    expiresAt: request.expiresAt.toISOString(),
    instructionsUrl: transfer.hosted_instructions_url,
    bankName: zengin.bank_name ?? "",
    bankCode: zengin.bank_code ?? "",
    branchName: zengin.branch_name ?? "",
    branchCode: zengin.branch_code ?? "",
    accountType: zengin.account_type ?? "",
    accountNumber: zengin.account_number ?? "",
    accountHolderName: zengin.account_holder_name ?? "",
    amountRemainingYen: transfer.amount_remaining ?? request.amountYen,
    reference: transfer.reference,
  };
}

type IntentEvent = Stripe.PaymentIntentSucceededEvent | Stripe.PaymentIntentPartiallyFundedEvent | Stripe.PaymentIntentPaymentFailedEvent | Stripe.PaymentIntentCanceledEvent;

/**
 * A PaymentIntent event: about a konbini or bank-transfer order of the portal, or ignored (card
 * payments are settled through their Checkout Session's events). Money received for a pay-later
 * payment whose order reference is malformed is kept for staff.
 */
export function deferredEvent(event: IntentEvent): PaymentEvent {
  const intent = event.data.object;
  const method = deferredMethodOf(intent);
  if (!method) return { kind: "ignored", eventId: event.id, type: event.type };
  const orderId = orderIdSchema.safeParse(intent.metadata?.orderId).success ? intent.metadata.orderId! : null;
  if (!orderId) {
    if (event.type !== "payment_intent.succeeded") return { kind: "ignored", eventId: event.id, type: event.type };
    return {
      kind: "unmatched",
      eventId: event.id,
      type: event.type,
      reference: intent.metadata?.orderId ?? null,
      paymentIntentId: intent.id,
      amountYen: intent.amount_received,
      currency: intent.currency,
      paid: true,
    };
  }
  const common = { eventId: event.id, orderId, paymentIntentId: intent.id };
  switch (event.type) {
    case "payment_intent.succeeded":
      return { kind: "deferred_paid", ...common, method, amountYen: intent.amount, receivedYen: intent.amount_received, currency: intent.currency, customerId: customerOf(intent) };
    case "payment_intent.partially_funded": {
      const remaining = intent.next_action?.display_bank_transfer_instructions?.amount_remaining;
      return { kind: "deferred_partially_funded", ...common, amountYen: intent.amount, remainingYen: remaining ?? intent.amount - intent.amount_received, customerId: customerOf(intent) };
    }
    case "payment_intent.payment_failed":
      return { kind: "deferred_failed", ...common, reason: intent.last_payment_error?.code ?? "payment_failed" };
    case "payment_intent.canceled":
      return { kind: "deferred_canceled", ...common, customerId: customerOf(intent) };
  }
}
