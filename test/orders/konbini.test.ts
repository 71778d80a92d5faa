import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, orderEvents, paymentExceptions } from "@/db/schema";
import type { PaymentProvider } from "@/lib/payments/provider";
import { makeUser } from "../fixtures";
import { auditsOf, enableDeferredMethods, journeyOf, noticesOf, placeDeferred, stripeClient, unitsOf } from "./deferred-support";
import { approvedInvestor, assertInvariants, configurePayments, countWhere, demoOffering, jobsFor, orderById, startPaymentsHarness } from "./harness";

const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { expireStaleReservations } = await import("@/lib/orders/expiry");
const { cancelReleasedPayment, sweepUncancelledPayments } = await import("@/lib/orders/deferred/cancel");
const { sendPaymentReminders } = await import("@/lib/orders/deferred/reminder");
const { paymentProvider } = await import("@/lib/payments/stripe");
const { requestRefund } = await import("@/lib/orders/refund");
const { sendExceptionRefund } = await import("@/lib/orders/exceptions");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  await enableDeferredMethods(offering.id);
  disclosureId = (await currentDisclosure(offering.id))!.id;
});
afterAll(async () => harness?.stop());

const DAY = 24 * 60 * 60 * 1000;
const buyKonbini = async (buyer: Awaited<ReturnType<typeof approvedInvestor>>, units: number) =>
  placeDeferred(placeOrder, buyer, { offeringId: offering.id, disclosureId, units, paymentMethod: "konbini" });
const invariantsHold = async () => expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });

describe("a konbini order", () => {
  it("holds the units until the voucher ends, shows the voucher, and is paid at the store", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const placed = await placeOrder(buyer, { offeringId: offering.id, disclosureId, units: 3, paymentMethod: "konbini" });
    expect(placed).toMatchObject({ ok: true, paymentMethod: "konbini" });
    if (!placed.ok) return;
    expect(placed.nextUrl).toBe(`/orders/${placed.orderId}`);
    const order = await orderById(placed.orderId);
    expect(order).toMatchObject({ status: "awaiting_payment", amountYen: 3000, receivedYen: 0, paymentMethod: "konbini" });
    expect(order.stripePaymentIntentId).toMatch(/^pi_/);
    const instructions = order.paymentInstructions!;
    expect(instructions.method).toBe("konbini");
    if (instructions.method !== "konbini") return;
    expect(instructions.stores.map((store) => store.chain).sort()).toEqual(["familymart", "lawson", "ministop", "seicomart"]);
    expect(instructions.stores.every((store) => store.confirmationNumber || store.paymentCode)).toBe(true);
    // The voucher lasts KONBINI_DAYS (to 23:59:59 Tokyo time); the units a little longer, for its last event.
    const endsAt = new Date(instructions.expiresAt);
    expect(endsAt.getTime() - Date.now()).toBeGreaterThan(2 * DAY);
    expect(endsAt.getTime() - Date.now()).toBeLessThan(4 * DAY);
    expect(order.reservationExpiresAt.getTime() - endsAt.getTime()).toBe(15 * 60 * 1000);
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved + 3, sold: before.sold });

    const intent = await stripeClient(port).paymentIntents.retrieve(order.stripePaymentIntentId!);
    expect(intent).toMatchObject({ amount: 3000, currency: "jpy", status: "requires_action", metadata: { orderId: order.id, paymentMethod: "konbini" } });
    const [instructed] = await noticesOf(buyer.id, "payment_instructions");
    expect(instructed).toMatchObject({ orderId: order.id, emailStatus: "pending", detail: { amountYen: 3000, paymentMethod: "konbini", endsAt: instructions.expiresAt, orderId: order.id } });
    expect(await auditsOf(order.id, "order.payment_instructions_issued")).toHaveLength(1);

    harness.emulator.setDeliveryMode({ duplicate: 4 });
    try {
      harness.emulator.konbiniPay(order.stripePaymentIntentId!);
      await harness.emulator.settled();
    } finally {
      harness.emulator.setDeliveryMode({ duplicate: 1 });
    }
    const paid = await orderById(order.id);
    expect(paid).toMatchObject({ status: "paid", receivedYen: 3000 });
    // Delivered four times, applied once: one journey step, one ledger entry, one allocation job.
    expect(await countWhere(orderEvents, eq(orderEvents.orderId, order.id))).toBe(3);
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, order.id))).toBe(1);
    expect(await jobsFor("orders.allocate", order.id)).toBe(1);
    expect(await noticesOf(buyer.id, "payment_received")).toHaveLength(1);
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved, sold: before.sold + 3 });
    await invariantsHold();
  });

  it("is refused where the offering does not take konbini now, and reserves nothing", async () => {
    const buyer = await approvedInvestor();
    await enableDeferredMethods(offering.id, false);
    const before = await unitsOf(offering.id);
    try {
      expect(await placeOrder(buyer, { offeringId: offering.id, disclosureId, units: 1, paymentMethod: "konbini" })).toEqual({ ok: false, error: "methodUnavailable" });
      expect(await placeOrder(buyer, { offeringId: offering.id, disclosureId, units: 1, paymentMethod: "bank_transfer" })).toEqual({ ok: false, error: "methodUnavailable" });
    } finally {
      await enableDeferredMethods(offering.id);
    }
    // Less than a day before the sale closes, a pay-later method is not offered either.
    const late = new Date(offering.closesAt.getTime() - 60 * 60 * 1000);
    expect(await placeOrder(buyer, { offeringId: offering.id, disclosureId, units: 1, paymentMethod: "konbini" }, undefined, late)).toEqual({ ok: false, error: "methodUnavailable" });
    expect(await unitsOf(offering.id)).toEqual(before);
  });

  it("gives the units back at once when the processor cannot make the voucher", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const failing = { ...paymentProvider(), createDeferredPayment: async () => Promise.reject(new Error("processor down")) } as PaymentProvider;
    expect(await placeOrder(buyer, { offeringId: offering.id, disclosureId, units: 2, paymentMethod: "konbini" }, failing)).toEqual({ ok: false, error: "checkoutFailed" });
    expect(await unitsOf(offering.id)).toEqual(before);
    await invariantsHold();
  });
});

describe("a konbini voucher not paid", () => {
  it("expires at the processor: the order is released, the units go back, the investor is told", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyKonbini(buyer, 2);
    harness.emulator.konbiniExpire(order.stripePaymentIntentId!);
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "expired" });
    expect(await unitsOf(offering.id)).toEqual(before);
    expect(await noticesOf(buyer.id, "order_expired")).toHaveLength(1);
    // Its payment is cancelled at the processor by a job, once.
    expect(await jobsFor("orders.cancel-deferred-payment", order.id)).toBe(1);
    expect(await cancelReleasedPayment(order.id)).toBe("canceled");
    expect(await cancelReleasedPayment(order.id)).toBe("skipped");
    await harness.emulator.settled();
    expect((await stripeClient(port).paymentIntents.retrieve(order.stripePaymentIntentId!)).status).toBe("canceled");
    expect((await journeyOf(order.id)).at(-1)).toMatchObject({ toStatus: "expired", detail: { paymentCancelled: "canceled" } });
    expect(await auditsOf(order.id, "order.payment_cancelled")).toHaveLength(1);
    await invariantsHold();
  });

  it("expires on the portal's clock too, and a voucher paid just after is a late payment that takes the units again", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyKonbini(buyer, 2);
    const expired = await buyKonbini(buyer, 1);
    expect(await expireStaleReservations(new Date(Date.now() + 5 * DAY))).toBeGreaterThanOrEqual(2);
    expect(await orderById(order.id)).toMatchObject({ status: "expired" });
    expect(await jobsFor("orders.cancel-deferred-payment", order.id)).toBe(1);
    expect(await unitsOf(offering.id)).toEqual(before);

    // Paid at the store before the cancel job ran: the units are taken again.
    harness.emulator.konbiniPay(order.stripePaymentIntentId!);
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 2000 });
    expect(await cancelReleasedPayment(order.id)).toBe("skipped");
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved, sold: before.sold + 2 });

    // The other one's payment is cancelled by the sweep when its job was lost.
    expect(await sweepUncancelledPayments(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    await harness.emulator.settled();
    expect((await stripeClient(port).paymentIntents.retrieve(expired.stripePaymentIntentId!)).status).toBe("canceled");
    expect(await sweepUncancelledPayments(new Date(Date.now() + 60_000))).toBe(0);
    await invariantsHold();
  });

  it("cancelled at the processor: the order is cancelled and its units go back", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyKonbini(buyer, 4);
    expect(await paymentProvider().cancelDeferredPayment(order.stripePaymentIntentId!)).toBe("canceled");
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "cancelled" });
    expect(await unitsOf(offering.id)).toEqual(before);
    // The cancellation is known: no job or sweep asks again.
    expect(await cancelReleasedPayment(order.id)).toBe("skipped");
    expect(await paymentProvider().cancelDeferredPayment(order.stripePaymentIntentId!)).toBe("already_canceled");
    await invariantsHold();
  });
});

describe("money back", () => {
  it("a paid konbini order is refunded like a card one: refunded, yen booked back, units off the sale", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyKonbini(buyer, 2);
    harness.emulator.konbiniPay(order.stripePaymentIntentId!);
    await harness.emulator.settled();
    expect(await requestRefund(order.id, (await makeUser("staff")).id)).toMatchObject({ ok: true });
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "refunded" });
    expect(await unitsOf(offering.id)).toEqual(before);
    expect(await countWhere(ledgerEntries, eq(ledgerEntries.orderId, order.id))).toBe(2);
    await invariantsHold();
  });

  it("a voucher paid after the order expired and the sale sold out is held and refunded", async () => {
    const buyer = await approvedInvestor();
    const order = await buyKonbini(buyer, 2);
    await expireStaleReservations(new Date(Date.now() + 5 * DAY));
    expect(await orderById(order.id)).toMatchObject({ status: "expired" });
    const current = await unitsOf(offering.id);
    await getDb()
      .update(offerings)
      .set({ capUnits: current.reserved + current.sold })
      .where(eq(offerings.id, offering.id));
    try {
      harness.emulator.konbiniPay(order.stripePaymentIntentId!);
      await harness.emulator.settled();
      expect(await orderById(order.id)).toMatchObject({ status: "expired" });
      const [held] = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.orderId, order.id));
      expect(held).toMatchObject({ kind: "late_payment_sold_out", status: "refund_queued", amountYen: 2000, paymentIntentId: order.stripePaymentIntentId });
      expect(await sendExceptionRefund(held!.id)).toBe("refunded");
      await harness.emulator.settled();
      expect(await orderById(order.id)).toMatchObject({ status: "refunded" });
      expect(await unitsOf(offering.id)).toEqual(current);
      await invariantsHold();
    } finally {
      await getDb().update(offerings).set({ capUnits: offering.capUnits }).where(eq(offerings.id, offering.id));
    }
  });
});

describe("the payment reminder", () => {
  it("is sent once, the day before the voucher ends", async () => {
    const buyer = await approvedInvestor();
    const order = await buyKonbini(buyer, 1);
    expect(await sendPaymentReminders(new Date())).toBe(0);
    const dayBefore = new Date(order.reservationExpiresAt.getTime() - 20 * 60 * 60 * 1000);
    expect(await sendPaymentReminders(dayBefore)).toBeGreaterThanOrEqual(1);
    expect(await sendPaymentReminders(dayBefore)).toBe(0);
    expect(await sendPaymentReminders(new Date(dayBefore.getTime() + 60 * 60 * 1000))).toBe(0);
    const reminders = await noticesOf(buyer.id, "payment_due_soon");
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ orderId: order.id, detail: { paymentMethod: "konbini", amountYen: 1000 } });
    expect((await orderById(order.id)).paymentReminderSentAt).toEqual(dayBefore);
  });
});
