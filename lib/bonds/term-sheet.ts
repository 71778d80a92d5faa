import type { BondTerms } from "@/db/schema";
import type { Translate } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { bondSchedule, formatExactYen } from "./schedule";

/** Basis points as a percent with two decimals (45 → "0.45"). */
export const percentOfBp = (bp: number) => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")}`;

const frequencyKey = (n: number) => `bonds.form.frequency.${String(n) as "1" | "2" | "4" | "12"}` as const;

type SheetFacts = { name: string; issuer: string; terms: BondTerms };

/**
 * The term sheet (発行要項) as label/value rows, in the reader's language: the public page shows it
 * and the pre-contract disclosure is written from it, so both say the same.
 */
export function termSheetRows(t: Translate, { name, issuer, terms }: SheetFacts): [string, string][] {
  return [
    [t("bonds.sheet.issuer"), issuer],
    [t("bonds.sheet.name"), name],
    [t("bonds.sheet.faceValue"), formatYen(terms.faceValueYen)],
    [t("bonds.sheet.issuePrice"), formatYen(terms.issuePriceYen)],
    [t("bonds.sheet.couponRate"), t("bonds.sheet.perYear", { rate: percentOfBp(terms.couponRateBp) })],
    [t("bonds.sheet.frequency"), t(frequencyKey(terms.couponsPerYear))],
    [t("bonds.sheet.interestFrom"), terms.interestFrom],
    [t("bonds.sheet.firstCoupon"), terms.firstCouponDate],
    [t("bonds.sheet.maturity"), terms.maturityDate],
    [t("bonds.sheet.redemption"), t("bonds.sheet.redemptionText")],
    [t("bonds.sheet.paymentDates"), t("bonds.sheet.paymentDatesText")],
    [t("bonds.sheet.recordDate"), t("bonds.sheet.recordDateText", { days: terms.recordDateBusinessDays })],
    [t("bonds.sheet.firstPeriod"), t("bonds.sheet.firstPeriodText")],
    [t("bonds.sheet.rounding"), t("bonds.sheet.roundingText")],
    [t("bonds.sheet.tax"), t("bonds.sheet.taxText")],
  ];
}

/** The schedule as display strings: interest per unit as its exact decimal. */
export function scheduleRows(terms: BondTerms) {
  return bondSchedule(terms).map((payment) => ({
    number: payment.number,
    nominalDate: payment.nominalDate,
    paymentDate: payment.paymentDate,
    recordDate: payment.recordDate,
    interest: formatExactYen(payment.couponPerUnit),
    principal: payment.principalPerUnit ? payment.principalPerUnit.toLocaleString("en-US") : "",
  }));
}

/** The pre-contract disclosure's title and body in one language, written from the term sheet and schedule. */
export function disclosureText(t: Translate, facts: SheetFacts): { title: string; body: string } {
  const sheet = termSheetRows(t, facts).map(([label, value]) => `${label}: ${value}`);
  const schedule = scheduleRows(facts.terms).map((row) =>
    t("bonds.disclosure.row", {
      number: row.number,
      nominal: row.nominalDate,
      payment: row.paymentDate,
      record: row.recordDate,
      interest: row.interest,
      principal: row.principal ? t("bonds.disclosure.principal", { amount: row.principal }) : "",
    }),
  );
  return {
    title: t("bonds.disclosure.title", { name: facts.name }),
    body: [t("bonds.disclosure.intro", { name: facts.name, issuer: facts.issuer }), "", ...sheet, "", t("bonds.disclosure.scheduleHeading"), ...schedule].join("\n"),
  };
}
