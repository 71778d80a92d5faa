import { and, eq, inArray, isNull } from "drizzle-orm";
import { addMonths, isLastDayOfMonth, nextBusinessDay } from "@/lib/bonds/calendar";
import { publishBondDisclosure } from "@/lib/bonds/terms";
import type { MasterKeys } from "@/lib/custody/envelope";
import { approvedTermsOf } from "@/lib/offerings/public-view";
import { tokyoDate } from "@/lib/projects/dates";
import type { Tx } from "./client";
import { bondTerms, issuerPayoutSettings, legalDocuments, offerings } from "./schema";
import { DEMO_BOND_INVESTORS, plusDays, seedBondInvestor, tokyoAt, UNIT_YEN } from "./seed-bond-investors";

export const DEMO_BOND_SLUG = "umibe-disaster-ready-bond";

/**
 * The demo bond's dates, counted back from `now` so its first coupon is always just past: the first
 * coupon date (nominal) eight days ago, interest from some six and a half months before it (a long
 * first period, paid pro rata), five years to maturity, and a sale that ended about seven months ago.
 */
export function demoBondDates(now: Date) {
  const firstCouponDate = plusDays(tokyoDate(now), -8);
  const interestFrom = nextBusinessDay(plusDays(addMonths(firstCouponDate, -6), -14));
  const maturityDate = addMonths(firstCouponDate, 54, isLastDayOfMonth(firstCouponDate));
  return {
    firstCouponDate,
    interestFrom,
    maturityDate,
    createdAt: tokyoAt(plusDays(interestFrom, -45), "14:00"),
    approvedAt: tokyoAt(plusDays(interestFrom, -38), "10:30"),
    opensAt: tokyoAt(plusDays(interestFrom, -28), "09:00"),
    closesAt: tokyoAt(plusDays(interestFrom, -7), "17:00"),
  };
}

type People = { townId: string; authorId: string; approverId: string; masterKeys: MasterKeys };

/**
 * Umibe Town's 5-year municipal bond, sold out to the demo investors (identity approved, custodial
 * wallets, paid orders with their yen in the ledger) and closed, its terms approved by a second staff
 * member and its disclosure generated from them; and the town's payout settings. Only the database:
 * the dev chain deploys the token and allocates the orders at the sale's dates (scripts/lib/demo-history.ts).
 */
export async function seedDemoBond(tx: Tx, people: People, now: Date): Promise<void> {
  const dates = demoBondDates(now);
  const capUnits = DEMO_BOND_INVESTORS.reduce((sum, investor) => sum + investor.units, 0);
  const [offering] = await tx
    .insert(offerings)
    .values({
      villageId: people.townId,
      slug: DEMO_BOND_SLUG,
      kind: "municipal_bond",
      nameJa: "海辺町 防災まちづくり債（5年）",
      nameEn: "Umibe Town Disaster-Ready Bond (5 years)",
      descriptionJa: "住民参加型の町債です。調達した資金は津波避難タワーの建設と、避難路の整備に充てられます。額面1万円から、年2回の利払い、5年後に額面で償還します。",
      descriptionEn:
        "A resident-participation town bond. Proceeds build a tsunami evacuation tower and improve the evacuation routes. From ¥10,000 face value, interest twice a year, repaid at par after five years.",
      tokenSymbol: "UMBD",
      priceYen: UNIT_YEN,
      capUnits,
      soldUnits: capUnits,
      minUnitsPerOrder: 1,
      maxUnitsPerOrder: 100,
      yearlyCapYenPerInvestor: 1_000_000,
      // Residents who buy a town bond often pay at a convenience store or by bank transfer.
      konbiniEnabled: true,
      bankTransferEnabled: true,
      opensAt: dates.opensAt,
      closesAt: dates.closesAt,
      status: "closed",
      termsAuthorId: people.authorId,
      approvedRevision: 1,
      approvedBy: people.approverId,
      approvedAt: dates.approvedAt,
      closedAt: dates.closesAt,
      createdAt: dates.createdAt,
    })
    .returning();
  const [terms] = await tx
    .insert(bondTerms)
    .values({
      offeringId: offering!.id,
      faceValueYen: UNIT_YEN,
      issuePriceYen: UNIT_YEN,
      couponRateBp: 45,
      couponsPerYear: 2,
      interestFrom: dates.interestFrom,
      firstCouponDate: dates.firstCouponDate,
      maturityDate: dates.maturityDate,
      recordDateBusinessDays: 1,
      createdAt: dates.createdAt,
    })
    .returning();
  // As the launch flow's approval leaves it (lib/offerings/launch.ts): the frozen terms and the generated disclosure.
  await tx
    .update(offerings)
    .set({ approvedTerms: approvedTermsOf(offering!, terms!) })
    .where(eq(offerings.id, offering!.id));
  await publishBondDisclosure(tx, people.approverId, offering!.id, 1);
  const [disclosure] = await tx
    .update(legalDocuments)
    .set({ publishedAt: dates.approvedAt })
    .where(and(eq(legalDocuments.offeringId, offering!.id), eq(legalDocuments.kind, "pre_contract")))
    .returning();

  await tx.insert(issuerPayoutSettings).values({
    villageId: people.townId,
    requesterCode: "3900123456",
    requesterNameKana: "ウミベチヨウ",
    bankCode: "0175",
    branchCode: "104",
    accountType: "current",
    accountNumber: "0012345",
    updatedBy: people.authorId,
    updatedAt: dates.approvedAt,
  });

  const onboarding = await tx
    .select({ id: legalDocuments.id })
    .from(legalDocuments)
    .where(and(isNull(legalDocuments.offeringId), inArray(legalDocuments.kind, ["risk_disclosure", "terms"])));
  for (const [i, investor] of DEMO_BOND_INVESTORS.entries()) {
    await seedBondInvestor(tx, {
      investor,
      index: i,
      offeringId: offering!.id,
      disclosureId: disclosure!.id,
      onboardingDocumentIds: onboarding.map((doc) => doc.id),
      reviewerId: people.authorId,
      masterKeys: people.masterKeys,
      dates,
    });
  }
}
