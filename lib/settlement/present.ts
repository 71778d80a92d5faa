import type { Locale, MessageKey, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { invariantsOf, type Figures } from "./figures";

/**
 * The report's words and lines in one place, so the page, the CSV and the PDF show the same
 * figures under the same names. No database here: pages and files both use it.
 */

type Kind = "yen" | "units" | "orders" | "holders";
export type FigureLine = { key: string; label: string; value: number | null; kind: Kind; emphasis?: boolean };
export type ReportMeta = { version: number; createdAt: Date; createdBy: string | null };

export function figureLines(f: Figures, t: Translate): FigureLine[] {
  const line = (key: string, value: number | null, kind: Kind, vars?: Record<string, string | number>, emphasis?: boolean): FigureLine => ({
    key,
    label: t(`settlement.rows.${key}` as MessageKey, vars),
    value,
    kind,
    emphasis,
  });
  return [
    line("paidOrders", f.sales.paidOrders, "orders"),
    line("unitsSold", f.sales.unitsSold, "units"),
    line("refundedOrders", f.sales.refundedOrders, "orders"),
    line("unitsRefunded", f.sales.unitsRefunded, "units"),
    line("yenReceived", f.sales.yenReceived, "yen"),
    line("yenRefunded", f.sales.yenRefunded, "yen"),
    line("cardFees", f.fees.feeYen, "yen", { count: f.fees.payments }),
    line("netProceeds", f.netProceedsYen, "yen", undefined, true),
    line("allocatedUnits", f.chain.allocatedUnits, "units"),
    line("clawedBackUnits", f.chain.clawedBackUnits, "units"),
    line("redeemedUnits", f.chain.redeemedUnits ?? 0, "units"),
    line("totalSupply", f.chain.totalSupply, "units"),
    line("unitsAwaitingAllocation", f.sales.unitsAwaitingAllocation, "units"),
    line("holders", f.chain.holders, "holders"),
  ];
}

export function formatValue(value: number | null, kind: Kind, t: Translate, locale: Locale): string {
  if (value === null) return "—";
  if (kind === "yen") return formatYen(value);
  if (kind === "units") return t("settlement.units", { count: formatNumber(value, locale) });
  return formatNumber(value, locale);
}

/** The unit of a CSV value column: the number stays a plain number for the spreadsheet. */
export function unitOf(kind: Kind, t: Translate): string {
  return t(`settlement.unit.${kind}`);
}

/** Who and what the report is about: the heading block of every format. */
export function headerLines(f: Figures, meta: ReportMeta, t: Translate, locale: Locale): { label: string; value: string }[] {
  const o = f.offering;
  return [
    { label: t("settlement.issuer"), value: t("settlement.issuerValue", { name: localized(f.issuer, "name", locale), prefecture: localized(f.issuer, "prefecture", locale) }) },
    { label: t("settlement.offering"), value: `${localized(o, "name", locale)} (${o.tokenSymbol})` },
    { label: t("settlement.period"), value: `${formatDateTime(new Date(o.opensAt), locale)} – ${formatDateTime(new Date(o.closesAt), locale)}` },
    { label: t("settlement.closedAt"), value: o.closedAt ? formatDateTime(new Date(o.closedAt), locale) : "—" },
    { label: t("settlement.terms"), value: t("settlement.termsValue", { price: formatYen(o.priceYen), cap: formatNumber(o.capUnits, locale) }) },
    { label: t("settlement.token"), value: o.tokenAddress ? t("settlement.tokenValue", { address: o.tokenAddress, chainId: o.chainId ?? "—" }) : t("settlement.noToken") },
    { label: t("settlement.version"), value: t("settlement.versionValue", { version: meta.version }) },
    { label: t("settlement.madeAt"), value: formatDateTime(meta.createdAt, locale) },
    { label: t("settlement.madeBy"), value: f.preparedBy ?? meta.createdBy ?? t("settlement.system") },
  ];
}

/** Notes under the fees: receipts without a card record, and yen paid in JPYC straight to the issuer. */
export function receiptNotes(f: Figures, t: Translate): string[] {
  const notes: string[] = [];
  if (f.fees.withoutProcessorRecord > 0) notes.push(t("settlement.withoutProcessor", { count: f.fees.withoutProcessorRecord }));
  if ((f.sales.yenReceivedInStablecoin ?? 0) > 0) notes.push(t("settlement.paidInStablecoin", { amount: formatYen(f.sales.yenReceivedInStablecoin!) }));
  return notes;
}

export function reconciliationText(f: Figures, t: Translate, locale: Locale): string {
  const r = f.chain.reconciliation;
  const n = (value: number | null) => (value === null ? "—" : formatNumber(value, locale));
  return t(`settlement.reconciliation.${r.status}`, { holders: n(r.holdersChecked), mismatches: n(r.mismatches), chain: n(r.supplyChain), db: n(r.supplyDb), error: r.error ?? "" });
}

/** DESIGN.md's invariants 4 and 3/8 as they held in the frozen figures. */
export function invariantLines(f: Figures, t: Translate): { label: string; result: string; holds: boolean | null }[] {
  const held = invariantsOf(f);
  const result = (holds: boolean | null) => t(holds === null ? "settlement.invariants.noChain" : holds ? "settlement.invariants.holds" : "settlement.invariants.differs");
  return [
    { label: t("settlement.invariants.yen"), result: result(held.yenMatchesOrders), holds: held.yenMatchesOrders },
    { label: t("settlement.invariants.supply"), result: result(held.supplyMatchesLedger), holds: held.supplyMatchesLedger },
  ];
}

export function fileName(f: Figures, version: number, extension: "csv" | "pdf", locale: Locale): string {
  return `settlement-${f.offering.slug}-v${version}${extension === "pdf" ? `-${locale}` : ""}.${extension}`;
}
