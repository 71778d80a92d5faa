import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { toCsv } from "@/lib/register/csv";
import type { YearStatement } from "./year-statement";

type Section = "purchase" | "refund" | "coupon" | "redemption" | "holding" | "purchaseTotal" | "refundTotal" | "couponTotal" | "redemptionTotal";
type Cells = { date?: string; offering?: string; units?: number; amount?: number; gross?: number; nationalTax?: number; localTax?: number; net?: number; principal?: number };

const COLUMNS = ["date", "offering", "units", "amount", "gross", "nationalTax", "localTax", "net", "principal"] as const;

/**
 * The year's statement as CSV: one header row, then one line per figure with its section in the
 * first column (UTF-8 with BOM, CRLF; text cells that look like formulas are defused by toCsv).
 * Amounts are plain integer yen.
 */
export function yearCsv(statement: YearStatement, t: Translate, locale: Locale): string {
  const name = (row: { nameJa: string; nameEn: string }) => localized(row, "name", locale);
  const line = (section: Section, cells: Cells) => [t(`statements.csv.sections.${section}`), ...COLUMNS.map((column) => cells[column])];
  const { totals } = statement;
  const yearEnd = `${statement.year}-12-31`;
  return toCsv([
    [t("statements.csv.section"), ...COLUMNS.map((column) => t(`statements.csv.${column}`))],
    ...statement.purchases.map((row) => line("purchase", { date: row.date, offering: name(row), units: row.units, amount: row.yen })),
    ...statement.refunds.map((row) => line("refund", { date: row.date, offering: name(row), amount: row.yen })),
    ...statement.coupons.map((row) =>
      line("coupon", { date: row.date, offering: name(row), units: row.units, gross: row.grossYen, nationalTax: row.nationalTaxYen, localTax: row.localTaxYen, net: row.netYen }),
    ),
    ...statement.redemptions.map((row) => line("redemption", { date: row.date, offering: name(row), units: row.units, principal: row.principalYen })),
    ...statement.holdings.map((row) => line("holding", { date: yearEnd, offering: name(row), units: row.units, amount: row.faceValueYen ?? undefined })),
    line("purchaseTotal", { amount: totals.purchasesYen }),
    line("refundTotal", { amount: totals.refundsYen }),
    line("couponTotal", { gross: totals.grossYen, nationalTax: totals.nationalTaxYen, localTax: totals.localTaxYen, net: totals.netYen }),
    line("redemptionTotal", { principal: totals.principalYen }),
  ]);
}

export function statementFileName(year: number, extension: "pdf" | "csv"): string {
  return `statement-${year}.${extension}`;
}
