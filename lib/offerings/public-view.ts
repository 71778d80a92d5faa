import type { ApprovedTerms, BondTerms, Offering } from "@/db/schema";

/**
 * What the public reads of an offering is what a second staff member approved. Approval freezes a
 * copy of the public terms on the offering; while a later revision awaits approval, every public
 * reader (pages and /api/v1) shows that copy instead of the edited columns. Staff pages read the
 * columns themselves.
 */

type FrozenBond = Omit<BondTerms, "offeringId" | "createdAt">;
type ViewFacts = Pick<Offering, "approvedRevision" | "termsRevision" | "approvedTerms">;

/** The copy to freeze on approval: the offering's public terms and its bond's terms (null for other kinds). */
export function approvedTermsOf(offering: Offering, bond: BondTerms | null): ApprovedTerms {
  const frozenBond: FrozenBond | null = bond
    ? {
        faceValueYen: bond.faceValueYen,
        issuePriceYen: bond.issuePriceYen,
        couponRateBp: bond.couponRateBp,
        couponsPerYear: bond.couponsPerYear,
        interestFrom: bond.interestFrom,
        firstCouponDate: bond.firstCouponDate,
        maturityDate: bond.maturityDate,
        recordDateBusinessDays: bond.recordDateBusinessDays,
      }
    : null;
  return {
    revision: offering.termsRevision,
    kind: offering.kind,
    nameJa: offering.nameJa,
    nameEn: offering.nameEn,
    descriptionJa: offering.descriptionJa,
    descriptionEn: offering.descriptionEn,
    tokenSymbol: offering.tokenSymbol,
    priceYen: offering.priceYen,
    capUnits: offering.capUnits,
    minUnitsPerOrder: offering.minUnitsPerOrder,
    maxUnitsPerOrder: offering.maxUnitsPerOrder,
    yearlyCapYenPerInvestor: offering.yearlyCapYenPerInvestor,
    opensAt: offering.opensAt.toISOString(),
    closesAt: offering.closesAt.toISOString(),
    coolingOffDays: offering.coolingOffDays,
    residentUnits: offering.residentUnits,
    residentsUntil: offering.residentsUntil?.toISOString() ?? null,
    bond: frozenBond,
  };
}

/** The frozen copy when the current revision is not the approved one; null when the columns are the approved terms. */
function standingCopy(offering: ViewFacts): ApprovedTerms | null {
  if (offering.approvedRevision === offering.termsRevision) return null;
  return offering.approvedTerms ?? null;
}

/** The offering as the public may see it: the approved terms over the current columns. */
export function publicView<T extends Offering>(offering: T): T {
  const copy = standingCopy(offering);
  if (!copy) return offering;
  const { revision: _revision, bond: _bond, opensAt, closesAt, coolingOffDays = 8, residentUnits = 0, residentsUntil = null, ...terms } = copy;
  return {
    ...offering,
    ...terms,
    opensAt: new Date(opensAt),
    closesAt: new Date(closesAt),
    coolingOffDays,
    residentUnits,
    residentsUntil: residentsUntil ? new Date(residentsUntil) : null,
  };
}

/** A bond's approved terms for the public term sheet; undefined when the current bond terms are the approved ones. */
export function approvedBondOf(offering: ViewFacts & Pick<Offering, "id" | "approvedAt">): BondTerms | null | undefined {
  const copy = standingCopy(offering);
  if (!copy) return undefined;
  const bond = copy.bond as FrozenBond | null;
  return bond ? { ...bond, offeringId: offering.id, createdAt: offering.approvedAt ?? new Date(0) } : null;
}
