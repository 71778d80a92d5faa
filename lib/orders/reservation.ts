import "server-only";
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { investorCommitments, legalDocuments, type Offering, offerings, type Order, orders, type PaymentMethod } from "@/db/schema";
import type { OnboardingState } from "@/lib/onboarding/state";
import { type TrancheFacts, unitsLeftFor } from "@/lib/residents/tranche";
import { KONBINI_MAX_YEN, KONBINI_MIN_YEN } from "./deferred/availability";
import { tokyoYear, YEARLY_CAP_CONSTRAINT, type PurchaseRefusal } from "./limits";
import { rowFromJson } from "./row-from-json";

/** Stripe's shortest Checkout Session life; the reservation lives exactly as long. */
const RESERVATION_MS = 30 * 60 * 1000 + 30 * 1000;

/** Raised by reserve_order (migration 0022) when the sale had no room left once its row was locked. */
const SOLD_OUT_CONSTRAINT = "offering_sold_out";

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
  /** The offering does not take this pay-later method now (deferredMethodsOf). */
  | { error: "methodUnavailable" }
  | { error: "konbiniAmount"; minYen: number; maxYen: number }
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

export type ReservationInput = { offeringId: string; units: number; disclosureId: string; paymentMethod: PaymentMethod };

export type Reservation = { ok: true; order: Order; offering: Offering } | ({ ok: false } & Exclude<OrderRefusal, { error: "checkoutFailed" | "stablecoinUnavailable" }>);

/** What reserve_order returns: the reserved order, or a refusal with its details as JSON. */
type ReserveResult = { error?: string; order?: Record<string, unknown>; offering?: Record<string, unknown>; [detail: string]: unknown };

/**
 * Checks every rule, records the order and takes its units from the cap in one call to PostgreSQL
 * (reserve_order, migrations 0022 and 0023): the pay-later method, the offering, onboarding, the disclosure,
 * the purchase limits, the yearly cap per issuer, the residents' window and tranche, then the order
 * row and the one conditional UPDATE of the offering (a CHECK constraint is the backstop). The
 * order's insert counts its yen toward the investor's yearly total, refused past the cap by a
 * trigger. A race lost after the checks costs a second query for the refusal's details.
 */
export async function reserveOrder(buyer: Buyer, input: ReservationInput, now = new Date()): Promise<Reservation> {
  const expires = new Date(now.getTime() + RESERVATION_MS);
  let result: ReserveResult;
  try {
    result = await callReserveOrder(buyer, input, now, expires);
  } catch (error) {
    if (violatesConstraint(error, YEARLY_CAP_CONSTRAINT)) return { ok: false, error: "yearlyCap", remainingYen: await remainingYen(buyer.id, input.offeringId, now) };
    if (violatesConstraint(error, SOLD_OUT_CONSTRAINT)) return { ok: false, error: "soldOut", unitsLeft: await unitsLeftNow(buyer.id, input.offeringId, now) };
    throw error;
  }
  if (!result.error) return { ok: true, order: rowFromJson(orders, result.order!), offering: rowFromJson(offerings, result.offering!) };
  return refusalOf(result, now);
}

/** One statement in its own transaction: a deadlock rolls all of it back, so it is tried again. */
async function callReserveOrder(buyer: Buyer, input: ReservationInput, now: Date, expires: Date, attempt = 1): Promise<ReserveResult> {
  try {
    // postgres.js directly: a prepared statement is one round trip (Bind, Execute) and pipelines on the pool.
    const [row] = await getDb().$client<{ result: ReserveResult }[]>`
      select reserve_order(${buyer.id}, ${input.offeringId}::uuid, ${input.units}::int, ${input.disclosureId}, ${input.paymentMethod},
        ${now.toISOString()}::timestamptz, ${expires.toISOString()}::timestamptz, ${KONBINI_MIN_YEN}::int, ${KONBINI_MAX_YEN}::int) as result`;
    return row!.result;
  } catch (error) {
    if ((error as { code?: string }).code === DEADLOCK_DETECTED && attempt < 3) return callReserveOrder(buyer, input, now, expires, attempt + 1);
    throw error;
  }
}

const DEADLOCK_DETECTED = "40P01";

function refusalOf(result: ReserveResult, now: Date): Exclude<Reservation, { ok: true }> {
  switch (result.error) {
    case "notStarted":
      return { ok: false, error: "notStarted", opensAt: new Date(result.opensAt as string) };
    case "residentsOnly":
      return { ok: false, error: "residentsOnly", until: new Date(result.until as string) };
    case "konbiniAmount":
      return { ok: false, error: "konbiniAmount", minYen: KONBINI_MIN_YEN, maxYen: KONBINI_MAX_YEN };
    case "soldOut": {
      const facts = result.offering!;
      const figures = { ...(facts as Omit<TrancheFacts, "residentsUntil">), residentsUntil: facts.residentsUntil ? new Date(facts.residentsUntil as string) : null };
      return { ok: false, error: "soldOut", unitsLeft: unitsLeftFor(figures, result.resident === true, now) };
    }
    default:
      // The other refusals carry plain JSON details (numbers, the blockers) or none.
      return { ok: false, ...result } as Exclude<Reservation, { ok: true }>;
  }
}

/** The yearly room left with the offering's issuer, read after the trigger refused the order. */
async function remainingYen(userId: string, offeringId: string, now: Date): Promise<number> {
  const [row] = await getDb().execute<{ remaining: number }>(sql`
    select greatest(0, o.yearly_cap_yen_per_investor - coalesce(c.committed_yen, 0))::int as remaining from offerings o
    left join investor_commitments c on c.user_id = ${userId} and c.village_id = o.village_id and c.tokyo_year = ${tokyoYear(now)}
    where o.id = ${offeringId}`);
  return Number(row?.remaining ?? 0);
}

/** The units this buyer could still take, read after the sale ran out under the reservation. */
async function unitsLeftNow(userId: string, offeringId: string, now: Date): Promise<number> {
  const [row] = await getDb()
    .select({
      capUnits: offerings.capUnits,
      reservedUnits: offerings.reservedUnits,
      soldUnits: offerings.soldUnits,
      residentUnits: offerings.residentUnits,
      residentTakenUnits: offerings.residentTakenUnits,
      residentsUntil: offerings.residentsUntil,
      resident: sql<boolean>`is_resident_of(${userId}, ${offerings.villageId})`,
    })
    .from(offerings)
    .where(eq(offerings.id, offeringId));
  return row ? unitsLeftFor(row, row.resident, now) : 0;
}
