import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { toCsv } from "@/lib/register/csv";
import type { Figures } from "./figures";
import { figureLines, headerLines, invariantLines, receiptNotes, reconciliationText, unitOf, type ReportMeta } from "./present";

type Row = (string | number | null)[];

/**
 * One version of the report as CSV for Excel (UTF-8 with BOM): the heading block, then the
 * figures with plain numbers in their own column and the unit beside them, then the projects.
 */
export function reportCsv(f: Figures, meta: ReportMeta, t: Translate, locale: Locale): string {
  const rows: Row[] = [[t("settlement.title")]];
  for (const line of headerLines(f, meta, t, locale)) rows.push([line.label, line.value]);
  rows.push([], [t("settlement.item"), t("settlement.value"), t("settlement.unitColumn")]);
  for (const line of figureLines(f, t)) rows.push([line.label, line.value, unitOf(line.kind, t)]);
  rows.push([], [t("settlement.invariants.title")]);
  for (const line of invariantLines(f, t)) rows.push([line.label, line.result]);
  rows.push([t("settlement.reconciliation.title"), reconciliationText(f, t, locale)]);
  for (const line of receiptNotes(f, t)) rows.push([line]);
  const p = (key: "project" | "budget" | "allocated" | "spent" | "remaining") => t(`settlement.projects.${key}`);
  rows.push([], [t("settlement.projects.title")], [p("project"), p("budget"), p("allocated"), p("spent"), p("remaining")]);
  for (const project of f.projects) rows.push([localized(project, "title", locale), project.budgetYen, project.allocatedYen, project.spentYen, project.remainingYen]);
  rows.push([t("settlement.projects.unallocated"), null, f.unallocatedYen]);
  return toCsv(rows);
}
