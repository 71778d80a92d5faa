import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG } from "@/db/seed";
import { orderEvents, orders, offerings, paymentExceptions, type NewOrder, type Offering, type Order, type PaymentInstructions } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import { approvedInvestor } from "../orders/harness";
import { twoIssuerWorld } from "./attack-world";

// The pages of konbini and bank-transfer payments as people read them: the buy form's method
// choice, the order page's panel (the voucher or the account, to its buyer only), the order list,
// and the staff decisions on a short transfer.

const who: { user: SessionUser | null; locale: "ja" | "en" } = { user: null, locale: "en" };
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => who.user, requireUser: async () => who.user, requireRole: async () => who.user }));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => who.locale, getTranslator: async () => ({ locale: who.locale, t: make(who.locale) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/navigation", async (original) => ({ ...(await original<object>()), useRouter: () => ({ refresh: () => {} }) }));

const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const text = (page: string) =>
  page
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const en = translator("en");
const ja = translator("ja");
/** The text of the element carrying this test id. */
const byTestId = (page: string, id: string) => page.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1] ?? null;

const offeringPage = async () => html(await (await import("@/app/(public)/offerings/[slug]/page")).default({ params: Promise.resolve({ slug: DEMO_OFFERING_SLUG }) }));
const panel = async (order: Order, isOwner: boolean, locale: "ja" | "en" = "en") => {
  const { DeferredPaymentPanel } = await import("@/components/orders/deferred-payment-panel");
  return html(await DeferredPaymentPanel({ order, isOwner, t: translator(locale), locale }));
};

const DEADLINE = "2030-12-04T14:59:59.000Z";
const VOUCHER: Extract<PaymentInstructions, { method: "konbini" }> = {
  method: "konbini",
  expiresAt: DEADLINE,
  voucherUrl: "http://127.0.0.1:12111/vouchers/pi_test_konbini",
  stores: [
    { chain: "familymart", paymentCode: "123456789012", confirmationNumber: "98765432101" },
    { chain: "lawson", paymentCode: "223456789012", confirmationNumber: "88765432101" },
    { chain: "ministop", paymentCode: "323456789012", confirmationNumber: "78765432101" },
    { chain: "seicomart", paymentCode: "423456789012", confirmationNumber: null },
  ],
};
const ACCOUNT: Extract<PaymentInstructions, { method: "bank_transfer" }> = {
  method: "bank_transfer",
  expiresAt: DEADLINE,
  instructionsUrl: "http://127.0.0.1:12111/bank-transfers/pi_test_bank",
  bankName: "みずほ銀行",
  bankCode: "0001",
  branchName: "オウカ",
  branchCode: "870",
  accountType: "futsu",
  accountNumber: "1234567",
  accountHolderName: "ストライプジャパン（カ",
  amountRemainingYen: 2_000,
  reference: "ABCD1234",
};

let world: Awaited<ReturnType<typeof twoIssuerWorld>>;
let offering: Offering;
let buyer: SessionUser;

async function anOrder(values: Partial<NewOrder>): Promise<Order> {
  const [row] = await getDb()
    .insert(orders)
    .values({ userId: buyer.id, offeringId: offering.id, units: 3, amountYen: 3_000, status: "awaiting_payment", reservationExpiresAt: new Date(DEADLINE), ...values })
    .returning();
  return row!;
}

beforeAll(async () => {
  world = await twoIssuerWorld();
  offering = world.offeringA;
  buyer = await approvedInvestor();
});

describe("the buy form", () => {
  it("offers the pay-later methods the offering takes now, each saying what happens next", async () => {
    who.user = buyer;
    who.locale = "en";
    await getDb().update(offerings).set({ konbiniEnabled: true, bankTransferEnabled: true }).where(eq(offerings.id, offering.id));
    const page = await offeringPage();
    expect(page).toContain('data-testid="method-card"');
    expect(page).toContain('data-testid="method-konbini"');
    expect(page).toContain('data-testid="method-bank_transfer"');
    expect(text(page)).toContain(en("deferredPayments.buy.konbiniHint", { days: 3 }));
    expect(text(page)).toContain(en("deferredPayments.buy.bankTransferHint", { days: 7 }));
    who.locale = "ja";
    expect(text(await offeringPage())).toContain(ja("deferredPayments.buy.konbiniHint", { days: 3 }));
  });

  it("leaves out a method the offering does not take, and both when the sale closes within a day", async () => {
    who.user = buyer;
    who.locale = "en";
    const closesAt = offering.closesAt;
    await getDb().update(offerings).set({ konbiniEnabled: true, bankTransferEnabled: false }).where(eq(offerings.id, offering.id));
    const one = await offeringPage();
    expect(one).toContain('data-testid="method-konbini"');
    expect(one).not.toContain('data-testid="method-bank_transfer"');
    await getDb()
      .update(offerings)
      .set({ bankTransferEnabled: true, closesAt: new Date(Date.now() + 12 * 3600_000) })
      .where(eq(offerings.id, offering.id));
    const closing = await offeringPage();
    expect(closing).not.toContain('data-testid="method-konbini"');
    expect(closing).not.toContain('data-testid="method-bank_transfer"');
    // Card alone: no choice to make, the form goes straight to card payment.
    expect(closing).not.toContain('data-testid="method-choice"');
    expect(text(closing)).toContain(en("buy.submit"));
    await getDb().update(offerings).set({ closesAt }).where(eq(offerings.id, offering.id));
  });
});

describe("the order page's panel", () => {
  it("shows its buyer the numbers for each store chain, the amount, the deadline in Tokyo time and the voucher", async () => {
    const order = await anOrder({ paymentMethod: "konbini", paymentInstructions: VOUCHER });
    const page = await panel(order, true);
    expect(page).toContain('data-testid="deferred-panel"');
    expect(byTestId(page, "konbini-number")).toBe("123456789012");
    expect(byTestId(page, "konbini-number-lawson")).toBe("223456789012");
    expect(text(page)).toContain("98765432101");
    expect(byTestId(page, "payment-deadline")).toBe(formatDateTime(new Date(DEADLINE), "en"));
    expect(byTestId(page, "payment-deadline")).toContain("4 Dec 2030, 23:59");
    expect(text(page)).toContain("¥3,000");
    expect(page).toContain(`href="${VOUCHER.voucherUrl}"`);
    for (const chain of ["FamilyMart", "Lawson", "Ministop", "Seicomart"]) expect(text(page)).toContain(chain);
    // Demo mode (as tests run): a way to the emulator's test buttons.
    expect(page).toContain('data-testid="deferred-test-payment"');
    const inJapanese = text(await panel(order, true, "ja"));
    expect(inJapanese).toContain("お客様番号");
    expect(inJapanese).toContain("確認番号");
    expect(inJapanese).toContain("ファミリーマート");
    expect(inJapanese).toContain("2030年12月4日 23:59");
  });

  it("shows staff that a payment is awaited, never the numbers", async () => {
    const order = await anOrder({ paymentMethod: "konbini", paymentInstructions: VOUCHER });
    const page = await panel(order, false);
    expect(page).not.toContain("123456789012");
    expect(page).not.toContain('data-testid="konbini-number"');
    expect(page).not.toContain(VOUCHER.voucherUrl!);
    expect(text(page)).toContain(en("deferredPayments.panel.othersView", { time: formatDateTime(new Date(DEADLINE), "en") }));
  });

  it("shows the account to transfer to and what is still to pay once part has arrived", async () => {
    const order = await anOrder({ paymentMethod: "bank_transfer", paymentInstructions: ACCOUNT, receivedYen: 1_000 });
    const page = await panel(order, true);
    expect(byTestId(page, "bank-account-number")).toBe("1234567");
    expect(byTestId(page, "amount-remaining")).toBe("¥2,000");
    expect(text(page)).toContain(en("deferredPayments.panel.received", { received: "¥1,000", remaining: "¥2,000" }));
    expect(text(page)).toContain("みずほ銀行 (bank code 0001)");
    expect(text(page)).toContain("オウカ (branch code 870)");
    expect(text(page)).toContain("ストライプジャパン（カ");
    expect(text(page)).toContain(en("deferredPayments.panel.note"));
    expect(page).toContain(`href="${ACCOUNT.instructionsUrl}"`);
    const inJapanese = text(await panel(order, true, "ja"));
    expect(inJapanese).toContain("普通");
    expect(inJapanese).toContain("口座名義");
    // Nothing arrived yet: the whole amount, and no line about money received.
    const fresh = await panel(await anOrder({ paymentMethod: "bank_transfer", paymentInstructions: { ...ACCOUNT, amountRemainingYen: 3_000 } }), true);
    expect(byTestId(fresh, "amount-remaining")).toBe("¥3,000");
    expect(fresh).not.toContain('data-testid="amount-received"');
  });

  it("says when the order was paid, or that it ended unpaid; a card order has no panel", async () => {
    const paid = await anOrder({ paymentMethod: "konbini", paymentInstructions: VOUCHER, status: "paid" });
    await getDb()
      .insert(orderEvents)
      .values({ orderId: paid.id, fromStatus: "awaiting_payment", toStatus: "paid", at: new Date("2026-12-03T01:00:00Z") });
    expect(text(await panel(paid, true))).toContain(en("deferredPayments.panel.paid.konbini", { date: "3 Dec 2026" }));
    expect(text(await panel(paid, true, "ja"))).toContain("2026年12月3日にコンビニでお支払いいただきました。");
    const transferred = await anOrder({ paymentMethod: "bank_transfer", paymentInstructions: ACCOUNT, status: "allocated" });
    expect(text(await panel(transferred, true))).toContain(en("deferredPayments.panel.paidUndated.bank_transfer"));
    const expired = await anOrder({ paymentMethod: "konbini", paymentInstructions: VOUCHER, status: "expired" });
    const ended = await panel(expired, true);
    expect(text(ended)).toContain(en("deferredPayments.panel.expired.konbini"));
    expect(ended).not.toContain("123456789012");
    // Past the deadline but not released yet (the expiry job is on its way): no numbers to pay with.
    const overdue = await panel(await anOrder({ paymentMethod: "konbini", paymentInstructions: { ...VOUCHER, expiresAt: "2026-01-05T14:59:59.000Z" } }), true);
    expect(text(overdue)).toContain(en("deferredPayments.panel.overdue"));
    expect(overdue).not.toContain("123456789012");
    expect(await panel(await anOrder({ paymentMethod: "card" }), true)).toBe("");
  });

  it("says the details are on their way while the processor has not given them yet", async () => {
    const page = await panel(await anOrder({ paymentMethod: "bank_transfer", status: "reserved" }), true);
    expect(text(page)).toContain(en("deferredPayments.panel.preparing"));
  });
});

describe("the order list", () => {
  it("shows the method of a pay-later order and its deadline while unpaid", async () => {
    const investor = await approvedInvestor();
    await getDb()
      .insert(orders)
      .values([
        {
          userId: investor.id,
          offeringId: offering.id,
          units: 1,
          amountYen: 1_000,
          status: "awaiting_payment",
          paymentMethod: "konbini",
          paymentInstructions: VOUCHER,
          reservationExpiresAt: new Date(DEADLINE),
        },
        {
          userId: investor.id,
          offeringId: offering.id,
          units: 1,
          amountYen: 1_000,
          status: "paid",
          paymentMethod: "bank_transfer",
          paymentInstructions: ACCOUNT,
          reservationExpiresAt: new Date(DEADLINE),
        },
      ]);
    who.user = investor;
    who.locale = "en";
    const page = text(await html(await (await import("@/app/(investor)/orders/page")).default()));
    expect(page).toContain(`Convenience store · ${en("deferredPayments.list.payBy", { time: formatDateTime(new Date(DEADLINE), "en") })}`);
    expect(page).toContain("Bank transfer");
    expect(page.match(/Pay by/g)).toHaveLength(1);
  });
});

describe("the staff payments page", () => {
  it("shows a short transfer's received and missing yen and both decisions to its issuer's staff only", async () => {
    const [order] = await getDb()
      .insert(orders)
      .values({
        userId: world.holderB.id,
        offeringId: world.offeringB.id,
        units: 2,
        amountYen: 4_000,
        status: "awaiting_payment",
        paymentMethod: "bank_transfer",
        receivedYen: 1_500,
        reservationExpiresAt: new Date(DEADLINE),
      })
      .returning();
    await getDb()
      .insert(paymentExceptions)
      .values({
        kind: "underpaid_transfer",
        stripeEventId: `evt_${randomUUID()}`,
        eventType: "payment_intent.partially_funded",
        orderId: order!.id,
        offeringId: world.offeringB.id,
        paymentIntentId: "pi_short",
        stripeCustomerId: "cus_short",
        openCaseKey: `underpaid:${order!.id}`,
        amountYen: 1_500,
        currency: "jpy",
        detail: { receivedYen: 1_500, remainingYen: 2_500 },
      });
    const staffPage = async () => html(await (await import("@/app/(staff)/staff/payments/page")).default());
    who.user = world.staffB;
    who.locale = "en";
    const page = await staffPage();
    expect(byTestId(page, "transfer-received")).toBe("¥1,500");
    expect(byTestId(page, "transfer-remaining")).toBe("¥2,500");
    expect(text(page)).toContain(en("deferredPayments.decisions.askRest"));
    expect(text(page)).toContain(en("deferredPayments.decisions.refundAndCancel"));
    expect(page).toContain(`href="/orders/${order!.id}"`);
    who.user = world.staffA;
    const other = await staffPage();
    expect(other).not.toContain(order!.id);
    expect(text(other)).not.toContain(en("deferredPayments.decisions.askRest"));
  });
});
