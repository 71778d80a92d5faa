import Link from "next/link";
import { HydrateLater } from "@/components/ui/hydrate-later";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { formatYen } from "@/lib/i18n/format";
import type { ProjectFigures } from "@/lib/projects/queries";
import { MoneySummary } from "./money-summary";

type CardProject = { slug: string; status: "planned" | "in_progress" | "done"; titleJa: string; titleEn: string; summaryJa: string; summaryEn: string; budgetYen: number };

export function ProjectCard({
  project,
  locale,
  t,
  cover,
  figures,
}: {
  project: CardProject;
  locale: Locale;
  t: Translate;
  cover?: { id: string; width: number; height: number } | null;
  figures?: ProjectFigures;
}) {
  const title = localized(project, "title", locale);
  return (
    <HydrateLater>
      <Link href={`/projects/${project.slug}`} prefetch={false} className="group block overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm transition hover:border-forest-600">
        {cover ? (
          // eslint-disable-next-line @next/next/no-img-element -- served by our own route with its real size
          <img src={`/api/images/${cover.id}`} width={cover.width} height={cover.height} alt="" loading="lazy" decoding="async" className="aspect-[16/9] h-auto w-full bg-stone-100 object-cover" />
        ) : null}
        <div className="p-5">
          <span className="text-xs font-semibold text-forest-700">{t(`projects.status.${project.status}`)}</span>
          <h3 className="mt-1 font-bold text-stone-900 group-hover:text-forest-700">{title}</h3>
          <p className="mt-2 text-sm text-stone-600">{localized(project, "summary", locale)}</p>
          <p className="mt-3 text-sm text-stone-500">
            {t("projects.budget")} <span className="font-semibold tabular-nums text-stone-800">{formatYen(project.budgetYen)}</span>
          </p>
          {figures ? (
            <div className="mt-3">
              <MoneySummary figures={figures} t={t} compact />
            </div>
          ) : null}
        </div>
      </Link>
    </HydrateLater>
  );
}
