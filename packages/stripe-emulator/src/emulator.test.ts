import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { checkEvent, checkShape, referenceSchemas } from "./schema-check";
import { payOnPage, sdk, sessionParams, startEmulator, stripeError, waitFor } from "./test-helpers";

describe("schema checker", () => {
  it("accepts a minimal valid refund and reports each kind of mismatch", () => {
    const refund = { id: "re_1", object: "refund", amount: 100, created: 1_760_000_000, currency: "jpy", status: null };
    expect(checkShape("refund", refund)).toEqual([]);
    const { amount: _dropped, ...missing } = refund;
    expect(checkShape("refund", missing)).toEqual(["refund.amount: required property missing"]);
    expect(checkShape("refund", { ...refund, source: "x" })).toEqual(["refund.source: not a property of refund"]);
    expect(checkShape("refund", { ...refund, amount: "100" })[0]).toMatch(/refund.amount: expected integer/);
    expect(checkShape("refund", { ...refund, amount: null })).toEqual(["refund.amount: null but not nullable"]);
    expect(checkShape("refund", { ...refund, reason: "because" })[0]).toMatch(/not one of duplicate/);
    expect(checkShape("refund", { ...refund, currency: "JPY" })[0]).toMatch(/not a currency code/);
    expect(checkShape("refund", { ...refund, charge: { id: "ch_1" } })[0]).toMatch(/required property missing/);
  });

  it("reads the copied reference (the nine schemas the emulator is built to)", () => {
    expect(Object.keys(referenceSchemas().schemas)).toEqual(expect.arrayContaining(["checkout.session", "item", "event", "charge", "refund", "dispute", "payment_intent"]));
  });
});

describe("Checkout Sessions through the real stripe SDK", () => {
  let emulator: StripeEmulator;
  let clockMs = Date.now();
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clockMs });
  });
  afterAll(() => emulator.stop());

  it("creates, retrieves and expires a jpy session with the full schema shape", async () => {
    const stripe = sdk(emulator);
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session.amount_total).toBe(1500 * 3);
    expect(session.amount_subtotal).toBe(4500);
    expect(session.currency).toBe("jpy");
    expect(session).toMatchObject({ object: "checkout.session", status: "open", payment_status: "unpaid", mode: "payment" });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`http://localhost:${emulator.port}/checkout/${session.id}`);
    expect(session.custom_fields).toEqual([]);
    expect(session.shipping_options).toEqual([]);
    expect(session.metadata).toEqual({ orderId: "order-42" });
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(checkShape("checkout.session", session)).toEqual([]);
    const schema = referenceSchemas().schemas["checkout.session"]!;
    for (const key of Object.keys(schema.properties).filter((k) => schema.properties[k]!.nullable)) {
      expect(session, `nullable ${key} is present`).toHaveProperty(key);
    }

    const retrieved = await stripe.checkout.sessions.retrieve(session.id);
    expect(retrieved).toEqual(session);

    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    expect(checkShape("checkout.session", expired)).toEqual([]);
    const again = await stripeError(stripe.checkout.sessions.expire(session.id));
    expect(again.statusCode).toBe(400);
    expect(again.type).toBe("StripeInvalidRequestError");
    const [event] = emulator.events().filter((e) => e.type === "checkout.session.expired");
    expect(event?.data.object).toMatchObject({ id: session.id, status: "expired" });
    expect(checkEvent(event)).toEqual([]);
  });

  it("lists line items and expands them on retrieve", async () => {
    const stripe = sdk(emulator);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: "item", quantity: 3, amount_total: 4500, description: "村トークン / Village token" });
    for (const item of items.data) expect(checkShape("item", item)).toEqual([]);
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items"] });
    expect(expanded.line_items?.data[0]?.id).toBe(items.data[0]?.id);
    expect(checkShape("checkout.session", expanded)).toEqual([]);
  });

  it("rejects expires_at outside 30 minutes to 24 hours, like Stripe", async () => {
    const stripe = sdk(emulator);
    const nowS = Math.floor(clockMs / 1000);
    const early = await stripeError(stripe.checkout.sessions.create(sessionParams({ expires_at: nowS + 29 * 60 })));
    expect(early.statusCode).toBe(400);
    expect(early.param).toBe("expires_at");
    const late = await stripeError(stripe.checkout.sessions.create(sessionParams({ expires_at: nowS + 25 * 3600 })));
    expect(late.statusCode).toBe(400);
    const ok = await stripe.checkout.sessions.create(sessionParams({ expires_at: nowS + 30 * 60 }));
    expect(ok.expires_at).toBe(nowS + 30 * 60);
  });

  it("expires sessions at expires_at on the emulator clock, by request and by timer", async () => {
    const stripe = sdk(emulator);
    const nowS = Math.floor(clockMs / 1000);
    const a = await stripe.checkout.sessions.create(sessionParams({ expires_at: nowS + 31 * 60 }));
    const b = await stripe.checkout.sessions.create(sessionParams({ expires_at: nowS + 40 * 60 }));
    clockMs += 32 * 60 * 1000;
    expect((await stripe.checkout.sessions.retrieve(a.id)).status).toBe("expired");
    expect((await stripe.checkout.sessions.retrieve(b.id)).status).toBe("open");
    clockMs += 10 * 60 * 1000;
    const expiredB = () => emulator.events().some((e) => e.type === "checkout.session.expired" && (e.data.object as { id: string }).id === b.id);
    await waitFor(expiredB, 2500); // no request: the one-second timer must do it
    const event = emulator.events().find((e) => e.type === "checkout.session.expired" && (e.data.object as { id: string }).id === a.id);
    expect(event?.request).toEqual({ id: null, idempotency_key: null });
    expect(checkEvent(event)).toEqual([]);
  });

  it("honours Idempotency-Key: same body replays, different body is an idempotency_error", async () => {
    const stripe = sdk(emulator);
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "order-42-attempt-1" });
    const second = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "order-42-attempt-1" });
    expect(second.id).toBe(first.id);
    const error = await stripeError(stripe.checkout.sessions.create(sessionParams({ client_reference_id: "other" }), { idempotencyKey: "order-42-attempt-1" }));
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe("StripeIdempotencyError");
    expect(error.rawType).toBe("idempotency_error");
    const third = await stripe.checkout.sessions.create(sessionParams());
    expect(third.id).not.toBe(first.id);
  });

  it("answers errors in Stripe's shape with the right status", async () => {
    const unknownRoute = await fetch(`${emulator.url}/v1/nothing`, { headers: { Authorization: "Bearer sk_test_x" } });
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: "invalid_request_error",
      message: expect.stringContaining("Unrecognized request URL (GET: /v1/nothing)"),
    });
    const noKey = await fetch(`${emulator.url}/v1/events`);
    expect(noKey.status).toBe(401);
    const live = await stripeError(sdk(emulator, "sk_live_abcdefghijklmnop").events.list());
    expect(live.statusCode).toBe(401);

    const stripe = sdk(emulator);
    const missing = await stripeError(stripe.checkout.sessions.retrieve("cs_test_missing"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "session" });
    const unknownParam = await stripeError(stripe.checkout.sessions.create({ ...sessionParams(), colour: "red" } as never));
    expect(unknownParam).toMatchObject({ statusCode: 400, param: "colour", message: "Received unknown parameter: colour" });
    const noMode = await stripeError(stripe.checkout.sessions.create({ ...sessionParams(), mode: undefined }));
    expect(noMode).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "mode" });
    const noQuantity = await stripeError(stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: "jpy", unit_amount: 100, product_data: { name: "x" } } }] })));
    expect(noQuantity).toMatchObject({ statusCode: 400, param: "line_items[0][quantity]" });
    const raw = await fetch(`${emulator.url}/v1/checkout/sessions/cs_test_missing`, { headers: { Authorization: "Bearer sk_test_x" } });
    expect(await raw.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        doc_url: "https://docs.stripe.com/error-codes/resource-missing",
        message: "No such checkout.session: 'cs_test_missing'",
        param: "session",
      },
    });
  });

  it("lists events newest first with limit, starting_after, type and has_more", async () => {
    const stripe = sdk(emulator);
    for (let i = 0; i < 3; i++) {
      const s = await stripe.checkout.sessions.create(sessionParams());
      await stripe.checkout.sessions.expire(s.id);
    }
    const all = emulator
      .events()
      .map((e) => e.id)
      .reverse();
    const page1 = await stripe.events.list({ limit: 2 });
    expect(page1.object).toBe("list");
    expect(page1.data.map((e) => e.id)).toEqual(all.slice(0, 2));
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.events.list({ limit: 2, starting_after: page1.data[1]!.id });
    expect(page2.data.map((e) => e.id)).toEqual(all.slice(2, 4));
    const filtered = await stripe.events.list({ type: "checkout.session.*", limit: 100 });
    expect(filtered.data.every((e) => e.type.startsWith("checkout.session."))).toBe(true);
    expect(filtered.has_more).toBe(false);
    const one = await stripe.events.retrieve(all[0]!);
    expect(one.id).toBe(all[0]);
    for (const event of page1.data) expect(checkEvent(event)).toEqual([]);
  });
});

describe("API key", () => {
  it("requires the configured key when apiKey is set", async () => {
    const emulator = await startEmulator({ apiKey: "sk_test_portal_key" });
    try {
      expect((await stripeError(sdk(emulator, "sk_test_other").events.list())).statusCode).toBe(401);
      expect((await sdk(emulator, "sk_test_portal_key").events.list()).data).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});

describe("state file", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("keeps sessions, payments, refunds, events and idempotency keys across stop/start", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-"));
    dirs.push(dir);
    const stateFile = path.join(dir, "state", "stripe.json");
    const first = await startEmulator({ stateFile });
    const stripe1 = sdk(first);
    const session = await stripe1.checkout.sessions.create(sessionParams(), { idempotencyKey: "persisted-key" });
    const open = await stripe1.checkout.sessions.create(sessionParams());
    expect((await payOnPage(first, session.id, "4242424242424242")).status).toBe(303);
    const paid = await stripe1.checkout.sessions.retrieve(session.id);
    const refund = await stripe1.refunds.create({ payment_intent: paid.payment_intent as string, amount: 500 });
    const eventIds = first.events().map((e) => e.id);
    await first.stop();

    const second = await startEmulator({ stateFile });
    try {
      const stripe2 = sdk(second);
      expect(await stripe2.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
      expect((await stripe2.checkout.sessions.retrieve(open.id)).url).toBe(`http://localhost:${second.port}/checkout/${open.id}`);
      expect((await stripe2.refunds.retrieve(refund.id)).amount).toBe(500);
      const pi = await stripe2.paymentIntents.retrieve(paid.payment_intent as string);
      expect((await stripe2.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(500);
      expect((await stripe2.events.list({ limit: 100 })).data.map((e) => e.id).reverse()).toEqual(eventIds);
      const replay = await stripe2.checkout.sessions.create(sessionParams(), { idempotencyKey: "persisted-key" });
      expect(replay.id).toBe(session.id);
    } finally {
      await second.stop();
    }
  });
});
