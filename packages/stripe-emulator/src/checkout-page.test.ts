import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { checkShape } from "./schema-check";
import { payOnPage, sdk, sessionParams, startEmulator, startReceiver, type Receiver } from "./test-helpers";

describe("hosted test checkout page", () => {
  let emulator: StripeEmulator;
  let receiver: Receiver;
  let stripe: Stripe;
  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url, publicUrl: "http://127.0.0.1:4999/" });
    stripe = sdk(emulator);
  });
  afterAll(async () => {
    await emulator.stop();
    await receiver.close();
  });

  it("shows the amount in yen, labelled card fields, and a cancel link", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session.url).toBe(`http://127.0.0.1:4999/checkout/${session.id}`);
    const response = await fetch(`${emulator.url}/checkout/${session.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("¥4,500");
    expect(html).not.toContain("¥450,000");
    for (const [id, label] of [
      ["card_number", "Card number"],
      ["expiry", "Expiry"],
      ["cvc", "CVC"],
      ["name", "Name on card"],
    ]) {
      expect(html).toMatch(new RegExp(`<label for="${id}">[^<]*${label}[^<]*</label>`));
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain("カード番号");
    expect(html).toContain(`href="http://127.0.0.1:3000/orders/cancelled"`);
    expect(html).toContain("村トークン / Village token");
  });

  it("declines 4000 0000 0000 0002: the page says so, the session stays open, nothing is emitted", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const eventsBefore = emulator.events().length;
    const response = await payOnPage(emulator, session.id, "4000 0000 0000 0002");
    expect(response.status).toBe(402);
    const html = await response.text();
    expect(html).toContain("カードが拒否されました");
    expect(html).toContain("declined");
    expect(html).toContain('id="card_number"');
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: "open", payment_status: "unpaid", payment_intent: null });
    await emulator.settled();
    expect(emulator.events()).toHaveLength(eventsBefore);
    expect(receiver.events().some((e) => (e.data.object as { id?: string }).id === session.id)).toBe(false);
  });

  it("asks for a test card for any other number, and checks expiry and CVC", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const other = await payOnPage(emulator, session.id, "5555 5555 5555 4444");
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("Use a test card");
    const pastExpiry = await payOnPage(emulator, session.id, "4242424242424242", { expiry: "01 / 20" });
    expect(await pastExpiry.text()).toContain("expiration date is invalid");
    const noCvc = await payOnPage(emulator, session.id, "4242424242424242", { cvc: "" });
    expect(await noCvc.text()).toContain("security code");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("pays with 4242: redirects to success_url with the id; session, payment intent and charge are linked", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await payOnPage(emulator, session.id, "4242424242424242");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://127.0.0.1:3000/orders/done?session_id=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect(checkShape("checkout.session", done)).toEqual([]);
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 4500, amount_received: 4500, currency: "jpy" });
    expect(pi.metadata).toEqual({ orderId: "order-42" });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: "charge", status: "succeeded", paid: true, amount: 4500, payment_intent: pi.id });
    expect(charge.billing_details.name).toBe("Yamada Taro");
    expect(checkShape("payment_intent", { ...pi, latest_charge: charge.id })).toEqual([]);
    expect(checkShape("charge", charge)).toEqual([]);

    await emulator.settled();
    const completed = receiver.events().filter((e) => e.type === "checkout.session.completed");
    const mine = completed.find((e) => (e.data.object as Stripe.Checkout.Session).id === session.id);
    expect(mine?.data.object).toMatchObject({ payment_status: "paid", payment_intent: pi.id, client_reference_id: "order-42" });
  });

  it("shows a message instead of the form for completed and expired sessions", async () => {
    const paid = await stripe.checkout.sessions.create(sessionParams());
    emulator.completeSession(paid.id, { outcome: "paid" });
    const paidHtml = await (await fetch(`${emulator.url}/checkout/${paid.id}`)).text();
    expect(paidHtml).toContain("This payment is complete");
    expect(paidHtml).not.toContain('id="card_number"');
    const again = await payOnPage(emulator, paid.id, "4242424242424242");
    expect(again.status).toBe(409);

    const stale = await stripe.checkout.sessions.create(sessionParams());
    emulator.expireNow(stale.id);
    const staleHtml = await (await fetch(`${emulator.url}/checkout/${stale.id}`)).text();
    expect(staleHtml).toContain("expired");
    expect(staleHtml).toContain("有効期限が切れました");
    expect(staleHtml).not.toContain('id="card_number"');

    expect((await fetch(`${emulator.url}/checkout/cs_test_nothing`)).status).toBe(404);
  });
});
