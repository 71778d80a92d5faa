import { Card } from "@/components/ui/card";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import type { Figures } from "@/lib/settlement/figures";
import { figureLines, formatValue, headerLines, invariantLines, receiptNotes, reconciliationText, type ReportMeta } from "@/lib/settlement/present";

const cell = "border-b border-stone-100 py-2 pr-3 align-top";
const number = `${cell} text-right tabular-nums`;

/** One frozen version of the settlement report: the same lines as its CSV and PDF. */
export function ReportView({ figures, meta, t, locale }: { figures: Figures; meta: ReportMeta; t: Translate; locale: Locale }) {
  const p = (key: "project" | "budget" | "allocated" | "spent" | "remaining") => t(`settlement.projects.${key}`);
  return (
    <div className="space-y-4" data-testid="settlement-report">
      <Card>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          {headerLines(figures, meta, t, locale).map((line) => (
            <div key={line.label} className="contents">
              <dt className="font-medium text-stone-500">{line.label}</dt>
              <dd className="break-all text-stone-900">{line.value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card>
        <h2 className="mb-3 font-bold">{t("settlement.figures")}</h2>
        <table className="w-full text-sm">
          <tbody>
            {figureLines(figures, t).map((line) => (
              <tr key={line.key} className={line.emphasis ? "font-bold" : undefined}>
                <th scope="row" className={`${cell} text-left font-normal`}>
                  {line.label}
                </th>
                <td className={number} data-testid={`settlement-${line.key}`}>
                  {formatValue(line.value, line.kind, t, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-stone-600">{t("settlement.feesNote")}</p>
        {receiptNotes(figures, t).map((line) => (
          <p key={line} className="mt-1 text-xs text-stone-600">
            {line}
          </p>
        ))}
      </Card>
      <Card>
        <h2 className="mb-3 font-bold">{t("settlement.invariants.title")}</h2>
        <ul className="space-y-1 text-sm">
          {invariantLines(figures, t).map((line) => (
            <li key={line.label} className="flex flex-wrap justify-between gap-2">
              <span>{line.label}</span>
              <span className={line.holds === false ? "font-semibold text-red-700" : "font-semibold text-forest-800"}>{line.result}</span>
            </li>
          ))}
        </ul>
        <h2 className="mb-1 mt-4 font-bold">{t("settlement.reconciliation.title")}</h2>
        <p className="text-sm" data-testid="settlement-reconciliation">
          {reconciliationText(figures, t, locale)}
        </p>
      </Card>
      <Card>
        <h2 className="font-bold">{t("settlement.projects.title")}</h2>
        <p className="mb-3 mt-1 text-xs text-stone-600">{t("settlement.projects.lead")}</p>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[36rem] text-sm">
            <thead>
              <tr className="text-xs text-stone-500">
                <th scope="col" className={`${cell} text-left font-medium`}>
                  {p("project")}
                </th>
                {(["budget", "allocated", "spent", "remaining"] as const).map((key) => (
                  <th key={key} scope="col" className={`${number} font-medium`}>
                    {p(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {figures.projects.map((project) => (
                <tr key={project.id}>
                  <th scope="row" className={`${cell} text-left font-normal`}>
                    {localized(project, "title", locale)}
                  </th>
                  <td className={number}>{formatYen(project.budgetYen)}</td>
                  <td className={number}>{formatYen(project.allocatedYen)}</td>
                  <td className={number}>{formatYen(project.spentYen)}</td>
                  <td className={number}>{formatYen(project.remainingYen)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row" className={`${cell} text-left font-normal text-stone-600`}>
                  {t("settlement.projects.unallocated")}
                </th>
                <td className={number} />
                <td className={number}>{formatYen(figures.unallocatedYen)}</td>
                <td className={number} />
                <td className={number} />
              </tr>
            </tbody>
          </table>
        </div>
        {figures.projects.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("settlement.projects.none")}</p> : null}
      </Card>
    </div>
  );
}
