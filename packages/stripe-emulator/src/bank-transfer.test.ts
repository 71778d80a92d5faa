import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { checkEvent, checkShape } from "./schema-check";
import { SECRET, sdk, startEmulator, startReceiver, stripeError, type Receiver } from "./test-helpers";

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

async function setup() {
  const receiver = await startReceiver();
  running.push({ stop: () => receiver.close() });
  const emulator = await startEmulator({ webhookUrl: receiver.url });
  running.push(emulator);
  const stripe = sdk(emulator);
  const customer = await stripe.customers.create({ email: "hanako@example.jp", name: "佐藤 花子", metadata: { userId: "u-1" } }, { idempotencyKey: "customer:u-1" });
  return { receiver, emulator, stripe, customer };
}

function bankParams(customer: string, amount = 30_000, orderId = "order-1"): Stripe.PaymentIntentCreateParams {
  return {
    amount,
    currency: "jpy",
    customer,
    allowed_payment_method_types: ["customer_balance"],
    payment_method_data: { type: "customer_balance" },
    payment_method_options: { customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "jp_bank_transfer" } } },
    confirm: true,
    metadata: { orderId, offeringId: "off-1", paymentMethod: "bank_transfer" },
  };
}

/** The events delivered so far, each verified with the webhook secret and checked against the reference shapes. */
async function delivered(emulator: StripeEmulator, receiver: Receiver, stripe: Stripe): Promise<Stripe.Event[]> {
  await emulator.settled();
  return receiver.received.map((r) => {
    const event = stripe.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, SECRET);
    expect(checkEvent(event), event.type).toEqual([]);
    return event;
  });
}

function types(events: Stripe.Event[], after = 0): string[] {
  return events.slice(after).map((e) => e.type);
}

function fund(stripe: Stripe, customer: string, amount: number, reference?: string) {
  return stripe.testHelpers.customers.fundCashBalance(customer, { amount, currency: "jpy", ...(reference ? { reference } : {}) });
}

describe("customers", () => {
  it("are created once per idempotency key, retrieved, and start with no cash balance", async () => {
    const { stripe, customer } = await setup();
    expect(customer).toMatchObject({ object: "customer", email: "hanako@example.jp", name: "佐藤 花子", metadata: { userId: "u-1" } });
    expect(checkShape("customer", customer)).toEqual([]);
    const again = await stripe.customers.create({ email: "hanako@example.jp", name: "佐藤 花子", metadata: { userId: "u-1" } }, { idempotencyKey: "customer:u-1" });
    expect(again.id).toBe(customer.id);
    expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);
    const balance = await stripe.customers.retrieveCashBalance(customer.id);
    expect(balance).toEqual({
      object: "cash_balance",
      available: null,
      customer: customer.id,
      customer_account: null,
      livemode: false,
      settings: { reconciliation_mode: "automatic", using_merchant_default: true },
    });
    expect(checkShape("cash_balance", balance)).toEqual([]);
    expect(await stripeError(stripe.customers.retrieve("cus_missing"))).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});

describe("bank transfer (customer_balance, jp_bank_transfer) through the real stripe SDK", () => {
  it("create and confirm gives the customer's virtual account, the same for each of its transfers", async () => {
    const { emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id), { idempotencyKey: "deferred:order-1" });
    expect(pi).toMatchObject({ status: "requires_action", customer: customer.id, payment_method_types: ["customer_balance"], amount_received: 0 });
    expect(checkShape("payment_intent", pi)).toEqual([]);
    const instructions = pi.next_action!.display_bank_transfer_instructions!;
    expect(instructions).toMatchObject({ amount_remaining: 30_000, currency: "jpy", type: "jp_bank_transfer", hosted_instructions_url: `http://localhost:${emulator.port}/bank-transfers/${pi.id}` });
    expect(instructions.reference).toMatch(/^[0-9A-Z]{8}$/);
    const [address] = instructions.financial_addresses!;
    expect(address).toMatchObject({ type: "zengin", supported_networks: ["zengin"] });
    expect(address!.zengin).toMatchObject({ bank_name: "テスト銀行", account_type: "futsu" });
    expect(address!.zengin!.bank_code).toMatch(/^\d{4}$/);
    expect(address!.zengin!.branch_code).toMatch(/^\d{3}$/);
    expect(address!.zengin!.account_number).toMatch(/^\d{7}$/);
    expect(address!.zengin!.account_holder_name).toMatch(/^[\u30A0-\u30FF（）]+$/);

    const second = await stripe.paymentIntents.create(bankParams(customer.id, 10_000, "order-2"));
    expect(second.next_action!.display_bank_transfer_instructions!.financial_addresses![0]!.zengin).toEqual(address!.zengin);
    expect(second.next_action!.display_bank_transfer_instructions!.reference).not.toBe(instructions.reference);
    const noCustomer = await stripeError(stripe.paymentIntents.create({ ...bankParams(customer.id), customer: undefined }));
    expect(noCustomer).toMatchObject({ statusCode: 400, param: "customer" });
  });

  it("an exact transfer succeeds the payment: funded and applied transactions, payment_intent.succeeded, charge.succeeded", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    const before = (await delivered(emulator, receiver, stripe)).length;
    const txn = await fund(stripe, customer.id, 30_000);
    expect(txn).toMatchObject({ object: "customer_cash_balance_transaction", type: "funded", net_amount: 30_000, ending_balance: 30_000 });
    expect(checkShape("customer_cash_balance_transaction", txn)).toEqual([]);
    const events = await delivered(emulator, receiver, stripe);
    expect(types(events, before)).toEqual(["customer_cash_balance_transaction.created", "customer_cash_balance_transaction.created", "payment_intent.succeeded", "charge.succeeded"]);
    expect((events[before + 1]!.data.object as Stripe.CustomerCashBalanceTransaction).applied_to_payment?.payment_intent).toBe(pi.id);
    const paid = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge.balance_transaction"] });
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 30_000, next_action: null });
    const charge = paid.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ customer: customer.id, payment_method_details: { type: "customer_balance" }, billing_details: { email: "hanako@example.jp" } });
    expect((charge.balance_transaction as Stripe.BalanceTransaction).net).toBe(30_000 - 1080);
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 0 });

    await stripe.refunds.create({ payment_intent: pi.id });
    expect(types(await delivered(emulator, receiver, stripe)).slice(-2)).toEqual(["charge.refunded", "refund.created"]);
  });

  it("an underpayment is partially_funded with less remaining, and the rest completes it", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    await fund(stripe, customer.id, 29_000);
    const partial = await stripe.paymentIntents.retrieve(pi.id);
    expect(partial).toMatchObject({ status: "requires_action", amount_received: 0 });
    expect(partial.next_action!.display_bank_transfer_instructions!.amount_remaining).toBe(1000);
    let events = await delivered(emulator, receiver, stripe);
    const funded = events.filter((e) => e.type === "payment_intent.partially_funded");
    expect(funded.map((e) => (e.data.object as Stripe.PaymentIntent).next_action!.display_bank_transfer_instructions!.amount_remaining)).toEqual([1000]);
    await fund(stripe, customer.id, 1000);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    events = await delivered(emulator, receiver, stripe);
    expect(
      types(events)
        .filter((t) => t.startsWith("payment_intent."))
        .slice(-2),
    ).toEqual(["payment_intent.partially_funded", "payment_intent.succeeded"]);
    expect(types(events)).not.toContain("cash_balance.funds_available");
  });

  it("an overpayment succeeds and leaves the excess in the cash balance with cash_balance.funds_available", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    await fund(stripe, customer.id, 31_000);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 1000 });
    const events = await delivered(emulator, receiver, stripe);
    const available = events.filter((e) => e.type === "cash_balance.funds_available");
    expect(available.map((e) => (e.data.object as Stripe.CashBalance).available)).toEqual([{ jpy: 1000 }]);
    expect(types(events).at(-1)).toBe("cash_balance.funds_available");
  });

  it("paying twice leaves the second transfer in the cash balance", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    await fund(stripe, customer.id, 30_000);
    await fund(stripe, customer.id, 30_000);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 30_000 });
    const events = await delivered(emulator, receiver, stripe);
    expect(events.filter((e) => e.type === "payment_intent.succeeded")).toHaveLength(1);
    expect(events.filter((e) => e.type === "cash_balance.funds_available")).toHaveLength(1);
  });

  it("applies a transfer to the PaymentIntent whose reference it carries, else to the oldest open one", async () => {
    const { stripe, customer } = await setup();
    const older = await stripe.paymentIntents.create(bankParams(customer.id, 10_000, "order-a"));
    const newer = await stripe.paymentIntents.create(bankParams(customer.id, 10_000, "order-b"));
    await fund(stripe, customer.id, 10_000, newer.next_action!.display_bank_transfer_instructions!.reference!.toLowerCase());
    expect((await stripe.paymentIntents.retrieve(newer.id)).status).toBe("succeeded");
    expect((await stripe.paymentIntents.retrieve(older.id)).status).toBe("requires_action");
    await fund(stripe, customer.id, 10_000, "UNKNOWN");
    expect((await stripe.paymentIntents.retrieve(older.id)).status).toBe("succeeded");
  });

  it("cancelling a partially funded PaymentIntent returns the applied money to the cash balance", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    await fund(stripe, customer.id, 12_000);
    const before = (await delivered(emulator, receiver, stripe)).length;
    const cancelled = await stripe.paymentIntents.cancel(pi.id);
    expect(cancelled).toMatchObject({ status: "canceled", next_action: null });
    expect(cancelled.canceled_at).toBeGreaterThan(0);
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 12_000 });
    const events = await delivered(emulator, receiver, stripe);
    expect(types(events, before)).toEqual(["customer_cash_balance_transaction.created", "payment_intent.canceled", "cash_balance.funds_available"]);
    expect((events[before]!.data.object as Stripe.CustomerCashBalanceTransaction).unapplied_from_payment?.payment_intent).toBe(pi.id);
    expect(await stripeError(stripe.paymentIntents.cancel(pi.id))).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
    await fund(stripe, customer.id, 5000);
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 17_000 });
  });

  it("refunds money from the cash balance, and refuses more than is there", async () => {
    const { receiver, emulator, stripe, customer } = await setup();
    await fund(stripe, customer.id, 8000);
    const tooMuch = await stripeError(stripe.refunds.create({ customer: customer.id, origin: "customer_balance", amount: 8001, currency: "jpy" }));
    expect(tooMuch).toMatchObject({ statusCode: 400, param: "amount", code: "amount_too_large" });
    const refund = await stripe.refunds.create({ customer: customer.id, origin: "customer_balance", amount: 5000, currency: "jpy" }, { idempotencyKey: "refund-balance-1" });
    expect(refund).toMatchObject({ object: "refund", amount: 5000, customer: customer.id, charge: null, payment_intent: null, status: "succeeded" });
    expect(checkShape("refund", refund)).toEqual([]);
    const replay = await stripe.refunds.create({ customer: customer.id, origin: "customer_balance", amount: 5000, currency: "jpy" }, { idempotencyKey: "refund-balance-1" });
    expect(replay.id).toBe(refund.id);
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 3000 });
    const events = await delivered(emulator, receiver, stripe);
    const returned = events.map((e) => e.data.object as { object: string; type?: string; net_amount?: number }).filter((o) => o.type === "return_initiated");
    expect(returned.map((o) => o.net_amount)).toEqual([-5000]);
    expect(types(events).at(-1)).toBe("refund.created");
  });
});

describe("hosted bank-transfer instructions page", () => {
  it("shows the account, what remains and the reference, and its buttons transfer money", async () => {
    const { emulator, stripe, customer } = await setup();
    const pi = await stripe.paymentIntents.create(bankParams(customer.id));
    const url = `${emulator.url}/bank-transfers/${pi.id}`;
    const zengin = pi.next_action!.display_bank_transfer_instructions!.financial_addresses![0]!.zengin!;
    const html = await (await fetch(url)).text();
    for (const text of [
      zengin.account_number!,
      zengin.branch_code!,
      "¥30,000",
      pi.next_action!.display_bank_transfer_instructions!.reference!,
      "Pay the exact amount (test)",
      "Pay ¥1,000 less (test)",
      "Pay ¥1,000 more (test)",
      "Pay the amount twice (test)",
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<label for="amount">/);
    const post = (body: Record<string, string>) => fetch(url, { method: "POST", body: new URLSearchParams(body), redirect: "manual" });
    expect((await post({ action: "under" })).status).toBe(303);
    expect(await (await fetch(url)).text()).toMatch(/data-testid="amount-remaining">¥1,000</);
    expect((await post({ action: "custom", amount: "abc" })).status).toBe(400);
    expect((await post({ action: "twice" })).status).toBe(303);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 1000 });
    expect((await post({ action: "custom", amount: "2,500" })).status).toBe(303);
    expect((await stripe.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 3500 });
    expect(await (await fetch(url)).text()).toContain("お支払い済み / Paid");
  });
});

describe("state file", () => {
  it("keeps customers, cash balances and open transfers across stop/start, with the hosted URL of the new run", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-bank-"));
    try {
      const stateFile = path.join(dir, "stripe.json");
      const first = await startEmulator({ stateFile });
      const stripe1 = sdk(first);
      const customer = await stripe1.customers.create({ email: "jiro@example.jp" });
      const pi = await stripe1.paymentIntents.create(bankParams(customer.id));
      await fund(stripe1, customer.id, 10_000);
      await first.stop();
      const second = await startEmulator({ stateFile });
      try {
        const stripe2 = sdk(second);
        const again = await stripe2.paymentIntents.retrieve(pi.id);
        expect(again.next_action!.display_bank_transfer_instructions).toMatchObject({ amount_remaining: 20_000, hosted_instructions_url: `http://localhost:${second.port}/bank-transfers/${pi.id}` });
        await fund(stripe2, customer.id, 20_000);
        expect((await stripe2.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
        expect((await stripe2.customers.retrieveCashBalance(customer.id)).available).toEqual({ jpy: 0 });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
