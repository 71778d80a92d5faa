import { eq, sql } from "drizzle-orm";
import { renderToReadableStream } from "react-dom/server";
import type { ReactNode } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { orders, type Order } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { coolingOffEndsAt } from "@/lib/orders/cooling-off-period";
import type { CoolingOffRefusal } from "@/lib/orders/cooling-off";
import { makeOffering } from "@/test/chain-support";
import { cancelCoolingOffAction } from "@/app/(investor)/orders/[id]/cooling-off-actions";
import { CoolingOffPanel } from "@/components/orders/cooling-off-panel";

// The investor's cancel step (cooling-off): the action's answers in both languages, and the panel
// on the order page before, during and after the right.

const ja = translator("ja");
const en = translator("en");
const FAR = new Date(Date.now() + 8 * 86_400_000);
const PAST = new Date(Date.now() - 60_000);

let offeringId: string;
let owner: SessionUser;
let stranger: SessionUser;

beforeAll(async () => {
  offeringId = (await makeOffering(getDb())).id;
  owner = await makeUser();
  stranger = await makeUser();
});

async function order(values: Partial<Order> = {}): Promise<Order> {
  const [row] = await getDb()
    .insert(orders)
    .values({
      userId: owner.id,
      offeringId,
      units: 2,
      amountYen: 2_000,
      status: "paid",
      stripePaymentIntentId: `pi_test_${Date.now()}_${Math.random().toString(36).slice(2)}`,
      reservationExpiresAt: FAR,
      coolingOffEndsAt: FAR,
      ...values,
    })
    .returning();
  return row!;
}

const cancel = (orderId: string) => run(cancelCoolingOffAction, form({ orderId }));
const jobs = async (orderId: string) =>
  Number((await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = 'orders.cooling-off-refund' and data->>'orderId' = ${orderId}`))[0]!.n);

describe("the cancel action", () => {
  it("cancels the owner's paid order once, and says so in Japanese; a second submit is told it is done", async () => {
    const paid = await order();
    as.user = owner;
    as.locale = "ja";
    expect(await cancel(paid.id)).toEqual({ status: "ok", message: ja("coolingOff.done.refunding") });
    expect(await cancel(paid.id)).toEqual({ status: "error", message: ja("coolingOff.errors.alreadyCancelled") });
    expect((await getDb().select().from(orders).where(eq(orders.id, paid.id)))[0]!.cancelRequestedAt).not.toBeNull();
    expect(await jobs(paid.id)).toBe(1);
  });

  it.each<[string, () => Promise<Order>, () => SessionUser, CoolingOffRefusal]>([
    ["another investor's order", () => order(), () => stranger, "notOwner"],
    ["after the period", () => order({ coolingOffEndsAt: PAST }), () => owner, "expired"],
    ["a disputed order", () => order({ status: "disputed" }), () => owner, "disputed"],
    ["an order paid in JPYC", () => order({ status: "allocated", paymentMethod: "stablecoin", stripePaymentIntentId: null }), () => owner, "paidInStablecoin"],
    ["an order refunded by staff", () => order({ status: "refunded" }), () => owner, "notCancellable"],
  ])("refuses %s, in both languages, with what to do, and changes nothing", async (_name, make, who, refusal) => {
    const target = await make();
    as.user = who();
    for (const [locale, t] of [
      ["ja", ja],
      ["en", en],
    ] as const) {
      as.locale = locale;
      expect(await cancel(target.id)).toEqual({ status: "error", message: t(`coolingOff.errors.${refusal}`) });
    }
    expect((await getDb().select().from(orders).where(eq(orders.id, target.id)))[0]!.cancelRequestedAt).toBeNull();
    expect(await jobs(target.id)).toBe(0);
  });

  it("says a JPYC order goes to the issuer, because no processor can refund it", () => {
    expect(en("coolingOff.errors.paidInStablecoin")).toMatch(/issuer/);
    expect(en("coolingOff.errors.paidInStablecoin")).toMatch(/processor/);
    expect(ja("coolingOff.errors.paidInStablecoin")).toMatch(/発行体/);
  });

  it("refuses a malformed id and a signed-out visitor", async () => {
    as.user = owner;
    as.locale = "en";
    expect(await cancel("not-an-id")).toMatchObject({ status: "invalid", fieldErrors: { orderId: en("coolingOff.errors.notFound") } });
    as.user = null;
    const paid = await order();
    expect(await cancel(paid.id)).toEqual({ status: "error", message: en("errors.signInRequired") });
    expect(await jobs(paid.id)).toBe(0);
  });
});

const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const text = (page: string) =>
  page
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const panel = (target: Order, options: { isOwner?: boolean; locale?: Locale; now: Date }) => {
  const locale = options.locale ?? "en";
  return html(CoolingOffPanel({ order: target, isOwner: options.isOwner ?? true, t: translator(locale), locale, now: options.now }));
};

describe("the panel on the order page", () => {
  // Applied 1 December 10:00 Tokyo, 8 days: the last day is 8 December.
  const ends = coolingOffEndsAt(new Date("2026-12-01T10:00:00+09:00"), 8)!;
  const day8 = new Date("2026-12-08T23:59:00+09:00");
  const day9 = new Date("2026-12-09T00:00:00+09:00");

  it("offers the owner the cancel step until the end of the last day, with what cancelling does", async () => {
    const paid = await order({ coolingOffEndsAt: ends });
    const page = await panel(paid, { now: day8 });
    expect(page).toContain('data-testid="cooling-off-panel"');
    expect(page).toContain('data-testid="cooling-off-cancel"');
    expect(page).toContain('data-testid="cooling-off-confirm"');
    const words = text(page);
    expect(words).toContain(en("coolingOff.until", { date: "8 Dec 2026" }));
    for (const point of ["refundCard", "tokens", "units", "final"] as const) expect(words).toContain(en(`coolingOff.confirm.${point}`));
    expect(text(await panel(paid, { now: day8, locale: "ja" }))).toContain(ja("coolingOff.until", { date: "2026年12月8日" }));
    // Unpaid: nothing to refund, the payment page goes.
    const unpaid = await order({ status: "awaiting_payment", coolingOffEndsAt: ends, stripePaymentIntentId: null });
    expect(text(await panel(unpaid, { now: day8 }))).toContain(en("coolingOff.confirm.unpaid"));
    // Someone else reading the order (staff) sees no button.
    expect(await panel(paid, { now: day8, isOwner: false })).toBe("");
  });

  it("after the period: one line with the day it ended, and no button", async () => {
    const paid = await order({ coolingOffEndsAt: ends });
    const page = await panel(paid, { now: day9 });
    expect(text(page)).toContain(en("coolingOff.ended", { date: "8 Dec 2026" }));
    expect(page).not.toContain("cooling-off-cancel");
  });

  it("after cancelling: the day and where the refund is, for the owner and staff alike", async () => {
    const at = new Date("2026-12-03T12:00:00+09:00");
    const refunding = await order({ coolingOffEndsAt: ends, cancelRequestedAt: at });
    const page = text(await panel(refunding, { now: day8, isOwner: false }));
    expect(page).toContain(en("coolingOff.status.cancelledOn", { date: "3 Dec 2026" }));
    expect(page).toContain(en("coolingOff.status.refunding"));
    const refunded = await order({ status: "refunded", coolingOffEndsAt: ends, cancelRequestedAt: at });
    expect(text(await panel(refunded, { now: day9 }))).toContain(en("coolingOff.status.refunded"));
    const released = await order({ status: "cancelled", coolingOffEndsAt: ends, cancelRequestedAt: at });
    expect(text(await panel(released, { now: day8, locale: "ja" }))).toContain(ja("coolingOff.status.released"));
  });

  it("a JPYC order: the issuer takes the cancellation, no button; no period: no panel", async () => {
    const coin = await order({ status: "allocated", paymentMethod: "stablecoin", stripePaymentIntentId: null, coolingOffEndsAt: ends });
    const page = await panel(coin, { now: day8 });
    expect(text(page)).toContain(en("coolingOff.issuer", { date: "8 Dec 2026" }));
    expect(page).not.toContain("cooling-off-cancel");
    expect(await panel(await order({ coolingOffEndsAt: null }), { now: day8 })).toBe("");
  });
});
