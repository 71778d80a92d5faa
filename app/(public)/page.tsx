import Link from "next/link";
import { OfferingCard } from "@/components/offerings/offering-card";
import { ProjectCard } from "@/components/projects/project-card";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatNumber } from "@/lib/i18n/format";
import { getVillage, listOpenOfferings } from "@/lib/offerings/queries";
import { listPublishedProjects } from "@/lib/projects/queries";

export default async function HomePage() {
  const [{ locale, t }, village, open, projectRows] = await Promise.all([getTranslator(), getVillage(), listOpenOfferings(), listPublishedProjects()]);
  return (
    <div className="space-y-12">
      {village ? (
        <section className="rounded-3xl bg-forest-800 px-6 py-10 text-white sm:px-10 sm:py-14">
          <p className="text-sm font-medium text-forest-100">{t("home.eyebrow")}</p>
          <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl">
            {localized(village, "name", locale)}
            <span className="ml-3 text-base font-medium text-forest-100">{localized(village, "prefecture", locale)}</span>
          </h1>
          <p className="mt-4 max-w-2xl leading-relaxed text-forest-50">{localized(village, "description", locale)}</p>
          {village.population ? <p className="mt-4 text-sm text-forest-100">{t("home.population", { count: formatNumber(village.population, locale) })}</p> : null}
        </section>
      ) : null}

      <section aria-labelledby="open-offering">
        <h2 id="open-offering" className="mb-4 text-xl font-bold">
          {t("home.openOffering")}
        </h2>
        {open.length === 0 ? (
          <p className="text-stone-600">{t("home.noOpenOffering")}</p>
        ) : (
          <div className="space-y-4">
            {open.map((offering) => (
              <OfferingCard key={offering.id} offering={offering} locale={locale} t={t} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="projects">
        <h2 id="projects" className="text-xl font-bold">
          {t("home.projectsTitle")}
        </h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("home.projectsLead")}</p>
        <div className="grid gap-4 sm:grid-cols-3">
          {projectRows.map(({ project }) => (
            <ProjectCard key={project.id} project={project} locale={locale} t={t} />
          ))}
        </div>
        <Link href="/projects" className="mt-4 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
          {t("home.allProjects")} →
        </Link>
      </section>
    </div>
  );
}
