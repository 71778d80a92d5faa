import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { checkEvent, checkShape } from "./schema-check";
import { payOnPage, SECRET, sdk, sessionParams, startEmulator, startReceiver, waitFor, type Receiver } from "./test-helpers";

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

async function setup(respond?: Parameters<typeof startReceiver>[0], options: Parameters<typeof startEmulator>[0] = {}) {
  const receiver = await startReceiver(respond);
  running.push({ stop: () => receiver.close() });
  const emulator = await startEmulator({ webhookUrl: receiver.url, ...options });
  running.push(emulator);
  return { receiver, emulator, stripe: sdk(emulator) };
}

async function paidSession(emulator: StripeEmulator, stripe: Stripe) {
  const session = await stripe.checkout.sessions.create(sessionParams());
  const done = emulator.completeSession(session.id, { outcome: "paid" });
  return { session: done, paymentIntentId: done.payment_intent as string };
}

function ofType(receiver: Receiver, type: string): Stripe.Event[] {
  return receiver.events().filter((e) => e.type === type);
}

describe("webhook deliveries", () => {
  it("are signed so stripe.webhooks.constructEvent verifies them, and a wrong secret fails", async () => {
    const { receiver, emulator, stripe } = await setup();
    const { session } = await paidSession(emulator, stripe);
    await emulator.settled();
    const delivery = receiver.received.find((r) => r.body.includes('"checkout.session.completed"'))!;
    expect(delivery.headers["content-type"]).toMatch(/^application\/json/);
    const header = delivery.headers["stripe-signature"] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(delivery.body, header, SECRET);
    expect(event).toMatchObject({ object: "event", type: "checkout.session.completed", livemode: false, pending_webhooks: 1 });
    expect(event.id).toMatch(/^evt_/);
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    expect(checkEvent(event)).toEqual([]);
    expect(() => stripe.webhooks.constructEvent(delivery.body, header, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(delivery.body.replace("4500", "4501"), header, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect((await stripe.events.retrieve(event.id)).pending_webhooks).toBe(0);
  });

  it("retry on non-2xx with growing delays: 500, 500, 200 is three attempts", async () => {
    const { receiver, emulator } = await setup((n) => (n < 2 ? 500 : 200), { retry: { attempts: 5, baseDelayMs: 100 } });
    const session = await sdk(emulator).checkout.sessions.create(sessionParams());
    emulator.expireNow(session.id);
    await emulator.settled();
    const attempts = emulator.deliveries().filter((d) => d.type === "checkout.session.expired");
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const [t1, t2, t3] = receiver.received.map((r) => r.at) as [number, number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(95);
    expect(t3 - t2).toBeGreaterThanOrEqual(195);
    expect(t3 - t2).toBeGreaterThan(t2 - t1);
    const ids = new Set(receiver.events().map((e) => e.id));
    expect(ids.size).toBe(1);
  });

  it("retry on network errors and give up after the configured attempts", async () => {
    const emulator = await startEmulator({ webhookUrl: "http://127.0.0.1:9/unreachable", retry: { attempts: 3, baseDelayMs: 5 } });
    running.push(emulator);
    const session = await sdk(emulator).checkout.sessions.create(sessionParams());
    emulator.expireNow(session.id);
    await emulator.settled();
    const attempts = emulator.deliveries();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => a.status === 0 && !a.ok && a.error)).toBe(true);
  });

  it("duplicate=3 delivers each event three times", async () => {
    const { receiver, emulator, stripe } = await setup();
    emulator.setDeliveryMode({ duplicate: 3 });
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    await emulator.settled();
    const copies = ofType(receiver, "checkout.session.expired");
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((e) => e.id)).size).toBe(1);
    expect((copies[0]!.data.object as Stripe.Checkout.Session).id).toBe(expired.id);
    expect(
      emulator
        .deliveries()
        .map((d) => d.copy)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it("reorder holds events and delivers the batch newest first on flush; paused holds until flush", async () => {
    const { receiver, emulator, stripe } = await setup();
    emulator.setDeliveryMode({ reorder: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await stripe.checkout.sessions.create(sessionParams())).id);
    for (const id of ids) await stripe.checkout.sessions.expire(id);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    await emulator.flush();
    await emulator.settled();
    expect(receiver.events().map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual([...ids].reverse());

    emulator.setDeliveryMode({ reorder: false, paused: true });
    const late = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(late.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(3);
    emulator.setDeliveryMode({ paused: false });
    await emulator.settled();
    expect(receiver.received).toHaveLength(4);
  });

  it("a slow endpoint does not hold up the API", async () => {
    const { receiver, emulator, stripe } = await setup(() => new Promise<number>((r) => setTimeout(() => r(200), 1500)));
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    await waitFor(() => receiver.received.length === 1);
    const started = Date.now();
    await stripe.checkout.sessions.retrieve(session.id);
    await stripe.checkout.sessions.create(sessionParams());
    expect(Date.now() - started).toBeLessThan(500);
    expect(emulator.deliveries()).toHaveLength(0);
  });

  it("redeliver sends the same event again", async () => {
    const { receiver, emulator, stripe } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    await emulator.settled();
    const [event] = receiver.events();
    const attempt = await emulator.redeliver(event!.id);
    expect(attempt).toMatchObject({ eventId: event!.id, status: 200, ok: true });
    expect(receiver.events().map((e) => e.id)).toEqual([event!.id, event!.id]);
  });
});

describe("refunds, disputes and asynchronous payments", () => {
  it("a refund updates the charge and emits charge.refunded and refund.created", async () => {
    const { receiver, emulator, stripe } = await setup();
    const { paymentIntentId } = await paidSession(emulator, stripe);
    const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
    expect(checkShape("payment_intent", pi)).toEqual([]);
    const partial = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1500 }, { idempotencyKey: "refund-1" });
    expect(partial).toMatchObject({ object: "refund", amount: 1500, status: "succeeded", payment_intent: paymentIntentId });
    expect(checkShape("refund", partial)).toEqual([]);
    expect((await stripe.refunds.retrieve(partial.id)).id).toBe(partial.id);
    const rest = await stripe.refunds.create({ charge: pi.latest_charge as string });
    expect(rest.amount).toBe(3000);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount: 4500, amount_refunded: 4500, refunded: true, payment_intent: paymentIntentId });
    expect(checkShape("charge", charge)).toEqual([]);
    const over = await stripe.refunds.create({ payment_intent: paymentIntentId }).catch((e: Stripe.errors.StripeError) => e);
    expect(over).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });

    await emulator.settled();
    const refunded = ofType(receiver, "charge.refunded");
    expect(refunded.map((e) => (e.data.object as Stripe.Charge).amount_refunded)).toEqual([1500, 4500]);
    expect(refunded[0]!.data.previous_attributes).toEqual({ amount_refunded: 0 });
    expect(refunded[0]!.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: "refund-1" });
    expect(ofType(receiver, "refund.created").map((e) => (e.data.object as Stripe.Refund).id)).toEqual([partial.id, rest.id]);
    for (const event of receiver.events()) expect(checkEvent(event)).toEqual([]);
  });

  it("rejects a refund larger than what is left", async () => {
    const { emulator, stripe } = await setup();
    const { paymentIntentId } = await paidSession(emulator, stripe);
    const error = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 4501 }).catch((e: Stripe.errors.StripeError) => e);
    expect(error).toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount" });
  });

  it("createDispute emits charge.dispute.created with a dispute object", async () => {
    const { receiver, emulator, stripe } = await setup();
    const { paymentIntentId } = await paidSession(emulator, stripe);
    const dispute = emulator.createDispute(paymentIntentId);
    expect(checkShape("dispute", dispute)).toEqual([]);
    await emulator.settled();
    const [event] = ofType(receiver, "charge.dispute.created");
    expect(event?.data.object).toMatchObject({ id: dispute.id, object: "dispute", amount: 4500, payment_intent: paymentIntentId });
    expect(checkEvent(event)).toEqual([]);
    const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).disputed).toBe(true);
  });

  it("async_pending completes unpaid, then resolves to succeeded or failed", async () => {
    const { receiver, emulator, stripe } = await setup();
    const a = await stripe.checkout.sessions.create(sessionParams());
    const b = await stripe.checkout.sessions.create(sessionParams());
    expect(emulator.completeSession(a.id, { outcome: "async_pending" })).toMatchObject({ status: "complete", payment_status: "unpaid" });
    emulator.completeSession(b.id, { outcome: "async_pending" });
    expect((await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(a.id)).payment_intent as string)).status).toBe("processing");
    expect(emulator.resolveAsyncPayment(a.id, "succeeded").payment_status).toBe("paid");
    expect(emulator.resolveAsyncPayment(b.id, "failed").payment_status).toBe("unpaid");
    expect(() => emulator.resolveAsyncPayment(b.id, "succeeded")).toThrow();
    await emulator.settled();
    const completed = ofType(receiver, "checkout.session.completed");
    expect(completed.map((e) => (e.data.object as Stripe.Checkout.Session).payment_status)).toEqual(["unpaid", "unpaid"]);
    expect(ofType(receiver, "checkout.session.async_payment_succeeded")[0]?.data.object).toMatchObject({ id: a.id, payment_status: "paid" });
    expect(ofType(receiver, "checkout.session.async_payment_failed")[0]?.data.object).toMatchObject({ id: b.id, payment_status: "unpaid" });
    for (const event of receiver.events()) expect(checkEvent(event)).toEqual([]);
  });
});

describe("control routes over HTTP", () => {
  it("set the delivery mode, complete sessions, dispute and list deliveries", async () => {
    const { receiver, emulator, stripe } = await setup();
    const post = (path: string, body: unknown = {}) => fetch(`${emulator.url}/_emulator/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("delivery-mode", { duplicate: 2 })).status).toBe(200);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const completed = (await (await post(`sessions/${session.id}/complete`, { outcome: "paid" })).json()) as Stripe.Checkout.Session;
    expect(completed.payment_status).toBe("paid");
    const dispute = (await (await post(`payment_intents/${completed.payment_intent as string}/dispute`)).json()) as Stripe.Dispute;
    expect(dispute.object).toBe("dispute");
    expect((await post("settled")).status).toBe(200);
    const { data } = (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as { data: { type: string }[] };
    expect(data.filter((d) => d.type === "checkout.session.completed")).toHaveLength(2);
    expect(receiver.received.length).toBe(data.length);
    const bad = await post(`sessions/${session.id}/complete`, { outcome: "paid" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("pays through the hosted page and the webhook carries payment_status paid", async () => {
    const { receiver, emulator, stripe } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect((await payOnPage(emulator, session.id, "4242 4242 4242 4242")).status).toBe(303);
    await emulator.settled();
    const [completed] = ofType(receiver, "checkout.session.completed");
    expect(completed?.data.object).toMatchObject({ id: session.id, status: "complete", payment_status: "paid" });
  });
});
