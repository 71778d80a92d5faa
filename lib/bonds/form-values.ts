import type { BondTerms } from "@/db/schema";
import { percentOfBp } from "./term-sheet";

/** The bond fields' starting values: a bond's saved terms, or the usual defaults (¥10,000 face, semiannual, 1 business day). */
export function bondFormValues(terms: BondTerms | null): Record<string, string> {
  if (!terms) return { bondFaceValueYen: "10000", bondCouponsPerYear: "2", bondRecordDateBusinessDays: "1" };
  return {
    bondFaceValueYen: String(terms.faceValueYen),
    bondCouponRate: percentOfBp(terms.couponRateBp),
    bondCouponsPerYear: String(terms.couponsPerYear),
    bondInterestFrom: terms.interestFrom,
    bondFirstCouponDate: terms.firstCouponDate,
    bondMaturityDate: terms.maturityDate,
    bondRecordDateBusinessDays: String(terms.recordDateBusinessDays),
  };
}
