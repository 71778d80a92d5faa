import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { paymentCustomers, stripeEvents, villages } from "@/db/schema";
import type { StaffScope } from "@/lib/issuers/scope";
import { makeUser } from "../fixtures";
import { auditsOf, casesOf, enableDeferredMethods, type Investor, noticesOf, placeDeferred, unitsOf } from "./deferred-support";
import { approvedInvestor, assertInvariants, configurePayments, demoOffering, orderById, startPaymentsHarness } from "./harness";

const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { expireStaleReservations } = await import("@/lib/orders/expiry");
const { cancelReleasedPayment } = await import("@/lib/orders/deferred/cancel");
const { refundException, requestTopUp, sendExceptionRefund, listPaymentExceptions } = await import("@/lib/orders/exceptions");
const { paymentProvider } = await import("@/lib/payments/stripe");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;
let scope: StaffScope;
let otherScope: StaffScope;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  await enableDeferredMethods(offering.id);
  disclosureId = (await currentDisclosure(offering.id))!.id;
  const staff = await makeUser("staff");
  const [other] = await getDb()
    .insert(villages)
    .values({ slug: `other-${Date.now()}`, nameJa: "別の村", nameEn: "Another village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "別の村", descriptionEn: "Another village" })
    .returning();
  scope = { userId: staff.id, all: false, issuerIds: [offering.villageId] };
  otherScope = { userId: (await makeUser("staff")).id, all: false, issuerIds: [other!.id] };
});
afterAll(async () => harness?.stop());

const DAY = 24 * 60 * 60 * 1000;
const buyByTransfer = (buyer: Investor, units: number) => placeDeferred(placeOrder, buyer, { offeringId: offering.id, disclosureId, units, paymentMethod: "bank_transfer" });
const customerOf = async (userId: string) => (await getDb().select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId)))[0]!.customerId;
const transfer = async (customerId: string, yen: number) => {
  harness.emulator.fundCashBalance(customerId, yen);
  await harness.emulator.settled();
};
const balanceOf = (customerId: string) => paymentProvider().cashBalanceYen(customerId);
const invariantsHold = async () => expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });

describe("a bank-transfer order", () => {
  it("shows the buyer's own account, and is paid by a transfer of the exact amount", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyByTransfer(buyer, 3);
    expect(order).toMatchObject({ status: "awaiting_payment", paymentMethod: "bank_transfer", amountYen: 3000 });
    const instructions = order.paymentInstructions!;
    if (instructions.method !== "bank_transfer") throw new Error("no bank instructions");
    expect(instructions).toMatchObject({ amountRemainingYen: 3000 });
    expect(instructions.accountNumber).toMatch(/^\d{7}$/);
    expect(instructions.bankCode).toMatch(/^\d{4}$/);
    // The portal's deadline: BANK_TRANSFER_DAYS from now (the sale runs longer).
    expect(Math.abs(new Date(instructions.expiresAt).getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved + 3, sold: before.sold });

    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 3000);
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 3000 });
    expect(await casesOf({ orderId: order.id })).toEqual([]);
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved, sold: before.sold + 3 });

    // A second order of the same buyer pays to the same account, through the same customer.
    const second = await buyByTransfer(buyer, 1);
    const again = second.paymentInstructions!;
    if (again.method !== "bank_transfer") throw new Error("no bank instructions");
    expect(again.accountNumber).toBe(instructions.accountNumber);
    expect(await customerOf(buyer.id)).toBe(customerId);
    await invariantsHold();
  });

  it("short: held for staff while the order waits; asked for the rest (scoped to the issuer's staff), then paid", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyByTransfer(buyer, 5);
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 3000);
    const short = await orderById(order.id);
    expect(short).toMatchObject({ status: "awaiting_payment", receivedYen: 3000, paymentInstructions: { amountRemainingYen: 2000 } });
    const [held] = await casesOf({ orderId: order.id });
    expect(held).toMatchObject({ kind: "underpaid_transfer", status: "open", amountYen: 3000, stripeCustomerId: customerId, openCaseKey: `underpaid:${order.id}`, offeringId: offering.id });
    expect(await noticesOf(buyer.id, "payment_underpaid")).toMatchObject([{ detail: { receivedYen: 3000, remainingYen: 2000, orderId: order.id } }]);
    expect(await auditsOf(order.id, "payment.underpaid_transfer")).toHaveLength(1);
    // The staff list shows it with the order's amount, what arrived and the buyer.
    const listed = (await listPaymentExceptions(scope)).find((row) => row.exception.id === held!.id);
    expect(listed).toMatchObject({ orderAmountYen: 5000, orderReceivedYen: 3000, customerEmail: buyer.email, orderPaymentMethod: "bank_transfer" });

    // Another issuer's staff can neither ask for the rest nor refund.
    expect(await requestTopUp(held!.id, otherScope.userId, otherScope)).toBe(false);
    expect(await refundException(held!.id, otherScope.userId, otherScope)).toBe(false);
    const now = new Date();
    expect(await requestTopUp(held!.id, scope.userId, scope, now)).toBe(true);
    expect(await requestTopUp(held!.id, scope.userId, scope, now)).toBe(false);
    const extended = await orderById(order.id);
    expect(extended.reservationExpiresAt.getTime() - short.reservationExpiresAt.getTime()).toBe(3 * DAY);
    expect((await casesOf({ orderId: order.id }))[0]).toMatchObject({ status: "topup_requested", resolvedBy: scope.userId });
    expect(await noticesOf(buyer.id, "payment_topup_requested")).toMatchObject([{ detail: { remainingYen: 2000, endsAt: extended.paymentInstructions!.expiresAt } }]);
    expect(await auditsOf(order.id, "payment.topup_requested")).toHaveLength(1);

    await transfer(customerId, 2000);
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 5000 });
    expect((await casesOf({ orderId: order.id }))[0]).toMatchObject({ status: "dismissed", openCaseKey: null, resolutionNote: "system:paid_in_full", amountYen: 0, detail: { receivedYen: 3000 } });
    expect(await unitsOf(offering.id)).toEqual({ reserved: before.reserved, sold: before.sold + 5 });
    await invariantsHold();
  });

  it("short, then refunded by staff: the order is cancelled, units back, and what arrived goes back from the balance", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buyByTransfer(buyer, 4);
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 1500);
    const [held] = await casesOf({ orderId: order.id });
    expect(await refundException(held!.id, scope.userId, scope)).toBe(true);
    expect(await orderById(order.id)).toMatchObject({ status: "cancelled" });
    expect(await unitsOf(offering.id)).toEqual(before);
    expect(await sendExceptionRefund(held!.id)).toBe("refunded");
    await harness.emulator.settled();
    expect(await balanceOf(customerId)).toBe(0);
    const [done] = await casesOf({ orderId: order.id });
    expect(done).toMatchObject({ status: "refunded", openCaseKey: null, detail: { refundAmountYen: 1500 } });
    expect(done!.refundId).toMatch(/^re_/);
    expect(await sendExceptionRefund(held!.id)).toBe("skipped");
    // The money the cancellation put back in the balance is not held a second time.
    expect((await casesOf({ customerId })).filter((row) => row.kind === "unapplied_transfer")).toEqual([]);
    await invariantsHold();
  });

  it("too much: paid, and the excess held for staff; their refund empties the balance", async () => {
    const buyer = await approvedInvestor();
    const order = await buyByTransfer(buyer, 2);
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 3500);
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 2000 });
    const [excess] = await casesOf({ customerId });
    expect(excess).toMatchObject({ kind: "unapplied_transfer", status: "open", amountYen: 1500, orderId: order.id, offeringId: offering.id, openCaseKey: `unapplied:${customerId}` });
    expect(await balanceOf(customerId)).toBe(1500);
    expect(await refundException(excess!.id, otherScope.userId, otherScope)).toBe(false);
    expect(await refundException(excess!.id, scope.userId, scope)).toBe(true);
    expect(await sendExceptionRefund(excess!.id)).toBe("refunded");
    await harness.emulator.settled();
    expect(await balanceOf(customerId)).toBe(0);
    expect((await casesOf({ customerId }))[0]).toMatchObject({ status: "refunded", openCaseKey: null });
    // Redelivering the old funds_available event holds nothing again: the balance is read now.
    const event = harness.emulator.events().find((e) => e.type === "cash_balance.funds_available" && (e.data.object as { customer?: string }).customer === customerId)!;
    await getDb().delete(stripeEvents).where(eq(stripeEvents.id, event.id));
    await harness.emulator.redeliver(event.id);
    await harness.emulator.settled();
    expect(await casesOf({ customerId })).toHaveLength(1);
    await invariantsHold();
  });

  it("twice: the second transfer is held for staff, and a refund then finds nothing left sends nothing", async () => {
    const buyer = await approvedInvestor();
    const order = await buyByTransfer(buyer, 2);
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 2000);
    await transfer(customerId, 2000);
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 2000 });
    const [second] = await casesOf({ customerId });
    expect(second).toMatchObject({ kind: "unapplied_transfer", amountYen: 2000, status: "open" });
    // Refunded outside the portal meanwhile: the job sends only what the balance still holds.
    await paymentProvider().refundCashBalance(customerId, 2000, `outside-${customerId}`);
    await harness.emulator.settled();
    expect(await refundException(second!.id, scope.userId, scope)).toBe(true);
    expect(await sendExceptionRefund(second!.id)).toBe("refunded");
    expect((await casesOf({ customerId }))[0]).toMatchObject({ status: "refunded", refundId: null, detail: { refundAmountYen: 0, nothingToRefund: true } });
    await invariantsHold();
  });

  it("after the deadline: the order expired, its payment cancelled, and the transfer held for staff", async () => {
    const buyer = await approvedInvestor();
    // Earlier tests' orders still waiting end first, so the units below are this order's alone.
    await expireStaleReservations(new Date(Date.now() + 8 * DAY));
    const before = await unitsOf(offering.id);
    const order = await buyByTransfer(buyer, 3);
    const customerId = await customerOf(buyer.id);
    expect(await expireStaleReservations(new Date(Date.now() + 8 * DAY))).toBe(1);
    expect(await orderById(order.id)).toMatchObject({ status: "expired" });
    expect(await cancelReleasedPayment(order.id)).toBe("canceled");
    await harness.emulator.settled();
    await transfer(customerId, 3000);
    expect(await orderById(order.id)).toMatchObject({ status: "expired", receivedYen: 0 });
    expect(await casesOf({ customerId })).toMatchObject([{ kind: "unapplied_transfer", amountYen: 3000, orderId: order.id, status: "open" }]);
    expect(await unitsOf(offering.id)).toEqual(before);
    await invariantsHold();
  });
});

describe("events out of order and redelivered", () => {
  it("the rest arriving before the first part's event: paid, nothing held, nothing told twice", async () => {
    const buyer = await approvedInvestor();
    const order = await buyByTransfer(buyer, 3);
    const customerId = await customerOf(buyer.id);
    harness.emulator.setDeliveryMode({ paused: true, reorder: true });
    try {
      harness.emulator.fundCashBalance(customerId, 1000);
      harness.emulator.fundCashBalance(customerId, 2000);
      await harness.emulator.flush();
    } finally {
      harness.emulator.setDeliveryMode({ paused: false, reorder: false });
    }
    await harness.emulator.settled();
    expect(await orderById(order.id)).toMatchObject({ status: "paid", receivedYen: 3000 });
    expect((await casesOf({ orderId: order.id })).filter((row) => row.status === "open" || row.status === "topup_requested")).toEqual([]);
    expect(await noticesOf(buyer.id, "payment_underpaid")).toEqual([]);
    await invariantsHold();
  });

  it("a partial transfer's event delivered again changes nothing", async () => {
    const buyer = await approvedInvestor();
    const order = await buyByTransfer(buyer, 3);
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 1000);
    const event = harness.emulator.events().find((e) => e.type === "payment_intent.partially_funded" && (e.data.object as { id: string }).id === order.stripePaymentIntentId)!;
    await harness.emulator.redeliver(event.id);
    harness.emulator.setDeliveryMode({ duplicate: 3 });
    try {
      await transfer(customerId, 1000);
    } finally {
      harness.emulator.setDeliveryMode({ duplicate: 1 });
    }
    expect(await orderById(order.id)).toMatchObject({ status: "awaiting_payment", receivedYen: 2000, paymentInstructions: { amountRemainingYen: 1000 } });
    const cases = await casesOf({ orderId: order.id });
    expect(cases).toMatchObject([{ kind: "underpaid_transfer", amountYen: 2000, status: "open" }]);
    expect((await noticesOf(buyer.id, "payment_underpaid")).map((notice) => notice.detail.receivedYen)).toEqual([1000, 2000]);
    expect(await auditsOf(order.id, "payment.underpaid_transfer")).toHaveLength(1);
  });
});
