import "server-only";
import { and, desc, eq, gt, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { legalDocuments, offerings, orderEvents, orders } from "@/db/schema";
import { env } from "@/lib/env";
import { purchaseBlockers, type OnboardingState } from "@/lib/onboarding/state";
import { paymentProvider } from "@/lib/payments/stripe";
import type { PaymentProvider } from "@/lib/payments/provider";
import { checkPurchase, startOfTokyoYear, type PurchaseRefusal } from "./limits";
import { releaseReservation } from "./settle";
import { recordCheckout } from "./transitions";

/** Stripe's shortest Checkout Session life; the reservation lives exactly as long. */
export const RESERVATION_MS = 30 * 60 * 1000 + 30 * 1000;

/** Statuses whose yen count toward the investor's yearly cap (money taken or about to be). */
export const COMMITTED_STATUSES = ["reserved", "awaiting_payment", "paid", "allocating", "allocated", "disputed"] as const;

export type OrderRefusal =
  | PurchaseRefusal
  | { error: "notFound" }
  | { error: "onboarding"; blockers: OnboardingState["blockers"] }
  | { error: "staleDisclosure" }
  | { error: "soldOut"; unitsLeft: number }
  | { error: "checkoutFailed" };

export type PlacedOrder = { ok: true; orderId: string; checkoutUrl: string } | ({ ok: false } & OrderRefusal);

/** The offering's pre-contract disclosure now in force: its own, else the portal-wide one. */
export async function currentDisclosure(offeringId: string) {
  const [doc] = await getDb()
    .select()
    .from(legalDocuments)
    .where(and(eq(legalDocuments.kind, "pre_contract"), or(eq(legalDocuments.offeringId, offeringId), isNull(legalDocuments.offeringId))))
    .orderBy(sql`${legalDocuments.offeringId} is null`, desc(legalDocuments.publishedAt))
    .limit(1);
  return doc ?? null;
}

export async function yenCommittedThisYear(db: Pick<Db, "select">, userId: string, offeringId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ yen: sql<string>`coalesce(sum(${orders.amountYen}), 0)` })
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.offeringId, offeringId), inArray(orders.status, [...COMMITTED_STATUSES]), gte(orders.createdAt, startOfTokyoYear(now))));
  return Number(row?.yen ?? 0);
}

type Buyer = { id: string; email: string; locale: "ja" | "en" };

/**
 * Checks every rule, then takes the units from the cap in one conditional UPDATE (a CHECK
 * constraint is the backstop) and records the order, all in one transaction. A per-investor
 * advisory lock makes the yearly cap hold against parallel orders of the same investor.
 */
export async function reserveOrder(buyer: Buyer, input: { offeringId: string; units: number; disclosureId: string }, now = new Date()) {
  const db = getDb();
  const [[offering], disclosure, blockers] = await Promise.all([
    db.select().from(offerings).where(eq(offerings.id, input.offeringId)),
    currentDisclosure(input.offeringId),
    purchaseBlockers(buyer.id),
  ]);
  if (!offering || offering.status === "draft") return { ok: false as const, error: "notFound" as const };
  if (blockers.length > 0) return { ok: false as const, error: "onboarding" as const, blockers };
  if (!disclosure || disclosure.id !== input.disclosureId) return { ok: false as const, error: "staleDisclosure" as const };

  try {
    return await db.transaction(async (tx) => {
      // Serialises this investor's own orders so the yearly cap holds, in the same round trip as the sum.
      const [row] = await tx.execute<{ spent: string }>(sql`
        select pg_advisory_xact_lock(hashtextextended(${`order-cap:${buyer.id}`}, 0)), (
          select coalesce(sum(amount_yen), 0) from orders
          where user_id = ${buyer.id} and offering_id = ${offering.id} and created_at >= ${startOfTokyoYear(now).toISOString()}
            and status in (${sql.join(COMMITTED_STATUSES.map((status) => sql`${status}`), sql`, `)})) as spent`);
      const refusal = checkPurchase(offering, input.units, Number(row?.spent ?? 0), now);
      if (refusal) return { ok: false as const, ...refusal };

      const [order] = await tx
        .insert(orders)
        .values({
          userId: buyer.id,
          offeringId: offering.id,
          units: input.units,
          amountYen: input.units * offering.priceYen,
          disclosureDocumentId: disclosure.id,
          reservationExpiresAt: new Date(now.getTime() + RESERVATION_MS),
        })
        .returning();
      await tx.insert(orderEvents).values({ orderId: order!.id, fromStatus: null, toStatus: "reserved", detail: { disclosureVersion: disclosure.version } });

      // The contended row is touched last, so its lock is held only until the commit.
      const [taken] = await tx
        .update(offerings)
        .set({ reservedUnits: sql`${offerings.reservedUnits} + ${input.units}` })
        .where(
          and(
            eq(offerings.id, offering.id),
            eq(offerings.status, "open"),
            lte(offerings.opensAt, now),
            gt(offerings.closesAt, now),
            sql`${offerings.reservedUnits} + ${offerings.soldUnits} + ${input.units} <= ${offerings.capUnits}`,
          ),
        )
        .returning({ left: sql<number>`${offerings.capUnits} - ${offerings.reservedUnits} - ${offerings.soldUnits}` });
      if (!taken) throw new SoldOut();
      return { ok: true as const, order: order!, offering };
    });
  } catch (error) {
    if (!(error instanceof SoldOut)) throw error;
    const [current] = await db.select().from(offerings).where(eq(offerings.id, offering.id));
    return { ok: false as const, error: "soldOut" as const, unitsLeft: Math.max(0, current!.capUnits - current!.soldUnits - current!.reservedUnits) };
  }
}

/** Rolls the reservation transaction back (the order row with it) when the cap is reached. */
class SoldOut extends Error {}

/**
 * The whole purchase: reserve, then open a Checkout Session in yen for exactly that order. If the
 * session cannot be created the units go back at once.
 */
export async function placeOrder(buyer: Buyer, input: { offeringId: string; units: number; disclosureId: string }, provider: PaymentProvider = paymentProvider(), now = new Date()): Promise<PlacedOrder> {
  const reserved = await reserveOrder(buyer, input, now);
  if (!reserved.ok) return reserved;
  const { order, offering } = reserved;
  const origin = new URL(env().authUrl).origin;
  try {
    const checkout = await provider.createCheckout({
      orderId: order.id,
      offeringId: offering.id,
      productName: buyer.locale === "ja" ? offering.nameJa : offering.nameEn,
      units: order.units,
      unitPriceYen: offering.priceYen,
      customerEmail: buyer.email,
      successUrl: `${origin}/orders/${order.id}?checkout=success`,
      cancelUrl: `${origin}/orders/${order.id}?checkout=cancelled`,
      expiresAt: order.reservationExpiresAt,
      locale: buyer.locale,
    });
    await recordCheckout(order.id, checkout.sessionId, checkout.url);
    return { ok: true, orderId: order.id, checkoutUrl: checkout.url };
  } catch (error) {
    console.error("[orders] checkout session failed", error);
    await releaseReservation(order.id, ["reserved"], "cancelled", { reason: "checkout_failed" });
    return { ok: false, error: "checkoutFailed" };
  }
}

export async function yenCommittedOfUser(userId: string, offeringId: string, now = new Date()) {
  return yenCommittedThisYear(getDb(), userId, offeringId, now);
}
