import Stripe from "stripe";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, orderEvents, orders } from "@/db/schema";
import { approvedInvestor, assertInvariants, configurePayments, countWhere, demoOffering, jobsFor, orderById, startPaymentsHarness, WEBHOOK_SECRET } from "./harness";
import { makeUser } from "../fixtures";

const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { expireStaleReservations } = await import("@/lib/orders/expiry");
const { requestRefund } = await import("@/lib/orders/refund");
const { POST } = await import("@/app/api/stripe/webhook/route");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  disclosureId = (await currentDisclosure(offering.id))!.id;
});
afterAll(async () => harness?.stop());

const buy = async (buyer: { id: string; email: string; locale: "ja" | "en" }, units: number) => placeOrder(buyer, { offeringId: offering.id, units, disclosureId });
const sessionOf = async (orderId: string) => (await orderById(orderId)).stripeCheckoutSessionId!;
const reservedNow = async () => (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits;

describe("purchase limits refuse clearly and reserve nothing", () => {
  it.each([
    ["below the minimum", 0, "units"],
    ["above the maximum", 501, "aboveMax"],
    ["over the yearly cap", 500 + 1, "aboveMax"],
  ])("%s", async (_name, units, expected) => {
    const buyer = await approvedInvestor();
    const before = await reservedNow();
    if (units === 0) {
      // Zero units never reaches the lib: the shared schema refuses it.
      const { purchaseSchema } = await import("@/lib/orders/schemas");
      expect(purchaseSchema.safeParse({ offeringId: offering.id, units: "0", disclosureId, confirmDisclosure: "on" }).success).toBe(false);
    } else {
      expect(await buy(buyer, units)).toMatchObject({ ok: false, error: expected });
    }
    expect(await reservedNow()).toBe(before);
  });

  it("over the yearly cap across orders", async () => {
    const buyer = await approvedInvestor();
    expect(await buy(buyer, 300)).toMatchObject({ ok: true });
    expect(await buy(buyer, 201)).toEqual({ ok: false, error: "yearlyCap", remainingYen: 200_000 });
    expect(await buy(buyer, 200)).toMatchObject({ ok: true });
  });

  it("outside the window, on a paused offering, without approved identity, with a stale disclosure", async () => {
    const buyer = await approvedInvestor();
    const before = await reservedNow();
    await getDb().update(offerings).set({ status: "paused" }).where(eq(offerings.id, offering.id));
    expect(await buy(buyer, 1)).toEqual({ ok: false, error: "notOpen" });
    await getDb()
      .update(offerings)
      .set({ status: "open", closesAt: new Date(Date.now() - 1000), opensAt: new Date(Date.now() - 86_400_000) })
      .where(eq(offerings.id, offering.id));
    expect(await buy(buyer, 1)).toEqual({ ok: false, error: "ended" });
    await getDb()
      .update(offerings)
      .set({ opensAt: new Date(Date.now() + 86_400_000), closesAt: new Date(Date.now() + 2 * 86_400_000) })
      .where(eq(offerings.id, offering.id));
    expect(await buy(buyer, 1)).toMatchObject({ ok: false, error: "notStarted" });
    await getDb().update(offerings).set({ opensAt: offering.opensAt, closesAt: offering.closesAt }).where(eq(offerings.id, offering.id));

    const unapproved = await makeUser();
    expect(await placeOrder({ ...unapproved, locale: "ja" }, { offeringId: offering.id, units: 1, disclosureId })).toMatchObject({
      ok: false,
      error: "onboarding",
      blockers: expect.arrayContaining(["identity"]),
    });
    expect(await placeOrder(buyer, { offeringId: offering.id, units: 1, disclosureId: "00000000-0000-4000-8000-000000000000" })).toEqual({ ok: false, error: "staleDisclosure" });
    expect(await reservedNow()).toBe(before);
  });
});

describe("checkout and webhooks", () => {
  it("still opens the Checkout Session when a rush delays it past the reservation's margin", async () => {
    // Reserved two minutes before the session is asked for: Stripe wants 30 minutes from its creation.
    const reservedAt = new Date(Date.now() - 2 * 60 * 1000);
    const placed = await placeOrder(await approvedInvestor(), { offeringId: offering.id, units: 1, disclosureId }, undefined, reservedAt);
    if (!placed.ok) throw new Error(placed.error);
    const order = await orderById(placed.orderId);
    expect(order.status).toBe("awaiting_payment");
    const stripe = new Stripe("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });
    const session = await stripe.checkout.sessions.retrieve(order.stripeCheckoutSessionId!);
    expect(session.expires_at * 1000).toBeGreaterThanOrEqual(order.reservationExpiresAt.getTime());
  });

  it("creates a Checkout Session in whole yen and fulfils only on payment", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 3);
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const order = await orderById(placed.orderId);
    expect(order).toMatchObject({ status: "awaiting_payment", units: 3, amountYen: 3000, disclosureDocumentId: disclosureId });
    const stripe = new Stripe("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });
    const session = await stripe.checkout.sessions.retrieve(order.stripeCheckoutSessionId!);
    expect(session).toMatchObject({ currency: "jpy", amount_total: 3000, client_reference_id: order.id, status: "open" });
    expect(session.expires_at * 1000 - Date.now()).toBeGreaterThan(29 * 60 * 1000);

    harness.emulator.completeSession(session.id, { outcome: "paid" });
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "paid" });
    expect(await jobsFor("orders.allocate", order.id)).toBe(1);
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, order.id))).toBe(1);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("applies the same event delivered 10 times concurrently exactly once", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 2);
    if (!placed.ok) throw new Error("order refused");
    harness.emulator.setDeliveryMode({ duplicate: 10 });
    harness.emulator.completeSession(await sessionOf(placed.orderId), { outcome: "paid" });
    await harness.emulator.settled();
    harness.emulator.setDeliveryMode({ duplicate: 1 });
    const deliveries = harness.emulator.deliveries().filter((d) => d.type === "checkout.session.completed" && d.ok);
    expect(deliveries.length).toBeGreaterThanOrEqual(10);
    expect(await countWhere(orderEvents, eq(orderEvents.orderId, placed.orderId))).toBe(3); // reserved, awaiting_payment, paid
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, placed.orderId))).toBe(1);
    expect(await jobsFor("orders.allocate", placed.orderId)).toBe(1);
  });

  it("answers a tampered body, a wrong secret and a stale timestamp with 400 and changes nothing", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 1);
    if (!placed.ok) throw new Error("order refused");
    const stripe = new Stripe("sk_test_x");
    const payload = JSON.stringify({
      id: "evt_forged_1",
      object: "event",
      type: "checkout.session.completed",
      api_version: "2026-10-28.endive",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: {
        object: {
          id: await sessionOf(placed.orderId),
          object: "checkout.session",
          client_reference_id: placed.orderId,
          payment_status: "paid",
          amount_total: 1000,
          currency: "jpy",
          payment_intent: "pi_forged",
          metadata: {},
        },
      },
    });
    const post = (body: string, header: string) => POST(new Request("http://x/api/stripe/webhook", { method: "POST", headers: { "stripe-signature": header }, body }));
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    expect((await post(payload.replace('"amount_total":1000', '"amount_total":1'), good)).status).toBe(400);
    expect((await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_wrong" }))).status).toBe(400);
    expect((await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(400);
    expect((await post(payload, "")).status).toBe(400);
    expect(await orderById(placed.orderId)).toMatchObject({ status: "awaiting_payment" });
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, placed.orderId))).toBe(0);
    // The same payload correctly signed is accepted: the refusals above were about the signature.
    expect((await post(payload, good)).status).toBe(200);
    expect(await orderById(placed.orderId)).toMatchObject({ status: "paid" });
  });

  it("ends in the right state for completed-then-expired and expired-then-completed", async () => {
    const buyer = await approvedInvestor();
    const a = await buy(buyer, 1);
    const b = await buy(buyer, 1);
    if (!a.ok || !b.ok) throw new Error("order refused");
    harness.emulator.setDeliveryMode({ reorder: true });
    harness.emulator.completeSession(await sessionOf(a.orderId), { outcome: "paid" });
    harness.emulator.expireNow(await sessionOf(b.orderId));
    await harness.emulator.flush();
    await harness.emulator.settled();
    harness.emulator.setDeliveryMode({ reorder: false });
    expect((await orderById(a.orderId)).status).toBe("paid");
    expect((await orderById(b.orderId)).status).toBe("expired");

    // Replay the two orders' events in the opposite order: nothing changes.
    const events = harness.emulator
      .events()
      .filter((e) => ["checkout.session.completed", "checkout.session.expired"].includes(e.type))
      .slice(-2);
    for (const event of events.reverse()) await harness.emulator.redeliver(event.id);
    await harness.emulator.settled();
    expect((await orderById(a.orderId)).status).toBe("paid");
    expect((await orderById(b.orderId)).status).toBe("expired");
    expect(await assertInvariants(offering.id)).toMatchObject({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true });
  });

  it("honours a payment that lands after the reservation expired, while units remain", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 2);
    if (!placed.ok) throw new Error("order refused");
    const session = await sessionOf(placed.orderId);
    // Our expiry ran first (say, Stripe's expired event was lost), then the money arrived.
    await getDb().transaction(async (tx) => {
      const { releaseInTx } = await import("@/lib/orders/settle");
      await releaseInTx(tx, placed.orderId, "expired", { from: ["awaiting_payment"] });
    });
    harness.emulator.completeSession(session, { outcome: "paid" });
    await harness.emulator.settled();
    expect((await orderById(placed.orderId)).status).toBe("paid");
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });
});

describe("expiry, refunds and disputes", () => {
  it("expires the session at Stripe first, then releases the units; a paid session is left alone", async () => {
    const buyer = await approvedInvestor();
    const unpaid = await buy(buyer, 4);
    const paid = await buy(buyer, 1);
    if (!unpaid.ok || !paid.ok) throw new Error("order refused");
    harness.emulator.setDeliveryMode({ paused: true });
    try {
      harness.emulator.completeSession(await sessionOf(paid.orderId), { outcome: "paid" });
      const released = await expireStaleReservations(new Date(Date.now() + 31 * 60 * 1000));
      expect(released).toBeGreaterThanOrEqual(1);
      expect((await orderById(unpaid.orderId)).status).toBe("expired");
      // Paid at Stripe but not yet told to us: its units stay reserved until the event arrives.
      expect((await orderById(paid.orderId)).status).toBe("awaiting_payment");
      expect(await assertInvariants(offering.id)).toMatchObject({ withinCap: true, reservedMatchesOpen: true, soldMatchesPaid: true });
    } finally {
      harness.emulator.setDeliveryMode({ paused: false });
    }
    const stripe = new Stripe("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });
    expect((await stripe.checkout.sessions.retrieve(await sessionOf(unpaid.orderId))).status).toBe("expired");
    await harness.emulator.flush();
    await harness.emulator.settled();
    await expect.poll(async () => (await orderById(paid.orderId)).status, { timeout: 5000 }).toBe("paid");
  });

  it("refunds through Stripe and applies charge.refunded once: refunded, yen booked back, clawback queued", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 5);
    if (!placed.ok) throw new Error("order refused");
    harness.emulator.completeSession(await sessionOf(placed.orderId), { outcome: "paid" });
    await harness.emulator.settled();
    const staff = await makeUser("staff");
    expect(await requestRefund(placed.orderId, staff.id)).toMatchObject({ ok: true });
    await harness.emulator.settled();
    expect((await orderById(placed.orderId)).status).toBe("refunded");
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, placed.orderId));
    expect(ledger.map((entry) => [entry.kind, entry.yen]).sort()).toEqual([
      ["yen_received", 5000],
      ["yen_refunded", -5000],
    ]);
    expect(await jobsFor("orders.clawback", placed.orderId)).toBe(1);
    // A second request is idempotent at Stripe and the state does not move again.
    await requestRefund(placed.orderId, staff.id);
    await harness.emulator.settled();
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, placed.orderId))).toBe(2);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("marks a disputed order and queues a freeze", async () => {
    const buyer = await approvedInvestor();
    const placed = await buy(buyer, 1);
    if (!placed.ok) throw new Error("order refused");
    harness.emulator.completeSession(await sessionOf(placed.orderId), { outcome: "paid" });
    await harness.emulator.settled();
    harness.emulator.createDispute((await orderById(placed.orderId)).stripePaymentIntentId!);
    await harness.emulator.settled();
    expect((await orderById(placed.orderId)).status).toBe("disputed");
    expect(await jobsFor("orders.freeze", placed.orderId)).toBe(1);
  });
});

describe("no oversell under concurrency", () => {
  it("50 buyers racing for 20 units: exactly 20 reserved", async () => {
    const small = { ...offering };
    const [{ sold, reserved } = { sold: 0, reserved: 0 }] = await getDb().select({ sold: offerings.soldUnits, reserved: offerings.reservedUnits }).from(offerings).where(eq(offerings.id, small.id));
    await getDb()
      .update(offerings)
      .set({ capUnits: sold + reserved + 20 })
      .where(eq(offerings.id, small.id));
    const buyers = await Promise.all(Array.from({ length: 50 }, () => approvedInvestor()));
    const results = await Promise.all(buyers.map((buyer) => buy(buyer, 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(results.filter((r) => !r.ok && r.error === "soldOut")).toHaveLength(30);
    expect(await assertInvariants(small.id)).toMatchObject({ withinCap: true, reservedMatchesOpen: true });
    const open = await getDb().select().from(orders).where(eq(orders.offeringId, small.id));
    expect(open.filter((o) => o.status === "awaiting_payment").length).toBeGreaterThanOrEqual(20);
  });
});
