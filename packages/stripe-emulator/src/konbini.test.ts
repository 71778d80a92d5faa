import http from "node:http";
import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { checkEvent, checkShape } from "./schema-check";
import { SECRET, sdk, startEmulator, startReceiver, stripeError, waitFor, type Receiver } from "./test-helpers";

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

async function setup(now?: () => number) {
  const receiver = await startReceiver();
  running.push({ stop: () => receiver.close() });
  const emulator = await startEmulator({ webhookUrl: receiver.url, ...(now ? { now } : {}) });
  running.push(emulator);
  return { receiver, emulator, stripe: sdk(emulator) };
}

function konbiniParams(overrides: Partial<Stripe.PaymentIntentCreateParams> = {}): Stripe.PaymentIntentCreateParams {
  return {
    amount: 5000,
    currency: "jpy",
    allowed_payment_method_types: ["konbini"],
    payment_method_data: { type: "konbini", billing_details: { email: "taro@example.jp", name: "山田 太郎" } },
    payment_method_options: { konbini: { expires_after_days: 3 } },
    confirm: true,
    description: "村債 / Village bond",
    metadata: { orderId: "order-7", offeringId: "off-1", paymentMethod: "konbini" },
    ...overrides,
  };
}

/** Every delivered event verifies with the secret and matches the reference shapes. */
function verified(receiver: Receiver, stripe: Stripe, type: string): Stripe.Event[] {
  return receiver.received
    .map((r) => stripe.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, SECRET))
    .filter((e) => {
      expect(checkEvent(e), e.type).toEqual([]);
      return e.type === type;
    });
}

/** A GET with a chosen Host header (fetch does not let one set it). */
function statusWithHost(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, headers: { Host: host }, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end();
  });
}

function control(url: string, path: string, body: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/_emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("konbini PaymentIntents through the real stripe SDK", () => {
  it("create and confirm: requires_action with a voucher that ends at 23:59:59 Tokyo time of the third day", async () => {
    // 2026-12-01 10:00 in Tokyo.
    const start = Date.parse("2026-12-01T10:00:00+09:00");
    const { receiver, emulator, stripe } = await setup(() => start);
    const pi = await stripe.paymentIntents.create(konbiniParams(), { idempotencyKey: "deferred:order-7" });
    expect(pi).toMatchObject({ object: "payment_intent", status: "requires_action", amount: 5000, currency: "jpy", payment_method_types: ["konbini"], amount_received: 0 });
    expect(pi.metadata).toEqual({ orderId: "order-7", offeringId: "off-1", paymentMethod: "konbini" });
    expect(pi.next_action?.type).toBe("konbini_display_details");
    const voucher = pi.next_action!.konbini_display_details!;
    expect(voucher.expires_at).toBe(Date.parse("2026-12-04T23:59:59+09:00") / 1000);
    expect(voucher.hosted_voucher_url).toBe(`http://localhost:${emulator.port}/vouchers/${pi.id}`);
    for (const store of ["familymart", "lawson", "ministop", "seicomart"] as const) {
      expect(voucher.stores[store]?.confirmation_number).toMatch(/^\d{11}$/);
      expect(voucher.stores[store]?.payment_code).toMatch(/^\d{6,}$/);
    }
    expect(pi.payment_method_options?.konbini).toMatchObject({ expires_after_days: 3 });
    expect(checkShape("payment_intent", pi)).toEqual([]);

    const again = await stripe.paymentIntents.create(konbiniParams(), { idempotencyKey: "deferred:order-7" });
    expect(again.id).toBe(pi.id);
    expect(emulator.events().filter((e) => e.type === "payment_intent.requires_action")).toHaveLength(1);
    await emulator.settled();
    expect(verified(receiver, stripe, "payment_intent.requires_action").map((e) => (e.data.object as Stripe.PaymentIntent).id)).toEqual([pi.id]);
  });

  it("paying at the store succeeds with a signed payment_intent.succeeded, a konbini charge, a fee and a refund like card", async () => {
    const { receiver, emulator, stripe } = await setup();
    const pi = await stripe.paymentIntents.create(konbiniParams());
    const response = await control(emulator.url, `payment_intents/${pi.id}/konbini-pay`, { store: "lawson" });
    expect(response.status).toBe(200);
    const paid = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge.balance_transaction"] });
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 5000, next_action: null });
    const charge = paid.latest_charge as Stripe.Charge;
    expect(charge.payment_method_details).toEqual({ konbini: { store: { chain: "lawson" } }, type: "konbini" });
    expect(charge.billing_details).toMatchObject({ email: "taro@example.jp", name: "山田 太郎" });
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(180);
    expect(checkShape("charge", { ...charge, balance_transaction: "txn_x" })).toEqual([]);

    await emulator.settled();
    const [succeeded] = verified(receiver, stripe, "payment_intent.succeeded");
    expect((succeeded!.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(verified(receiver, stripe, "charge.succeeded")).toHaveLength(1);
    const twice = await control(emulator.url, `payment_intents/${pi.id}/konbini-pay`);
    expect(twice.status).toBe(400);

    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    expect(refund).toMatchObject({ amount: 5000, status: "succeeded", destination_details: { type: "jp_bank_transfer" } });
    await emulator.settled();
    expect(verified(receiver, stripe, "charge.refunded")).toHaveLength(1);
    const cancel = await stripeError(stripe.paymentIntents.cancel(pi.id));
    expect(cancel).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });

  it("the expire control fails the attempt: payment_failed, requires_payment_method, payment_intent_payment_attempt_expired", async () => {
    const { receiver, emulator, stripe } = await setup();
    const pi = await stripe.paymentIntents.create(konbiniParams());
    expect((await control(emulator.url, `payment_intents/${pi.id}/konbini-expire`)).status).toBe(200);
    const failed = await stripe.paymentIntents.retrieve(pi.id);
    expect(failed).toMatchObject({ status: "requires_payment_method", next_action: null, last_payment_error: { code: "payment_intent_payment_attempt_expired" } });
    await emulator.settled();
    expect(verified(receiver, stripe, "payment_intent.payment_failed")).toHaveLength(1);
    expect((await control(emulator.url, `payment_intents/${pi.id}/konbini-pay`)).status).toBe(400);
  });

  it("the voucher expires when the emulator clock passes expires_at, seen on the next read", async () => {
    let clock = Date.parse("2026-12-01T10:00:00+09:00");
    const { emulator, stripe } = await setup(() => clock);
    const pi = await stripe.paymentIntents.create(konbiniParams({ payment_method_options: { konbini: { expires_after_days: 1 } } }));
    clock = Date.parse("2026-12-02T23:59:59+09:00");
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("requires_action");
    clock += 1000;
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("requires_payment_method");
    await waitFor(() => emulator.events().some((e) => e.type === "payment_intent.payment_failed"));
    const cancelled = await stripe.paymentIntents.cancel(pi.id);
    expect(cancelled).toMatchObject({ status: "canceled" });
    expect(emulator.events().filter((e) => e.type === "payment_intent.canceled")).toHaveLength(1);
  });

  it("rejects what real Stripe rejects", async () => {
    const { stripe } = await setup();
    expect(await stripeError(stripe.paymentIntents.create(konbiniParams({ amount: 300_001 })))).toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount" });
    expect(await stripeError(stripe.paymentIntents.create(konbiniParams({ amount: 100 })))).toMatchObject({ code: "amount_too_small" });
    const legacy = await stripeError(stripe.paymentIntents.create({ ...konbiniParams(), payment_method_types: ["konbini"] } as never));
    expect(legacy).toMatchObject({ statusCode: 400, param: "payment_method_types", message: "Received unknown parameter: payment_method_types" });
    const days = await stripeError(stripe.paymentIntents.create(konbiniParams({ payment_method_options: { konbini: { expires_after_days: 61 } } })));
    expect(days.param).toBe("payment_method_options[konbini][expires_after_days]");
    const missing = await stripeError(stripe.paymentIntents.retrieve("pi_missing"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});

describe("hosted voucher page", () => {
  it("shows the amount, deadline and store numbers, and its buttons pay or expire the voucher", async () => {
    const { emulator, stripe } = await setup();
    const pi = await stripe.paymentIntents.create(konbiniParams());
    const url = pi.next_action!.konbini_display_details!.hosted_voucher_url!.replace(`localhost:${emulator.port}`, `127.0.0.1:${emulator.port}`);
    const html = await (await fetch(url)).text();
    expect(html).toContain("¥5,000");
    expect(html).toContain(pi.next_action!.konbini_display_details!.stores.familymart!.payment_code);
    expect(html).toContain("Pay at the store (test)");
    expect(html).toContain("Let it expire (test)");
    expect(html).toMatch(/<label for="store">/);
    const post = await fetch(url, { method: "POST", body: new URLSearchParams({ action: "pay", store: "seicomart" }), redirect: "manual" });
    expect(post.status).toBe(303);
    expect(post.headers.get("location")).toBe(`/vouchers/${pi.id}`);
    expect(await (await fetch(url)).text()).toContain("お支払い済み / Paid");
    expect(((await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] })).latest_charge as Stripe.Charge).payment_method_details?.konbini?.store?.chain).toBe("seicomart");

    const other = await stripe.paymentIntents.create(konbiniParams());
    const otherUrl = `${emulator.url}/vouchers/${other.id}`;
    expect((await fetch(otherUrl, { method: "POST", body: new URLSearchParams({ action: "expire" }), redirect: "manual" })).status).toBe(303);
    expect((await stripe.paymentIntents.retrieve(other.id)).status).toBe("requires_payment_method");
    expect((await fetch(`${emulator.url}/vouchers/pi_nope`)).status).toBe(404);
    expect(await statusWithHost(emulator.port, "rebind.attacker.example", `/vouchers/${pi.id}`)).toBe(403);
  });
});
