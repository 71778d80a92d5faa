import type { BondTerms } from "@/db/schema";
import { addMonths, businessDaysBefore, dayNumber, HOLIDAYS_KNOWN_UNTIL, isLastDayOfMonth, nextBusinessDay, type IsoDate } from "./calendar";

/**
 * The payment schedule of a bond, from its terms alone (no database: the form, the term sheet and
 * the coupon run share it). Money is exact: a coupon per unit is a fraction of yen, and a holder's
 * yen come from it by ONE rounding rule (grossForUnits).
 */

export type ScheduleTerms = Pick<BondTerms, "faceValueYen" | "couponRateBp" | "couponsPerYear" | "interestFrom" | "firstCouponDate" | "maturityDate" | "recordDateBusinessDays">;

/** An exact amount of yen: num / den, reduced, den > 0. */
export type Ratio = { num: bigint; den: bigint };

export type BondPayment = {
  /** 1 for the first coupon. */
  number: number;
  /** The date by the terms, before any business-day move; accrual runs to it. */
  nominalDate: IsoDate;
  /** The nominal date moved to the next bank business day. */
  paymentDate: IsoDate;
  /** Holders at the end of this day are paid. */
  recordDate: IsoDate;
  accrualFrom: IsoDate;
  accrualDays: number;
  /** "regular" for a full period; a first period of another length is paid pro rata (actual days / 365). */
  period: "regular" | "short" | "long";
  couponPerUnit: Ratio;
  /** The face value on the maturity date, 0 before. */
  principalPerUnit: number;
};

const MAX_PAYMENTS = 12 * 40;

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

function ratio(num: bigint, den: bigint): Ratio {
  const divisor = gcd(num, den) || 1n;
  return { num: num / divisor, den: den / divisor };
}

const monthsBetween = (terms: Pick<ScheduleTerms, "couponsPerYear">) => 12 / terms.couponsPerYear;

/** A first coupon on a month's last day keeps every later coupon on month ends (8/31 → 2/28 or 2/29 → 8/31). */
const endOfMonth = (terms: Pick<ScheduleTerms, "firstCouponDate">) => isLastDayOfMonth(terms.firstCouponDate);

/** Nominal date k (0 = the first coupon), always counted from the first coupon so month ends never drift. */
const nominal = (terms: Pick<ScheduleTerms, "firstCouponDate" | "couponsPerYear">, k: number) => addMonths(terms.firstCouponDate, k * monthsBetween(terms), endOfMonth(terms));

type ScheduleProblem = "frequency" | "maturityOffSchedule" | "firstPeriodTooLong" | "beyondCalendar";

/** Why these terms give no valid schedule, or null. */
export function scheduleProblem(terms: Omit<ScheduleTerms, "faceValueYen" | "couponRateBp" | "recordDateBusinessDays">): ScheduleProblem | null {
  if (![1, 2, 4, 12].includes(terms.couponsPerYear)) return "frequency";
  if (terms.maturityDate > HOLIDAYS_KNOWN_UNTIL) return "beyondCalendar";
  // A first period up to two regular periods long (a long first coupon); longer ones are not this instrument.
  if (terms.interestFrom < nominal(terms, -2)) return "firstPeriodTooLong";
  for (let k = 0; k < MAX_PAYMENTS; k += 1) {
    const date = nominal(terms, k);
    if (date === terms.maturityDate) return null;
    if (date > terms.maturityDate) return "maturityOffSchedule";
  }
  return "maturityOffSchedule";
}

/** Every payment from the first coupon to maturity (the last coupon is paid with the principal). */
export function bondSchedule(terms: ScheduleTerms): BondPayment[] {
  const problem = scheduleProblem(terms);
  if (problem) throw new Error(`bond schedule: ${problem}`);
  const face = BigInt(terms.faceValueYen);
  const rate = BigInt(terms.couponRateBp);
  const regularStart = nominal(terms, -1);
  const payments: BondPayment[] = [];
  let accrualFrom = terms.interestFrom;
  for (let k = 0; ; k += 1) {
    const nominalDate = nominal(terms, k);
    const accrualDays = dayNumber(nominalDate) - dayNumber(accrualFrom);
    const period = k > 0 || accrualFrom === regularStart ? "regular" : accrualFrom > regularStart ? "short" : "long";
    // Full period: face × rate ÷ frequency; an odd first period: face × rate × days ÷ 365.
    const couponPerUnit = period === "regular" ? ratio(face * rate, 10_000n * BigInt(terms.couponsPerYear)) : ratio(face * rate * BigInt(accrualDays), 10_000n * 365n);
    const paymentDate = nextBusinessDay(nominalDate);
    const last = nominalDate === terms.maturityDate;
    payments.push({
      number: k + 1,
      nominalDate,
      paymentDate,
      recordDate: businessDaysBefore(paymentDate, terms.recordDateBusinessDays),
      accrualFrom,
      accrualDays,
      period,
      couponPerUnit,
      principalPerUnit: last ? terms.faceValueYen : 0,
    });
    if (last) return payments;
    accrualFrom = nominalDate;
  }
}

/**
 * The rounding rule (printed on the term sheet, used by the coupon run): a holder's gross interest
 * for a payment is the exact coupon per unit × the holder's total units, floored to the yen.
 */
export function grossForUnits(payment: Pick<BondPayment, "couponPerUnit">, units: number | bigint): number {
  const exact = (BigInt(units) * payment.couponPerUnit.num) / payment.couponPerUnit.den;
  const yen = Number(exact);
  if (!Number.isSafeInteger(yen)) throw new Error("coupon amount out of range");
  return yen;
}

/** Yen as an exact decimal; one that does not end within `digits` decimals shows its fraction too ("13.315068… (972/73)"). */
export function formatExactYen(amount: Ratio, digits = 6): string {
  const whole = amount.num / amount.den;
  let rest = amount.num % amount.den;
  let decimals = "";
  while (rest !== 0n && decimals.length < digits) {
    rest *= 10n;
    decimals += String(rest / amount.den);
    rest %= amount.den;
  }
  const grouped = whole.toLocaleString("en-US");
  if (!decimals) return grouped;
  return rest === 0n ? `${grouped}.${decimals}` : `${grouped}.${decimals}… (${amount.num}/${amount.den})`;
}
