import Link from "next/link";
import type { projects } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";

type Project = typeof projects.$inferSelect;

export function ProjectCard({ project, locale, t }: { project: Project; locale: Locale; t: Translate }) {
  return (
    <Link href={`/projects/${project.slug}`} className="group block rounded-2xl border border-stone-200 bg-white p-5 shadow-sm transition hover:border-forest-600">
      <span className="text-xs font-semibold text-forest-700">{t(`projects.status.${project.status}`)}</span>
      <h3 className="mt-1 font-bold text-stone-900 group-hover:text-forest-700">{locale === "ja" ? project.titleJa : project.titleEn}</h3>
      <p className="mt-2 text-sm text-stone-600">{locale === "ja" ? project.summaryJa : project.summaryEn}</p>
      <p className="mt-3 text-sm text-stone-500">
        {t("projects.budget")} <span className="font-semibold tabular-nums text-stone-800">{formatYen(project.budgetYen)}</span>
      </p>
    </Link>
  );
}
