import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { deferredEvent, deferredInstructions } from "./stripe-deferred";

const ORDER = "5b0c7f4e-8a4f-4a52-9f0e-0d6b2f1f3c11";

function intent(overrides: Partial<Stripe.PaymentIntent> & { metadata?: Record<string, string> }): Stripe.PaymentIntent {
  return {
    id: "pi_1",
    object: "payment_intent",
    amount: 5000,
    amount_received: 0,
    currency: "jpy",
    customer: "cus_1",
    status: "requires_action",
    last_payment_error: null,
    next_action: null,
    metadata: { orderId: ORDER, paymentMethod: "bank_transfer" },
    ...overrides,
  } as Stripe.PaymentIntent;
}

const event = (type: string, object: Stripe.PaymentIntent) => ({ id: "evt_1", type, data: { object } }) as unknown as Parameters<typeof deferredEvent>[0];

describe("PaymentIntent events", () => {
  it("of a card payment (or another system's) are ignored: its Checkout Session's events settle it", () => {
    expect(deferredEvent(event("payment_intent.succeeded", intent({ metadata: { orderId: ORDER } })))).toEqual({ kind: "ignored", eventId: "evt_1", type: "payment_intent.succeeded" });
    expect(deferredEvent(event("payment_intent.canceled", intent({ metadata: {} })))).toMatchObject({ kind: "ignored" });
  });

  it("of a pay-later payment without a valid order reference: money kept for staff, the rest ignored", () => {
    const stray = intent({ status: "succeeded", amount_received: 5000, metadata: { orderId: "1 or 1=1", paymentMethod: "konbini" } });
    expect(deferredEvent(event("payment_intent.succeeded", stray))).toMatchObject({ kind: "unmatched", reference: "1 or 1=1", amountYen: 5000, paid: true });
    expect(deferredEvent(event("payment_intent.canceled", stray))).toMatchObject({ kind: "ignored" });
  });

  it("are normalised: paid, partly funded (from what the instructions still ask), failed, cancelled", () => {
    expect(deferredEvent(event("payment_intent.succeeded", intent({ status: "succeeded", amount_received: 5000 })))).toEqual({
      kind: "deferred_paid",
      eventId: "evt_1",
      orderId: ORDER,
      paymentIntentId: "pi_1",
      method: "bank_transfer",
      amountYen: 5000,
      receivedYen: 5000,
      currency: "jpy",
      customerId: "cus_1",
    });
    const partly = intent({ next_action: { type: "display_bank_transfer_instructions", display_bank_transfer_instructions: { amount_remaining: 1200 } } as Stripe.PaymentIntent.NextAction });
    expect(deferredEvent(event("payment_intent.partially_funded", partly))).toMatchObject({ kind: "deferred_partially_funded", amountYen: 5000, remainingYen: 1200, customerId: "cus_1" });
    const expired = intent({ metadata: { orderId: ORDER, paymentMethod: "konbini" }, last_payment_error: { code: "payment_intent_payment_attempt_expired" } as Stripe.PaymentIntent.LastPaymentError });
    expect(deferredEvent(event("payment_intent.payment_failed", expired))).toMatchObject({ kind: "deferred_failed", reason: "payment_intent_payment_attempt_expired" });
    expect(deferredEvent(event("payment_intent.canceled", intent({})))).toMatchObject({ kind: "deferred_canceled", orderId: ORDER });
  });
});

describe("instructions", () => {
  it("of a konbini voucher: its end and each chain's numbers", () => {
    const voucher = intent({
      next_action: {
        type: "konbini_display_details",
        konbini_display_details: {
          expires_at: 1_800_000_000,
          hosted_voucher_url: "http://127.0.0.1/vouchers/pi_1",
          stores: { familymart: { confirmation_number: "12345678901", payment_code: "123456" }, lawson: null, ministop: null, seicomart: null },
        },
      } as Stripe.PaymentIntent.NextAction,
    });
    expect(deferredInstructions(voucher, { method: "konbini", amountYen: 5000 })).toEqual({
      method: "konbini",
      expiresAt: new Date(1_800_000_000_000).toISOString(),
      voucherUrl: "http://127.0.0.1/vouchers/pi_1",
      stores: [{ chain: "familymart", paymentCode: "123456", confirmationNumber: "12345678901" }],
    });
  });

  it("of a bank transfer: the zengin account, with the portal's deadline", () => {
    const zengin = { account_holder_name: "ｽﾄﾗｲﾌﾟｼﾞｬﾊﾟﾝ", account_number: "1234567", account_type: "futsu", bank_code: "0001", bank_name: "テスト銀行", branch_code: "001", branch_name: "本店" };
    const transfer = intent({
      next_action: {
        type: "display_bank_transfer_instructions",
        display_bank_transfer_instructions: {
          amount_remaining: 5000,
          currency: "jpy",
          financial_addresses: [{ type: "zengin", supported_networks: ["zengin"], zengin }],
          hosted_instructions_url: null,
          reference: "REF1",
          type: "jp_bank_transfer",
        },
      } as unknown as Stripe.PaymentIntent.NextAction,
    });
    const deadline = new Date("2026-12-08T01:00:00Z");
    expect(deferredInstructions(transfer, { method: "bank_transfer", amountYen: 5000, expiresAt: deadline })).toMatchObject({
      method: "bank_transfer",
      expiresAt: deadline.toISOString(),
      bankCode: "0001",
      accountNumber: "1234567",
      accountHolderName: "ｽﾄﾗｲﾌﾟｼﾞｬﾊﾟﾝ",
      amountRemainingYen: 5000,
      reference: "REF1",
    });
    expect(() => deferredInstructions(intent({}), { method: "bank_transfer", amountYen: 5000, expiresAt: deadline })).toThrow(/no bank account/);
  });
});
