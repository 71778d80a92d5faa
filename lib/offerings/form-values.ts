import type { Offering } from "@/db/schema";

/** An offering as the strings its edit form starts from (times as Tokyo `datetime-local`). */
export function offeringFormValues(offering: Offering): Record<string, string> {
  const local = (date: Date) => new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, 16);
  return {
    slug: offering.slug,
    kind: offering.kind,
    nameJa: offering.nameJa,
    nameEn: offering.nameEn,
    descriptionJa: offering.descriptionJa,
    descriptionEn: offering.descriptionEn,
    tokenSymbol: offering.tokenSymbol,
    priceYen: String(offering.priceYen),
    capUnits: String(offering.capUnits),
    minUnitsPerOrder: String(offering.minUnitsPerOrder),
    maxUnitsPerOrder: String(offering.maxUnitsPerOrder),
    yearlyCapYenPerInvestor: String(offering.yearlyCapYenPerInvestor),
    opensAt: local(offering.opensAt),
    closesAt: local(offering.closesAt),
    coolingOffDays: String(offering.coolingOffDays),
    residentUnits: String(offering.residentUnits),
    residentsUntil: offering.residentsUntil ? local(offering.residentsUntil) : "",
  };
}
