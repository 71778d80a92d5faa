import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { cardFee } from "./balance-transactions";
import { sdk, sessionParams, startEmulator, stripeError } from "./test-helpers";

describe("card fees in balance transactions", () => {
  let emulator: StripeEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("rounds 3.6% to the nearest yen, half up, as Stripe rounds its fees", () => {
    expect(cardFee(1000)).toBe(36);
    expect(cardFee(4500)).toBe(162);
    expect(cardFee(125)).toBe(5); // 4.5 rounds up
    expect(cardFee(124)).toBe(4); // 4.464 rounds down
    expect(cardFee(50)).toBe(2); // 1.8
  });

  it("gives a paid charge's fee through the PaymentIntent expanded to its balance transaction, and by id", async () => {
    const stripe = sdk(emulator);
    const session = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: "jpy", unit_amount: 1250, product_data: { name: "村トークン" } }, quantity: 3 }] }));
    const paid = emulator.completeSession(session.id, { outcome: "paid" });
    const intent = await stripe.paymentIntents.retrieve(paid.payment_intent as string, { expand: ["latest_charge.balance_transaction"] });
    const charge = intent.latest_charge as Stripe.Charge;
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    // 3,750 × 3.6% = 135.
    expect(txn).toMatchObject({ object: "balance_transaction", amount: 3750, fee: 135, net: 3615, currency: "jpy", type: "charge", reporting_category: "charge", source: charge.id });
    expect(txn.fee_details).toEqual([{ amount: 135, application: null, currency: "jpy", description: "Stripe processing fees", type: "stripe_fee" }]);
    expect(await stripe.balanceTransactions.retrieve(txn.id)).toEqual(txn);
  });

  it("keeps the fee when the payment is refunded: the refund's balance transaction has none", async () => {
    const stripe = sdk(emulator);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const paid = emulator.completeSession(session.id, { outcome: "paid" });
    const refund = await stripe.refunds.create({ payment_intent: paid.payment_intent as string });
    const back = await stripe.balanceTransactions.retrieve(refund.balance_transaction as string);
    expect(back).toMatchObject({ amount: -4500, fee: 0, fee_details: [], net: -4500, type: "refund", source: refund.id });
    const intent = await stripe.paymentIntents.retrieve(paid.payment_intent as string, { expand: ["latest_charge.balance_transaction"] });
    expect(((intent.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction).fee).toBe(162);
  });

  it("answers an unknown balance transaction like Stripe", async () => {
    const error = await stripeError(sdk(emulator).balanceTransactions.retrieve("txn_missing"));
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", message: "No such balance_transaction: 'txn_missing'" });
  });
});
