import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { approvedInvestor, configurePayments, orderById, startPaymentsHarness } from "../orders/harness";
import { offeringById, twoIssuerWorld } from "./attack-world";
import { getDb } from "@/db/client";
import { auditLog, offerings, orders, paymentExceptions, type NewPaymentException, type PaymentInstructions } from "@/db/schema";
import { translator } from "@/lib/i18n/catalog";
import { makeUser } from "../fixtures";

// Konbini and bank transfer through the server actions: the buyer gets only the methods the
// offering takes now, only the offering's issuer's staff switch them, and only the staff of the
// order's issuer decide what happens to a short or unapplied transfer.

const port = await configurePayments();
const { buyAction } = await import("@/app/(public)/offerings/[slug]/actions");
const { setPaymentMethodsAction } = await import("@/app/(staff)/staff/offerings/[id]/payment-method-actions");
const { refundExceptionAction, requestTopUpAction } = await import("@/app/(staff)/staff/payments/actions");
const { currentDisclosure } = await import("@/lib/orders/reserve");

const t = translator("ja");
const ACCOUNT: Extract<PaymentInstructions, { method: "bank_transfer" }> = {
  method: "bank_transfer",
  expiresAt: "",
  instructionsUrl: null,
  bankName: "テスト銀行",
  bankCode: "0001",
  branchName: "ホンテン",
  branchCode: "001",
  accountType: "futsu",
  accountNumber: "1234567",
  accountHolderName: "ビレツジポ－タル",
  amountRemainingYen: 2_500,
  reference: null,
};
const refusal = (key: Parameters<typeof t>[0]) => ({ status: "error", message: t(key) });

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let world: Awaited<ReturnType<typeof twoIssuerWorld>>;
let disclosureId: string;

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  world = await twoIssuerWorld();
  disclosureId = (await currentDisclosure(world.offeringA.id))!.id;
});
afterAll(async () => harness?.stop());

const setMethods = (values: Partial<typeof offerings.$inferInsert>) => getDb().update(offerings).set(values).where(eq(offerings.id, world.offeringA.id));
const buy = (paymentMethod: string, units = 2) => run(buyAction, form({ offeringId: world.offeringA.id, units: String(units), disclosureId, confirmDisclosure: "on", paymentMethod }));
const ordersOf = (userId: string) => getDb().select().from(orders).where(eq(orders.userId, userId));

describe("buying with a pay-later method", () => {
  it("is refused, reserving nothing, when the offering does not take that method now", async () => {
    const buyer = await approvedInvestor();
    as.user = buyer;
    as.locale = "ja";
    const before = (await offeringById(world.offeringA.id)).reservedUnits;
    await setMethods({ konbiniEnabled: false, bankTransferEnabled: true });
    expect(await buy("konbini")).toEqual(refusal("deferredPayments.buy.unavailable"));
    await setMethods({ konbiniEnabled: true, bankTransferEnabled: false });
    expect(await buy("bank_transfer")).toEqual(refusal("deferredPayments.buy.unavailable"));
    // Both on, but the sale closes within a day: a voucher could outlive it.
    const closesAt = world.offeringA.closesAt;
    await setMethods({ bankTransferEnabled: true, closesAt: new Date(Date.now() + 6 * 3600_000) });
    expect(await buy("konbini")).toEqual(refusal("deferredPayments.buy.unavailable"));
    await setMethods({ closesAt });
    expect(await ordersOf(buyer.id)).toEqual([]);
    expect((await offeringById(world.offeringA.id)).reservedUnits).toBe(before);
    // A method the portal does not know is refused by the form's schema.
    expect(await buy("cheque")).toMatchObject({ status: "invalid" });
  });

  it("with konbini taken, reserves the units and sends the buyer to the order's page with the voucher", async () => {
    const buyer = await approvedInvestor();
    as.user = buyer;
    await setMethods({ konbiniEnabled: true, bankTransferEnabled: true });
    const result = await buy("konbini");
    const [placed] = await ordersOf(buyer.id);
    expect(result).toEqual({ redirect: `/orders/${placed!.id}` });
    const order = await orderById(placed!.id);
    expect(order).toMatchObject({ paymentMethod: "konbini", status: "awaiting_payment", stripeCheckoutSessionId: null, amountYen: 2 * world.offeringA.priceYen });
    expect(order.paymentInstructions?.method).toBe("konbini");
    const voucher = order.paymentInstructions as Extract<typeof order.paymentInstructions, { method: "konbini" }>;
    expect(voucher.stores.map((store) => store.chain)).toContain("familymart");
    expect(voucher.stores.every((store) => Boolean(store.paymentCode))).toBe(true);
  });

  it("with bank transfer taken, gives the buyer an account and the whole amount to transfer", async () => {
    const buyer = await approvedInvestor();
    as.user = buyer;
    const result = await buy("bank_transfer", 3);
    const [placed] = await ordersOf(buyer.id);
    expect(result).toEqual({ redirect: `/orders/${placed!.id}` });
    const order = await orderById(placed!.id);
    expect(order).toMatchObject({ paymentMethod: "bank_transfer", status: "awaiting_payment", receivedYen: 0 });
    const account = order.paymentInstructions as Extract<typeof order.paymentInstructions, { method: "bank_transfer" }>;
    expect(account.method).toBe("bank_transfer");
    expect(account.accountNumber).toMatch(/^\d+$/);
    expect(account.amountRemainingYen).toBe(order.amountYen);
  });
});

describe("the staff payment-methods card", () => {
  const save = (offeringId: string, choice: { konbini?: boolean; bankTransfer?: boolean }) =>
    run(setPaymentMethodsAction, form({ offeringId, ...(choice.konbini ? { konbini: "on" } : {}), ...(choice.bankTransfer ? { bankTransfer: "on" } : {}) }));
  const changesBy = async (actorId: string, offeringId: string) =>
    getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, actorId), eq(auditLog.action, "offering.payment_methods_changed"), eq(auditLog.targetId, offeringId)));

  it("lets the issuer's staff switch the methods, audited, without touching the approved terms", async () => {
    await setMethods({ konbiniEnabled: true, bankTransferEnabled: true });
    const before = await offeringById(world.offeringA.id);
    as.user = world.staffA;
    expect(await save(world.offeringA.id, { konbini: true })).toEqual({ status: "ok", message: t("deferredPayments.staff.saved") });
    const after = await offeringById(world.offeringA.id);
    expect(after).toMatchObject({ konbiniEnabled: true, bankTransferEnabled: false, termsRevision: before.termsRevision, approvedRevision: before.approvedRevision });
    const [entry] = await changesBy(world.staffA.id, world.offeringA.id);
    expect(entry?.detail).toMatchObject({ konbini: true, bankTransfer: false, before: { konbini: true, bankTransfer: true } });
    // Saving the same choice again changes and records nothing.
    expect(await save(world.offeringA.id, { konbini: true })).toMatchObject({ status: "ok" });
    expect(await changesBy(world.staffA.id, world.offeringA.id)).toHaveLength(1);
    as.user = world.admin;
    expect(await save(world.offeringA.id, { konbini: true, bankTransfer: true })).toMatchObject({ status: "ok" });
    expect(await offeringById(world.offeringA.id)).toMatchObject({ konbiniEnabled: true, bankTransferEnabled: true });
  });

  it("refuses another issuer's staff and an investor, changing nothing", async () => {
    await setMethods({ konbiniEnabled: true, bankTransferEnabled: true });
    as.user = world.staffB;
    expect(await save(world.offeringA.id, {})).toEqual(refusal("deferredPayments.staff.notFound"));
    as.user = await makeUser();
    expect(await save(world.offeringA.id, {})).toEqual(refusal("errors.forbidden"));
    as.user = null;
    expect(await save(world.offeringA.id, {})).toEqual(refusal("errors.signInRequired"));
    expect(await offeringById(world.offeringA.id)).toMatchObject({ konbiniEnabled: true, bankTransferEnabled: true });
    expect(await changesBy(world.staffB.id, world.offeringA.id)).toEqual([]);
  });
});

describe("staff decisions on bank transfers", () => {
  async function transferCase(kind: "underpaid_transfer" | "unapplied_transfer") {
    const [order] = await getDb()
      .insert(orders)
      .values({
        userId: world.holderB.id,
        offeringId: world.offeringB.id,
        units: 2,
        amountYen: 4_000,
        status: kind === "underpaid_transfer" ? "awaiting_payment" : "expired",
        paymentMethod: "bank_transfer",
        receivedYen: kind === "underpaid_transfer" ? 1_500 : 0,
        paymentInstructions: { ...ACCOUNT, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        reservationExpiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    // As the reservation would have: an unpaid order holds its units.
    if (kind === "underpaid_transfer") {
      await getDb()
        .update(offerings)
        .set({ reservedUnits: sql`${offerings.reservedUnits} + 2` })
        .where(eq(offerings.id, world.offeringB.id));
    }
    const values: NewPaymentException = {
      kind,
      stripeEventId: `evt_${randomUUID()}`,
      eventType: kind === "underpaid_transfer" ? "payment_intent.partially_funded" : "cash_balance.funds_available",
      orderId: order!.id,
      offeringId: world.offeringB.id,
      paymentIntentId: kind === "underpaid_transfer" ? `pi_${randomUUID()}` : null,
      stripeCustomerId: `cus_${randomUUID()}`,
      openCaseKey: kind === "underpaid_transfer" ? `underpaid:${order!.id}` : `unapplied:${randomUUID()}`,
      amountYen: 1_500,
      currency: "jpy",
      detail: { orderId: order!.id, receivedYen: 1_500, remainingYen: 2_500 },
    };
    const [row] = await getDb().insert(paymentExceptions).values(values).returning();
    return row!;
  }
  const statusOf = async (id: string) => (await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.id, id)))[0]!.status;

  it("refuses another issuer's staff every decision, and an investor, changing nothing", async () => {
    const short = await transferCase("underpaid_transfer");
    const unapplied = await transferCase("unapplied_transfer");
    as.user = world.staffA;
    expect(await run(requestTopUpAction, form({ exceptionId: short.id }))).toEqual(refusal("deferredPayments.decisions.topupRefused"));
    expect(await run(refundExceptionAction, form({ exceptionId: short.id }))).toEqual(refusal("staffPayments.notOpen"));
    expect(await run(refundExceptionAction, form({ exceptionId: unapplied.id }))).toEqual(refusal("staffPayments.notOpen"));
    as.user = world.holderB;
    expect(await run(requestTopUpAction, form({ exceptionId: short.id }))).toEqual(refusal("errors.forbidden"));
    expect(await run(refundExceptionAction, form({ exceptionId: unapplied.id }))).toEqual(refusal("errors.forbidden"));
    expect(await statusOf(short.id)).toBe("open");
    expect(await statusOf(unapplied.id)).toBe("open");
  });

  it("lets the order's issuer's staff ask for the rest of a short transfer, once, moving the deadline", async () => {
    const short = await transferCase("underpaid_transfer");
    const before = await orderById(short.orderId!);
    as.user = world.staffB;
    expect(await run(requestTopUpAction, form({ exceptionId: short.id }))).toEqual({ status: "ok", message: t("deferredPayments.decisions.topupRequested") });
    expect(await statusOf(short.id)).toBe("topup_requested");
    const after = await orderById(short.orderId!);
    expect(new Date(after.paymentInstructions!.expiresAt).getTime()).toBeGreaterThan(new Date(before.paymentInstructions!.expiresAt).getTime());
    expect(await run(requestTopUpAction, form({ exceptionId: short.id }))).toEqual(refusal("deferredPayments.decisions.topupRefused"));
    // Still waiting for the rest, staff may instead refund what arrived and cancel the order.
    expect(await run(refundExceptionAction, form({ exceptionId: short.id }))).toEqual({ status: "ok", message: t("staffPayments.refundQueued") });
    expect(await statusOf(short.id)).toBe("refund_queued");
    expect((await orderById(short.orderId!)).status).toBe("cancelled");
  });

  it("lets the order's issuer's staff refund money no order took", async () => {
    const unapplied = await transferCase("unapplied_transfer");
    as.user = world.staffB;
    expect(await run(refundExceptionAction, form({ exceptionId: unapplied.id }))).toEqual({ status: "ok", message: t("staffPayments.refundQueued") });
    expect(await statusOf(unapplied.id)).toBe("refund_queued");
  });
});
