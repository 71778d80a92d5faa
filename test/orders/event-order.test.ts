import Stripe from "stripe";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, paymentExceptions, stripeEvents } from "@/db/schema";
import { approvedInvestor, assertInvariants, configurePayments, demoOffering, jobsFor, orderById, startPaymentsHarness, WEBHOOK_SECRET } from "./harness";

// Issue 9, points 2–4: events in any order, unknown references, refunds the portal owes.
const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { releaseInTx } = await import("@/lib/orders/settle");
const { sendExceptionRefund, refundException } = await import("@/lib/orders/exceptions");
const { POST } = await import("@/app/api/stripe/webhook/route");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;
const stripe = () => new Stripe("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  disclosureId = (await currentDisclosure(offering.id))!.id;
});
afterAll(async () => harness?.stop());

async function paidAtStripeOnly(units: number) {
  const buyer = await approvedInvestor();
  const placed = await placeOrder(buyer, { offeringId: offering.id, units, disclosureId });
  if (!placed.ok) throw new Error("order refused");
  const sessionId = (await orderById(placed.orderId)).stripeCheckoutSessionId!;
  harness.emulator.completeSession(sessionId, { outcome: "paid" });
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  return { orderId: placed.orderId, paymentIntentId: session.payment_intent as string };
}

/** Delivers what is held, newest first: the events about the charge before the payment's own. */
async function deliverNewestFirst() {
  harness.emulator.setDeliveryMode({ reorder: true, paused: false });
  await harness.emulator.flush();
  await harness.emulator.settled();
  harness.emulator.setDeliveryMode({ reorder: false });
}

const signed = (event: object) => {
  const payload = JSON.stringify({ object: "event", api_version: "2026-10-28.endive", created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: null, ...event });
  return POST(
    new Request("http://x/api/stripe/webhook", {
      method: "POST",
      headers: { "stripe-signature": new Stripe("sk_test_x").webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
      body: payload,
    }),
  );
};

describe("payment events in any order", () => {
  it("a refund that arrives before the payment ends refunded, with no tokens and the yen booked both ways", async () => {
    harness.emulator.setDeliveryMode({ paused: true });
    const { orderId, paymentIntentId } = await paidAtStripeOnly(3);
    await stripe().refunds.create({ payment_intent: paymentIntentId });
    await deliverNewestFirst();

    const order = await orderById(orderId);
    expect(order.status).toBe("refunded");
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
    expect(ledger.map((entry) => [entry.kind, entry.yen]).sort()).toEqual([
      ["yen_received", 3000],
      ["yen_refunded", -3000],
    ]);
    // The refund event itself applied the payment first (read at Stripe), before its own change.
    expect(ledger.find((entry) => entry.kind === "yen_received")!.detail).toMatchObject({ eventId: expect.stringMatching(/:payment$/) });
    expect(await jobsFor("orders.clawback", orderId)).toBe(1);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("a dispute that arrives before the payment freezes the order; won gives it back and unfreezes", async () => {
    harness.emulator.setDeliveryMode({ paused: true });
    const { orderId, paymentIntentId } = await paidAtStripeOnly(2);
    const dispute = harness.emulator.createDispute(paymentIntentId);
    await deliverNewestFirst();
    expect((await orderById(orderId)).status).toBe("disputed");
    expect(await jobsFor("orders.freeze", orderId)).toBe(1);
    const [received] = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
    expect(received!.detail).toMatchObject({ eventId: expect.stringMatching(/:payment$/) });

    harness.emulator.closeDispute(dispute.id, "won");
    await harness.emulator.settled();
    expect((await orderById(orderId)).status).toBe("paid");
    expect(await jobsFor("orders.unfreeze", orderId)).toBe(1);
    expect(await assertInvariants(offering.id)).toMatchObject({ soldMatchesPaid: true, yenMatches: true });
  });

  it.each(["won", "lost"] as const)("a dispute closed (%s) before its opening arrives ends as the closing says, never frozen", async (outcome) => {
    harness.emulator.setDeliveryMode({ paused: true });
    const { orderId, paymentIntentId } = await paidAtStripeOnly(2);
    const dispute = harness.emulator.createDispute(paymentIntentId);
    harness.emulator.closeDispute(dispute.id, outcome);
    // Newest first: the closing, then the opening, then the payment.
    await deliverNewestFirst();
    expect((await orderById(orderId)).status).toBe(outcome === "won" ? "paid" : "refunded");
    expect(await jobsFor("orders.freeze", orderId)).toBe(0);
    expect(await jobsFor("orders.clawback", orderId)).toBe(outcome === "won" ? 0 : 1);
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
    expect(ledger.map((entry) => entry.yen).reduce((a, b) => a + b, 0)).toBe(outcome === "won" ? 2000 : 0);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("a lost dispute books the yen back, frees the units and claws the tokens back", async () => {
    const { orderId, paymentIntentId } = await paidAtStripeOnly(4);
    await harness.emulator.settled();
    const soldBefore = (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.soldUnits;
    const dispute = harness.emulator.createDispute(paymentIntentId);
    await harness.emulator.settled();
    harness.emulator.closeDispute(dispute.id, "lost");
    await harness.emulator.settled();
    expect((await orderById(orderId)).status).toBe("refunded");
    expect((await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.soldUnits).toBe(soldBefore - 4);
    expect(await jobsFor("orders.clawback", orderId)).toBe(1);
    expect(await jobsFor("orders.unfreeze", orderId)).toBe(1);
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
    expect(ledger.map((entry) => entry.yen).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("an event about a payment not complete at Stripe yet is refused with 503 and not recorded, so it comes back", async () => {
    const buyer = await approvedInvestor();
    const placed = await placeOrder(buyer, { offeringId: offering.id, units: 1, disclosureId });
    if (!placed.ok) throw new Error("order refused");
    const event = {
      id: `evt_early_${Date.now()}`,
      type: "charge.refunded",
      data: { object: { id: "ch_early", object: "charge", payment_intent: "pi_not_yet", amount: 1000, amount_refunded: 1000, metadata: { orderId: placed.orderId } } },
    };
    const response = await signed(event);
    expect(response.status).toBe(503);
    expect(await getDb().select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(0);
    expect((await orderById(placed.orderId)).status).toBe("awaiting_payment");
  });
});

describe("signed events with references that are not orders", () => {
  it.each([["not-a-uuid"], ["00000000-0000-4000-8000-000000000000"]])("client_reference_id %s is acknowledged, recorded and kept for staff", async (reference) => {
    const event = {
      id: `evt_ref_${reference}_${Date.now()}`,
      type: "checkout.session.completed",
      data: {
        object: {
          id: "cs_unknown",
          object: "checkout.session",
          client_reference_id: reference,
          payment_status: "paid",
          status: "complete",
          amount_total: 5000,
          currency: "jpy",
          payment_intent: `pi_unknown_${Date.now()}`,
          metadata: { orderId: reference },
        },
      },
    };
    const first = await signed(event);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: "exception" });
    expect((await signed(event)).status).toBe(200);
    const [recorded] = await getDb().select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(recorded).toMatchObject({ outcome: "exception" });
    const kept = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.stripeEventId, event.id));
    expect(kept).toEqual([expect.objectContaining({ kind: "unmatched_event", status: "open", amountYen: 5000 })]);
  });
});

describe("refunds the portal owes are jobs", () => {
  it("a late payment with no units left is refunded by a retried job, exactly once", async () => {
    const buyer = await approvedInvestor();
    const placed = await placeOrder(buyer, { offeringId: offering.id, units: 2, disclosureId });
    if (!placed.ok) throw new Error("order refused");
    const sessionId = (await orderById(placed.orderId)).stripeCheckoutSessionId!;
    await getDb().transaction((tx) => releaseInTx(tx, placed.orderId, "expired", { from: ["awaiting_payment"] }));
    const [now] = await getDb().select().from(offerings).where(eq(offerings.id, offering.id));
    await getDb()
      .update(offerings)
      .set({ capUnits: now!.soldUnits + now!.reservedUnits })
      .where(eq(offerings.id, offering.id));
    try {
      harness.emulator.completeSession(sessionId, { outcome: "paid" });
      await harness.emulator.settled();
    } finally {
      await getDb().update(offerings).set({ capUnits: offering.capUnits }).where(eq(offerings.id, offering.id));
    }
    const [exception] = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.orderId, placed.orderId));
    expect(exception).toMatchObject({ kind: "late_payment_sold_out", status: "refund_queued" });

    // The processor is down once: the job fails (pg-boss retries it) and nothing is marked.
    const keys: string[] = [];
    const { paymentProvider } = await import("@/lib/payments/stripe");
    const real = paymentProvider();
    const flaky = {
      ...real,
      refund: async (pi: string, key: string) => {
        keys.push(key);
        if (keys.length === 1) throw new Error("connection reset");
        return real.refund(pi, key);
      },
    };
    await expect(sendExceptionRefund(exception!.id, flaky)).rejects.toThrow("connection reset");
    expect((await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.id, exception!.id)))[0]!.status).toBe("refund_queued");
    expect(await sendExceptionRefund(exception!.id, flaky)).toBe("refunded");
    expect(await sendExceptionRefund(exception!.id, flaky)).toBe("skipped");
    expect(new Set(keys)).toEqual(new Set([`portal-refund:${exception!.id}`]));
    await harness.emulator.settled();

    expect((await orderById(placed.orderId)).status).toBe("refunded");
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, placed.orderId));
    expect(ledger.map((entry) => entry.yen).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("a payment of the wrong amount releases the units at once and waits for a staff decision", async () => {
    const buyer = await approvedInvestor();
    const placed = await placeOrder(buyer, { offeringId: offering.id, units: 5, disclosureId });
    if (!placed.ok) throw new Error("order refused");
    const order = await orderById(placed.orderId);
    const reservedBefore = (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits;
    harness.emulator.setDeliveryMode({ paused: true });
    harness.emulator.completeSession(order.stripeCheckoutSessionId!, { outcome: "paid" });
    const session = await stripe().checkout.sessions.retrieve(order.stripeCheckoutSessionId!);
    const event = { id: `evt_mismatch_${Date.now()}`, type: "checkout.session.completed", data: { object: { ...session, amount_total: 10 } } };
    expect((await signed(event)).status).toBe(200);
    expect((await orderById(order.id)).status).toBe("cancelled");
    expect((await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits).toBe(reservedBefore - 5);
    const [exception] = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.stripeEventId, event.id));
    expect(exception).toMatchObject({ kind: "amount_mismatch", status: "open", amountYen: 10 });
    const staff = await approvedInvestor();
    const scope = { userId: staff.id, all: false, issuerIds: [offering.villageId] };
    expect(await refundException(exception!.id, staff.id, scope)).toBe(true);
    expect(await refundException(exception!.id, staff.id, scope)).toBe(false);
    expect((await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.id, exception!.id)))[0]!.status).toBe("refund_queued");

    // Stripe's own event for that payment, arriving after, does not bring the order back.
    harness.emulator.setDeliveryMode({ paused: false });
    await harness.emulator.settled();
    expect((await orderById(order.id)).status).toBe("cancelled");
  });
});
