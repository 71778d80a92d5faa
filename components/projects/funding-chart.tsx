import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDate, formatYen } from "@/lib/i18n/format";
import type { ChartPoint } from "@/lib/projects/funding";

const W = 600;
const H = 200;

/** Funded and spent over time against the budget, drawn on the server as an SVG step chart. */
export function FundingChart({ points, budgetYen, locale, t }: { points: ChartPoint[]; budgetYen: number; locale: Locale; t: Translate }) {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const t0 = first.at.getTime();
  const span = Math.max(last.at.getTime() - t0, 1);
  const top = Math.max(budgetYen, ...points.map((point) => Math.max(point.fundedYen, point.spentYen)), 1) * 1.08;
  const x = (at: Date) => ((at.getTime() - t0) / span) * W;
  const y = (yen: number) => H - (yen / top) * H;
  const path = (value: (point: ChartPoint) => number) =>
    points.map((point, i) => (i === 0 ? `M0 ${y(value(point)).toFixed(1)}` : `H${x(point.at).toFixed(1)} V${y(value(point)).toFixed(1)}`)).join(" ");
  const latest = last;
  const description = t("projectPage.chartDescription", {
    start: formatDate(first.at, locale),
    end: formatDate(last.at, locale),
    funded: formatYen(latest.fundedYen),
    spent: formatYen(latest.spentYen),
    budget: formatYen(budgetYen),
  });
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold">{t("projectPage.chartTitle")}</figcaption>
      <div className="relative">
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={description}
          className="h-40 w-full overflow-visible rounded-lg bg-stone-50 sm:h-48"
          data-testid="funding-chart"
        >
          <line x1="0" x2={W} y1={y(budgetYen)} y2={y(budgetYen)} className="stroke-stone-400" strokeDasharray="6 4" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
          <path d={path((point) => point.fundedYen)} fill="none" className="stroke-forest-600" strokeWidth="2.5" vectorEffect="non-scaling-stroke" />
          <path d={path((point) => point.spentYen)} fill="none" className="stroke-amber-500" strokeWidth="2.5" vectorEffect="non-scaling-stroke" />
        </svg>
        <span className="pointer-events-none absolute right-1 text-[10px] text-stone-500" style={{ top: `calc(${(y(budgetYen) / H) * 100}% - 1rem)` }}>
          {t("projectPage.budget")} {formatYen(budgetYen)}
        </span>
      </div>
      <div className="flex justify-between text-xs text-stone-500">
        <span>{formatDate(first.at, locale)}</span>
        <span>{formatDate(last.at, locale)}</span>
      </div>
      <ul className="flex flex-wrap gap-4 text-xs text-stone-600">
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="h-0.5 w-5 bg-forest-600" />
          {t("projectPage.funded")}
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="h-0.5 w-5 bg-amber-500" />
          {t("projectPage.spent")}
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="w-5 border-t-2 border-dashed border-stone-400" />
          {t("projectPage.budget")}
        </li>
      </ul>
    </figure>
  );
}
