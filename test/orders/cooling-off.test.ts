import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, ledgerEntries, notifications, offerings, orderEvents, orders, type Order } from "@/db/schema";
import { coolingOffEndsAt } from "@/lib/orders/cooling-off-period";
import type { PaymentProvider } from "@/lib/payments/provider";
import { makeUser } from "../fixtures";
import { approvedInvestor, assertInvariants, configurePayments, demoOffering, jobsFor, orderById, startPaymentsHarness } from "./harness";

// Cooling-off (issue 15): the investor cancels within the period and the money goes back in full,
// once, or the unpaid units return to the sale. The tokens' side is in cooling-off-chain.test.ts.

const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { cancelWithinCoolingOff, finishCoolingOffCancel, sweepCoolingOff } = await import("@/lib/orders/cooling-off");
const { requestRefund } = await import("@/lib/orders/refund");
const { paymentProvider } = await import("@/lib/payments/stripe");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  disclosureId = (await currentDisclosure(offering.id))!.id;
});
afterAll(async () => harness?.stop());

/** Applied 1 December 10:00 Tokyo with 8 days: the right lasts to the end of 8 December. */
const APPLIED = new Date("2026-12-01T10:00:00+09:00");
const ENDS = coolingOffEndsAt(APPLIED, 8)!;
const DAY_8_LATE = new Date("2026-12-08T23:59:00+09:00");
const DAY_9 = new Date("2026-12-09T00:00:00+09:00");
/** Within the right, whatever day the test runs on (the order's end is set far ahead). */
const FAR = new Date(Date.now() + 8 * 86_400_000);

type Buyer = Awaited<ReturnType<typeof approvedInvestor>>;

async function setEnds(orderId: string, ends: Date) {
  await getDb().update(orders).set({ coolingOffEndsAt: ends }).where(eq(orders.id, orderId));
}

/** A card order through Checkout on the emulator, left awaiting payment or paid by its webhook. */
async function cardOrder(buyer: Buyer, units: number, options: { paid: boolean; ends?: Date }): Promise<Order> {
  const placed = await placeOrder(buyer, { offeringId: offering.id, units, disclosureId });
  if (!placed.ok) throw new Error(`order refused: ${placed.error}`);
  await setEnds(placed.orderId, options.ends ?? FAR);
  if (options.paid) {
    harness.emulator.completeSession((await orderById(placed.orderId)).stripeCheckoutSessionId!, { outcome: "paid" });
    await harness.emulator.settled();
  }
  const order = await orderById(placed.orderId);
  expect(order.status).toBe(options.paid ? "paid" : "awaiting_payment");
  return order;
}

/** Counts the refunds each call asks the processor for, passing them on to the emulator. */
function countingProvider() {
  const real = paymentProvider();
  const calls: { paymentIntentId: string; key: string }[] = [];
  const provider: PaymentProvider = {
    ...real,
    refund: async (paymentIntentId, key) => {
      calls.push({ paymentIntentId, key });
      return real.refund(paymentIntentId, key);
    },
  };
  return { provider, calls };
}

const refundsAtProcessor = (paymentIntentId: string) =>
  harness.emulator.events().filter((event) => event.type === "refund.created" && (event.data.object as Stripe.Refund).payment_intent === paymentIntentId).length;

const soldUnits = async (offeringId: string) => (await getDb().select({ sold: offerings.soldUnits, reserved: offerings.reservedUnits }).from(offerings).where(eq(offerings.id, offeringId)))[0]!;

const ledgerOf = (orderId: string) =>
  getDb().select({ kind: ledgerEntries.kind, yen: ledgerEntries.yen, units: ledgerEntries.units }).from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId)).orderBy(ledgerEntries.id);

describe("the period, with the clock injected", () => {
  it("accepts a cancellation at 23:59 on day 8 and refuses one at 00:00 on day 9 (Tokyo)", async () => {
    expect(ENDS.toISOString()).toBe("2026-12-08T15:00:00.000Z");
    const buyer = await approvedInvestor();
    const onDay8 = await cardOrder(buyer, 1, { paid: true, ends: ENDS });
    const onDay9 = await cardOrder(buyer, 1, { paid: true, ends: ENDS });

    const { provider } = countingProvider();
    expect(await cancelWithinCoolingOff(buyer.id, onDay9.id, provider, DAY_9)).toEqual({ ok: false, error: "expired" });
    expect(await orderById(onDay9.id)).toMatchObject({ status: "paid", cancelRequestedAt: null });
    expect(await jobsFor("orders.cooling-off-refund", onDay9.id)).toBe(0);

    expect(await cancelWithinCoolingOff(buyer.id, onDay8.id, provider, DAY_8_LATE)).toEqual({ ok: true, outcome: "refunding" });
    expect((await orderById(onDay8.id)).cancelRequestedAt).toEqual(DAY_8_LATE);
    expect(await jobsFor("orders.cooling-off-refund", onDay8.id)).toBe(1);
    expect(await finishCoolingOffCancel(onDay8.id, provider)).toBe("refundRequested");
    await harness.emulator.settled();
    expect((await orderById(onDay8.id)).status).toBe("refunded");
  });

  it("refuses an order whose offering has no cooling-off", async () => {
    const buyer = await approvedInvestor();
    const order = await cardOrder(buyer, 1, { paid: true });
    await getDb().update(orders).set({ coolingOffEndsAt: null }).where(eq(orders.id, order.id));
    expect(await cancelWithinCoolingOff(buyer.id, order.id)).toEqual({ ok: false, error: "notCancellable" });
  });
});

describe("who may cancel, and what", () => {
  it("refuses another investor and an unknown order, and changes nothing", async () => {
    const buyer = await approvedInvestor();
    const other = await approvedInvestor();
    const order = await cardOrder(buyer, 1, { paid: true });
    expect(await cancelWithinCoolingOff(other.id, order.id)).toEqual({ ok: false, error: "notOwner" });
    expect(await cancelWithinCoolingOff(buyer.id, "00000000-0000-4000-8000-000000000000")).toEqual({ ok: false, error: "notFound" });
    expect(await cancelWithinCoolingOff(buyer.id, "not-a-uuid")).toEqual({ ok: false, error: "notFound" });
    expect(await orderById(order.id)).toMatchObject({ status: "paid", cancelRequestedAt: null });
    expect(await jobsFor("orders.cooling-off-refund", order.id)).toBe(0);
  });

  it("refuses a disputed order and one paid in JPYC (the issuer handles those)", async () => {
    const buyer = await approvedInvestor();
    const disputed = await cardOrder(buyer, 1, { paid: true });
    harness.emulator.createDispute(disputed.stripePaymentIntentId!);
    await harness.emulator.settled();
    expect((await orderById(disputed.id)).status).toBe("disputed");
    expect(await cancelWithinCoolingOff(buyer.id, disputed.id)).toEqual({ ok: false, error: "disputed" });

    // Paid in JPYC and allocated, as its settlement leaves it: a sold unit and its yen in the ledger.
    const coin = await getDb().transaction(async (tx) => {
      const [row] = await tx
        .insert(orders)
        .values({
          userId: buyer.id,
          offeringId: offering.id,
          units: 1,
          amountYen: offering.priceYen,
          status: "allocated",
          paymentMethod: "stablecoin",
          reservationExpiresAt: FAR,
          coolingOffEndsAt: FAR,
        })
        .returning();
      await tx
        .update(offerings)
        .set({ soldUnits: sql`${offerings.soldUnits} + 1` })
        .where(eq(offerings.id, offering.id));
      await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: offering.id, orderId: row!.id, userId: buyer.id, yen: offering.priceYen });
      return row;
    });
    expect(await cancelWithinCoolingOff(buyer.id, coin!.id)).toEqual({ ok: false, error: "paidInStablecoin" });
    expect((await orderById(coin!.id)).cancelRequestedAt).toBeNull();
  });
});

describe("a paid card order", () => {
  it("cancelled twice (two tabs) asks for one refund; the refund's event refunds it, books the yen back and returns the units", async () => {
    const buyer = await approvedInvestor();
    const order = await cardOrder(buyer, 3, { paid: true });
    const before = await soldUnits(offering.id);
    const { provider, calls } = countingProvider();

    const both = await Promise.all([cancelWithinCoolingOff(buyer.id, order.id, provider), cancelWithinCoolingOff(buyer.id, order.id, provider)]);
    expect(both).toEqual(
      expect.arrayContaining([
        { ok: true, outcome: "refunding" },
        { ok: false, error: "alreadyCancelled" },
      ]),
    );
    expect(await jobsFor("orders.cooling-off-refund", order.id)).toBe(1);
    const audits = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, order.id), eq(auditLog.action, "order.cooling_off_cancelled")));
    expect(audits).toEqual([expect.objectContaining({ actorId: buyer.id })]);
    const journey = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(journey.filter((event) => event.detail?.coolingOff === true)).toEqual([expect.objectContaining({ fromStatus: "paid", toStatus: "paid" })]);
    const [notice] = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.orderId, order.id), eq(notifications.kind, "order_cancelled_cooling_off")));
    expect(notice?.detail).toMatchObject({ orderId: order.id, amountYen: 3 * offering.priceYen, offeringNameJa: offering.nameJa, offeringNameEn: offering.nameEn });

    // The job, run twice (a retry after a lost answer), and a staff refund of the same order: one refund at the processor.
    harness.emulator.setDeliveryMode({ paused: true });
    try {
      expect(await finishCoolingOffCancel(order.id, provider)).toBe("refundRequested");
      expect(await finishCoolingOffCancel(order.id, provider)).toBe("refundRequested");
      expect(await requestRefund(order.id, (await makeUser("staff")).id, provider)).toMatchObject({ ok: true });
    } finally {
      harness.emulator.setDeliveryMode({ paused: false });
    }
    expect(new Set(calls.map((call) => call.key))).toEqual(new Set([`refund:${order.id}`]));
    expect(refundsAtProcessor(order.stripePaymentIntentId!)).toBe(1);
    await harness.emulator.flush();
    await harness.emulator.settled();

    expect(await orderById(order.id)).toMatchObject({ status: "refunded" });
    expect((await ledgerOf(order.id)).map((entry) => [entry.kind, entry.yen])).toEqual([
      ["yen_received", 3000],
      ["yen_refunded", -3000],
    ]);
    expect((await soldUnits(offering.id)).sold).toBe(before.sold - 3);
    expect(await jobsFor("orders.clawback", order.id)).toBe(1);
    // Once refunded, the job has nothing left to do and asks for nothing.
    expect(await finishCoolingOffCancel(order.id, provider)).toBe("done");
    expect(calls).toHaveLength(3);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("retries a refund the processor could not take, and the sweep finishes a cancellation whose job was lost", async () => {
    const buyer = await approvedInvestor();
    const order = await cardOrder(buyer, 1, { paid: true });
    const real = paymentProvider();
    let down = true;
    const flaky: PaymentProvider = {
      ...real,
      refund: async (paymentIntentId, key) => {
        if (down) throw new Error("connection reset");
        return real.refund(paymentIntentId, key);
      },
    };
    expect(await cancelWithinCoolingOff(buyer.id, order.id, flaky)).toEqual({ ok: true, outcome: "refunding" });
    await expect(finishCoolingOffCancel(order.id, flaky)).rejects.toThrow("connection reset");
    expect((await orderById(order.id)).status).toBe("paid");

    // The job's retries ran out: the sweep finds it once it is older than its grace time.
    expect(await sweepCoolingOff(new Date(Date.now() - 60_000), flaky)).toBe(0);
    down = false;
    expect(await sweepCoolingOff(new Date(Date.now() + 60_000), flaky)).toBeGreaterThanOrEqual(1);
    await harness.emulator.settled();
    expect((await orderById(order.id)).status).toBe("refunded");
    expect(refundsAtProcessor(order.stripePaymentIntentId!)).toBe(1);
  });
});

describe("the job, as the worker runs it", () => {
  it("refunds a cancelled order from its queued job", async () => {
    const { PgBoss } = await import("pg-boss");
    const { env } = await import("@/lib/env");
    const { registerCoolingOffJobs } = await import("@/lib/orders/cooling-off/jobs");
    const boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss", schedule: false });
    await boss.start();
    try {
      await registerCoolingOffJobs(boss);
      const buyer = await approvedInvestor();
      const order = await cardOrder(buyer, 1, { paid: true });
      expect(await cancelWithinCoolingOff(buyer.id, order.id)).toEqual({ ok: true, outcome: "refunding" });
      await expect.poll(async () => (await orderById(order.id)).status, { timeout: 15_000 }).toBe("refunded");
      expect(refundsAtProcessor(order.stripePaymentIntentId!)).toBe(1);
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});

describe("an unpaid order", () => {
  it("card: its Checkout Session is expired and its units go back at once; nothing is refunded", async () => {
    const buyer = await approvedInvestor();
    const order = await cardOrder(buyer, 4, { paid: false });
    const before = await soldUnits(offering.id);
    const { provider, calls } = countingProvider();
    expect(await cancelWithinCoolingOff(buyer.id, order.id, provider)).toEqual({ ok: true, outcome: "released" });
    // The session's expiry event comes after and changes nothing: cancelled, not expired, and no "expired" notice.
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "cancelled" });
    expect(await getDb().select().from(notifications).where(eq(notifications.orderId, order.id))).toEqual([]);
    expect((await soldUnits(offering.id)).reserved).toBe(before.reserved - 4);
    const stripe = new (await import("stripe")).default("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });
    expect((await stripe.checkout.sessions.retrieve(order.stripeCheckoutSessionId!)).status).toBe("expired");
    // The job queued with it finds nothing left to do.
    expect(await finishCoolingOffCancel(order.id, provider)).toBe("done");
    expect(calls).toHaveLength(0);
    const [step] = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.toStatus, "cancelled")));
    expect(step?.detail).toMatchObject({ coolingOff: true });
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("card paid at the processor before its event came: not released; refunded once the payment lands", async () => {
    const buyer = await approvedInvestor();
    const order = await cardOrder(buyer, 2, { paid: false });
    harness.emulator.setDeliveryMode({ paused: true });
    try {
      harness.emulator.completeSession(order.stripeCheckoutSessionId!, { outcome: "paid" });
      expect(await cancelWithinCoolingOff(buyer.id, order.id)).toEqual({ ok: true, outcome: "refunding" });
      expect((await orderById(order.id)).status).toBe("awaiting_payment");
      expect(await finishCoolingOffCancel(order.id)).toBe("waitingForPayment");
    } finally {
      harness.emulator.setDeliveryMode({ paused: false });
    }
    await harness.emulator.flush();
    await harness.emulator.settled();
    await expect.poll(async () => (await orderById(order.id)).status, { timeout: 5000 }).toBe("paid");
    expect(await finishCoolingOffCancel(order.id)).toBe("refundRequested");
    await harness.emulator.settled();
    expect((await orderById(order.id)).status).toBe("refunded");
    const notices = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.orderId, order.id), eq(notifications.kind, "order_cancelled_cooling_off")));
    expect(notices).toHaveLength(1);
    expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });
  });

  it("konbini: released in the same transaction, and its payment's cancellation queued", async () => {
    const buyer = await approvedInvestor();
    const before = await soldUnits(offering.id);
    const order = await getDb().transaction(async (tx) => {
      await tx
        .update(offerings)
        .set({ reservedUnits: sql`${offerings.reservedUnits} + 2` })
        .where(eq(offerings.id, offering.id));
      const [row] = await tx
        .insert(orders)
        .values({
          userId: buyer.id,
          offeringId: offering.id,
          units: 2,
          amountYen: 2 * offering.priceYen,
          status: "awaiting_payment",
          paymentMethod: "konbini",
          stripePaymentIntentId: `pi_konbini_${Date.now()}`,
          reservationExpiresAt: FAR,
          coolingOffEndsAt: FAR,
        })
        .returning();
      return row!;
    });
    expect(await cancelWithinCoolingOff(buyer.id, order.id)).toEqual({ ok: true, outcome: "released" });
    expect((await orderById(order.id)).status).toBe("cancelled");
    expect((await soldUnits(offering.id)).reserved).toBe(before.reserved);
    expect(await jobsFor("orders.cancel-deferred-payment", order.id)).toBe(1);
    expect(await jobsFor("orders.cooling-off-refund", order.id)).toBe(0);
  });
});
