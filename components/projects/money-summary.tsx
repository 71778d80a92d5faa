import { Stat } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { Translate } from "@/lib/i18n/catalog";
import { formatYen, percentOf } from "@/lib/i18n/format";
import type { ProjectFigures } from "@/lib/projects/queries";

/** Budget vs funded vs spent, as figures and two bars against the budget. */
export function MoneySummary({ figures, t, compact = false }: { figures: ProjectFigures; t: Translate; compact?: boolean }) {
  const funded = percentOf(figures.fundedYen, figures.budgetYen);
  const spent = percentOf(figures.spentYen, figures.budgetYen);
  return (
    <div className="space-y-3">
      {compact ? null : (
        <dl className="grid grid-cols-3 gap-3">
          <Stat label={t("projectPage.budget")} value={formatYen(figures.budgetYen)} testId="project-budget" />
          <Stat label={t("projectPage.funded")} value={formatYen(figures.fundedYen)} testId="project-funded" />
          <Stat label={t("projectPage.spent")} value={formatYen(figures.spentYen)} testId="project-spent" />
        </dl>
      )}
      <div>
        <p className="mb-1 text-xs font-medium text-forest-700">{t("projectPage.fundedLabel", { percent: funded })}</p>
        <ProgressBar percent={funded} label={t("projectPage.funded")} />
      </div>
      <div>
        <p className="mb-1 text-xs font-medium text-amber-800">{t("projectPage.spentLabel", { percent: spent })}</p>
        <div className="[&_[role=progressbar]>div]:bg-amber-500">
          <ProgressBar percent={spent} label={t("projectPage.spent")} />
        </div>
      </div>
    </div>
  );
}
