/** Pure purchase rules, checked before any reservation; each refusal says what applies. */

export type OfferingTerms = {
  status: "draft" | "open" | "paused" | "closed";
  opensAt: Date;
  closesAt: Date;
  priceYen: number;
  minUnitsPerOrder: number;
  maxUnitsPerOrder: number;
  yearlyCapYenPerInvestor: number;
};

export type PurchaseRefusal =
  | { error: "notOpen" }
  | { error: "notStarted"; opensAt: Date }
  | { error: "ended" }
  | { error: "belowMin"; min: number }
  | { error: "aboveMax"; max: number }
  | { error: "yearlyCap"; remainingYen: number };

export function checkPurchase(terms: OfferingTerms, units: number, spentThisYearYen: number, now: Date): PurchaseRefusal | null {
  if (terms.status !== "open") return { error: "notOpen" };
  if (now < terms.opensAt) return { error: "notStarted", opensAt: terms.opensAt };
  if (now >= terms.closesAt) return { error: "ended" };
  if (units < terms.minUnitsPerOrder) return { error: "belowMin", min: terms.minUnitsPerOrder };
  if (units > terms.maxUnitsPerOrder) return { error: "aboveMax", max: terms.maxUnitsPerOrder };
  const remainingYen = Math.max(0, terms.yearlyCapYenPerInvestor - spentThisYearYen);
  if (units * terms.priceYen > remainingYen) return { error: "yearlyCap", remainingYen };
  return null;
}

/** Name of the database rule (a trigger on orders) that refuses yen past the yearly cap. */
export const YEARLY_CAP_CONSTRAINT = "investor_yearly_cap";

/** The calendar year in Tokyo that `at` falls in (Tokyo has no daylight saving). */
export function tokyoYear(at: Date): number {
  return new Date(at.getTime() + 9 * 3600_000).getUTCFullYear();
}
