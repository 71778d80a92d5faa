import "server-only";
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { investorCommitments, legalDocuments, offerings, orderEvents, orders, type PaymentMethod } from "@/db/schema";
import { purchaseBlockers, type OnboardingState } from "@/lib/onboarding/state";
import { isResidentOf } from "@/lib/residents/residence";
import { takeUnits } from "@/lib/residents/take";
import { residentPhase, residentsFirst, unitsLeftFor } from "@/lib/residents/tranche";
import { coolingOffEndsAt } from "./cooling-off-period";
import { checkPurchase, tokyoYear, YEARLY_CAP_CONSTRAINT, type PurchaseRefusal } from "./limits";

/** The reservation: every check, then the order row and the units taken from the cap in one transaction. */

/** Stripe's shortest Checkout Session life; the reservation lives exactly as long. */
const RESERVATION_MS = 30 * 60 * 1000 + 30 * 1000;

export type OrderRefusal =
  | PurchaseRefusal
  | { error: "notFound" }
  | { error: "noContract" }
  | { error: "onboarding"; blockers: OnboardingState["blockers"] }
  | { error: "staleDisclosure" }
  /** Units left for this buyer (a non-resident before the residents' tranche ends: only general ones). */
  | { error: "soldOut"; unitsLeft: number }
  /** Only residents of the issuer's municipality buy until then. */
  | { error: "residentsOnly"; until: Date }
  | { error: "checkoutFailed" }
  | { error: "stablecoinUnavailable" };

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

/**
 * Yen the investor has committed this Tokyo year to the issuer of this offering, all of its
 * offerings together (the legal cap is per issuer).
 */
export async function yenCommittedWithIssuer(db: DbOrTx, userId: string, offeringId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ yen: investorCommitments.committedYen })
    .from(investorCommitments)
    .innerJoin(offerings, eq(offerings.villageId, investorCommitments.villageId))
    .where(and(eq(offerings.id, offeringId), eq(investorCommitments.userId, userId), eq(investorCommitments.tokyoYear, tokyoYear(now))));
  return Number(row?.yen ?? 0);
}

export type Buyer = { id: string; email: string; locale: "ja" | "en" };

/**
 * Checks every rule, then records the order and takes the units from the cap in one conditional
 * UPDATE (a CHECK constraint is the backstop), all in one transaction. The order's insert counts
 * its yen toward the investor's yearly total with the issuer, refused past the cap by a trigger.
 * While residents come first (lib/residents/tranche.ts) the same UPDATE keeps the residents'
 * tranche, and the order records how many of its units came from it.
 */
export async function reserveOrder(buyer: Buyer, input: { offeringId: string; units: number; disclosureId: string; paymentMethod: PaymentMethod }, now = new Date()) {
  const db = getDb();
  const [[offering], disclosure, blockers, spent] = await Promise.all([
    db.select().from(offerings).where(eq(offerings.id, input.offeringId)),
    currentDisclosure(input.offeringId),
    purchaseBlockers(buyer.id),
    yenCommittedWithIssuer(db, buyer.id, input.offeringId, now),
  ]);
  if (!offering || offering.status === "draft") return { ok: false as const, error: "notFound" as const };
  // No units are sold before the offering's token contract exists to hold them.
  if (!offering.tokenAddress) return { ok: false as const, error: "noContract" as const };
  if (blockers.length > 0) return { ok: false as const, error: "onboarding" as const, blockers };
  if (!disclosure || disclosure.id !== input.disclosureId) return { ok: false as const, error: "staleDisclosure" as const };

  // Checked here for a quick answer; the trigger on orders holds the cap under concurrency.
  const refusal = checkPurchase(offering, input.units, spent, now);
  if (refusal) return { ok: false as const, ...refusal };
  const resident = residentsFirst(offering, now) && (await isResidentOf(db, buyer.id, offering.villageId));
  if (residentPhase(offering, now) === "window" && !resident) return { ok: false as const, error: "residentsOnly" as const, until: offering.residentsUntil! };

  try {
    return await db.transaction(async (tx) => {
      const [order] = await tx
        .insert(orders)
        .values({
          userId: buyer.id,
          offeringId: offering.id,
          units: input.units,
          amountYen: input.units * offering.priceYen,
          disclosureDocumentId: disclosure.id,
          reservationExpiresAt: new Date(now.getTime() + RESERVATION_MS),
          paymentMethod: input.paymentMethod,
          coolingOffEndsAt: coolingOffEndsAt(now, offering.coolingOffDays),
        })
        .returning();
      await tx.insert(orderEvents).values({ orderId: order!.id, fromStatus: null, toStatus: "reserved", detail: { disclosureVersion: disclosure.version } });

      // The contended row is touched last, so its lock is held only until the commit.
      const taken = await takeUnits(tx, offering, order!, resident, now);
      if (!taken) throw new SoldOut();
      return { ok: true as const, order: { ...order!, residentUnits: taken.residentUnits }, offering };
    });
  } catch (error) {
    if (violatesConstraint(error, YEARLY_CAP_CONSTRAINT)) {
      const committed = await yenCommittedWithIssuer(db, buyer.id, offering.id, now);
      return { ok: false as const, error: "yearlyCap" as const, remainingYen: Math.max(0, offering.yearlyCapYenPerInvestor - committed) };
    }
    if (!(error instanceof SoldOut)) throw error;
    const [current] = await db.select().from(offerings).where(eq(offerings.id, offering.id));
    return { ok: false as const, error: "soldOut" as const, unitsLeft: unitsLeftFor(current!, resident, now) };
  }
}

/** Rolls the reservation transaction back (the order row with it) when the cap is reached. */
class SoldOut extends Error {}
