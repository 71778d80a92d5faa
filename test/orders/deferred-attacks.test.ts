import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { paymentCustomers } from "@/db/schema";
import type { StaffScope } from "@/lib/issuers/scope";
import { makeUser } from "../fixtures";
import { casesOf, enableDeferredMethods, type Investor, noticesOf, placeDeferred, stripeClient, unitsOf } from "./deferred-support";
import { approvedInvestor, assertInvariants, configurePayments, demoOffering, orderById, startPaymentsHarness } from "./harness";

// Issue 15 under attack (konbini, bank transfer, cooling-off): what an operator's slip, a stray
// payment or an unlucky moment could do to an order, and what the portal does instead.

const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { cancelWithinCoolingOff } = await import("@/lib/orders/cooling-off");
const { cancelReleasedPayment } = await import("@/lib/orders/deferred/cancel");
const { refundException, requestTopUp, sendExceptionRefund } = await import("@/lib/orders/exceptions");
const { expireStaleReservations } = await import("@/lib/orders/expiry");
const { applyPaymentEvent } = await import("@/lib/orders/webhook");
const { deferredEvent } = await import("@/lib/payments/stripe-deferred");
const { paymentProvider } = await import("@/lib/payments/stripe");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let offering: Awaited<ReturnType<typeof demoOffering>>;
let disclosureId: string;
let scope: StaffScope;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  offering = await demoOffering();
  await enableDeferredMethods(offering.id);
  disclosureId = (await currentDisclosure(offering.id))!.id;
  const staff = await makeUser("staff");
  scope = { userId: staff.id, all: false, issuerIds: [offering.villageId] };
});
afterAll(async () => harness?.stop());

const buy = (buyer: Investor, units: number, paymentMethod: "konbini" | "bank_transfer") => placeDeferred(placeOrder, buyer, { offeringId: offering.id, disclosureId, units, paymentMethod });
const customerOf = async (userId: string) => (await getDb().select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId)))[0]!.customerId;
const transfer = async (customerId: string, yen: number) => {
  harness.emulator.fundCashBalance(customerId, yen);
  await harness.emulator.settled();
};
const refundJobsOf = async (exceptionId: string) =>
  Number((await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = 'payments.refund' and data->>'exceptionId' = ${exceptionId}`))[0]!.n);
const invariantsHold = async () => expect(await assertInvariants(offering.id)).toEqual({ withinCap: true, soldMatchesPaid: true, reservedMatchesOpen: true, yenMatches: true });

/** A konbini payment made at the processor outside the portal (an operator's hand, another system) naming `orderId`, then paid at the store. */
async function strayKonbiniPayment(orderId: string, amountYen: number) {
  const intent = await stripeClient(port).paymentIntents.create({
    amount: amountYen,
    currency: "jpy",
    confirm: true,
    allowed_payment_method_types: ["konbini"],
    payment_method_data: { type: "konbini", billing_details: { email: "someone@example.jp", name: "Someone" } },
    metadata: { orderId, offeringId: offering.id, paymentMethod: "konbini" },
  } as Parameters<ReturnType<typeof stripeClient>["paymentIntents"]["create"]>[0]);
  harness.emulator.konbiniPay(intent.id);
  await harness.emulator.settled();
  return intent.id;
}

describe("a payment that is not the order's", () => {
  it("naming a konbini order that has its own voucher: held for staff, and the buyer's order keeps waiting for its own", async () => {
    const buyer = await approvedInvestor();
    const order = await buy(buyer, 2, "konbini");
    const stray = await strayKonbiniPayment(order.id, order.amountYen);
    expect(await orderById(order.id)).toMatchObject({ status: "awaiting_payment", stripePaymentIntentId: order.stripePaymentIntentId });
    expect(await casesOf({ orderId: order.id })).toMatchObject([{ kind: "duplicate_payment", paymentIntentId: stray, amountYen: order.amountYen, status: "open" }]);
    // The buyer's own voucher still pays the order.
    harness.emulator.konbiniPay(order.stripePaymentIntentId!);
    await harness.emulator.settled();
    expect((await orderById(order.id)).status).toBe("paid");
    await invariantsHold();
  });

  it("naming a card order on its way through Checkout: held for staff, the card order is not cancelled", async () => {
    const buyer = await approvedInvestor();
    const placed = await placeOrder(buyer, { offeringId: offering.id, units: 1, disclosureId, paymentMethod: "card" });
    if (!placed.ok) throw new Error(`order refused: ${placed.error}`);
    const before = await unitsOf(offering.id);
    const stray = await strayKonbiniPayment(placed.orderId, 1000);
    expect((await orderById(placed.orderId)).status).toBe("awaiting_payment");
    expect(await unitsOf(offering.id)).toEqual(before);
    expect(await casesOf({ orderId: placed.orderId })).toMatchObject([{ kind: "duplicate_payment", paymentIntentId: stray, status: "open" }]);
    harness.emulator.completeSession((await orderById(placed.orderId)).stripeCheckoutSessionId!, { outcome: "paid" });
    await harness.emulator.settled();
    expect((await orderById(placed.orderId)).status).toBe("paid");
    await invariantsHold();
  });
});

describe("cooling-off of a bank transfer that arrived in part", () => {
  it("refunds what arrived without waiting for staff, once, and holds nothing twice", async () => {
    const buyer = await approvedInvestor();
    const before = await unitsOf(offering.id);
    const order = await buy(buyer, 4, "bank_transfer");
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 1500);
    expect(await orderById(order.id)).toMatchObject({ status: "awaiting_payment", receivedYen: 1500 });

    expect(await cancelWithinCoolingOff(buyer.id, order.id)).toEqual({ ok: true, outcome: "refunding" });
    expect(await orderById(order.id)).toMatchObject({ status: "cancelled" });
    expect(await unitsOf(offering.id)).toEqual(before);
    const [held] = await casesOf({ orderId: order.id });
    expect(held).toMatchObject({ kind: "underpaid_transfer", status: "refund_queued", openCaseKey: null });
    expect(await refundJobsOf(held!.id)).toBe(1);

    // The payment's cancellation job and the refund job, in either order, send 1,500 back once.
    await cancelReleasedPayment(order.id);
    await harness.emulator.settled();
    expect(await sendExceptionRefund(held!.id)).toBe("refunded");
    expect(await sendExceptionRefund(held!.id)).toBe("skipped");
    await harness.emulator.settled();
    expect(await paymentProvider().cashBalanceYen(customerId)).toBe(0);
    expect((await casesOf({ orderId: order.id }))[0]).toMatchObject({ status: "refunded", detail: { refundAmountYen: 1500 } });
    expect((await casesOf({ customerId })).filter((row) => row.kind === "unapplied_transfer")).toEqual([]);
    await invariantsHold();
  });
});

describe("a short transfer whose order ends unpaid", () => {
  it("keeps what arrived held for staff once the payment is cancelled and the money is back in the cash balance", async () => {
    const buyer = await approvedInvestor();
    const order = await buy(buyer, 4, "bank_transfer");
    const customerId = await customerOf(buyer.id);
    await transfer(customerId, 1500);
    // The deadline passes: the order expires and its payment is cancelled at the processor.
    expect(await expireStaleReservations(new Date(order.reservationExpiresAt.getTime() + 60_000))).toBeGreaterThanOrEqual(1);
    expect((await orderById(order.id)).status).toBe("expired");
    await harness.emulator.settled();
    // Stripe announces only new funds: money a cancelled payment gives back may come with no funds event.
    harness.emulator.setDeliveryMode({ paused: true });
    await cancelReleasedPayment(order.id);
    expect(await paymentProvider().cashBalanceYen(customerId)).toBe(1500);
    const cancelled = harness.emulator.events().find((event) => event.type === "payment_intent.canceled" && (event.data.object as { id: string }).id === order.stripePaymentIntentId);
    expect(await applyPaymentEvent(deferredEvent(cancelled as Parameters<typeof deferredEvent>[0]))).toBe("exception");
    // The money is not left in the balance unseen: a case holds all of it, and only one does.
    const heldNow = (await casesOf({ customerId })).filter((row) => row.openCaseKey !== null);
    expect(heldNow).toMatchObject([{ kind: "unapplied_transfer", amountYen: 1500, status: "open" }]);
    // The held events (the cancellation again, and a funds event if the processor sends one) change nothing.
    harness.emulator.setDeliveryMode({ paused: false });
    await harness.emulator.flush();
    await harness.emulator.settled();
    const open = (await casesOf({ customerId })).filter((row) => row.openCaseKey !== null);
    expect(open).toMatchObject([{ kind: "unapplied_transfer", amountYen: 1500, status: "open" }]);
    expect((await casesOf({ orderId: order.id })).filter((row) => row.kind === "underpaid_transfer")).toMatchObject([{ status: "dismissed", amountYen: 0 }]);
    // Staff refund it: 1,500 goes back, once.
    expect(await refundException(open[0]!.id, scope.userId, scope)).toBe(true);
    expect(await sendExceptionRefund(open[0]!.id)).toBe("refunded");
    await harness.emulator.settled();
    expect(await paymentProvider().cashBalanceYen(customerId)).toBe(0);
    await invariantsHold();
  });
});

describe("asking for the rest of a short transfer", () => {
  it("is refused once the sale has closed: the buyer is never given a deadline already past", async () => {
    const buyer = await approvedInvestor();
    const order = await buy(buyer, 3, "bank_transfer");
    await transfer(await customerOf(buyer.id), 1000);
    const [held] = await casesOf({ orderId: order.id });
    const afterClose = new Date(offering.closesAt.getTime() + 60 * 60 * 1000);
    expect(await requestTopUp(held!.id, scope.userId, scope, afterClose)).toBe(false);
    expect((await casesOf({ orderId: order.id }))[0]).toMatchObject({ status: "open" });
    expect((await orderById(order.id)).paymentInstructions).toEqual(order.paymentInstructions && { ...order.paymentInstructions, amountRemainingYen: 2000 });
    expect(await noticesOf(buyer.id, "payment_topup_requested")).toEqual([]);
    // Before the close it is still asked, with a deadline ahead.
    expect(await requestTopUp(held!.id, scope.userId, scope)).toBe(true);
    const [notice] = await noticesOf(buyer.id, "payment_topup_requested");
    expect(new Date(notice!.detail.endsAt!).getTime()).toBeGreaterThan(Date.now());
  });
});
