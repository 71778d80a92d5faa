import Link from "next/link";
import { IssuerCard } from "@/components/issuers/issuer-card";
import { OfferingCard } from "@/components/offerings/offering-card";
import { ProjectCard } from "@/components/projects/project-card";
import { getTranslator } from "@/lib/i18n/server";
import { issuersWithOpenOffering, openOfferings, publishedProjects } from "@/lib/cache/public-reads";

export default async function HomePage() {
  const [{ locale, t }, issuers, open, projectRows] = await Promise.all([getTranslator(), issuersWithOpenOffering(), openOfferings(), publishedProjects()]);
  return (
    <div className="space-y-12">
      <section className="rounded-3xl bg-forest-800 px-6 py-10 text-white sm:px-10 sm:py-14">
        <p className="text-sm font-medium text-forest-100">{t("home.eyebrow")}</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl">{t("issuers.home.heading")}</h1>
        <p className="mt-4 max-w-2xl leading-relaxed text-forest-50">{t("issuers.home.lead")}</p>
      </section>

      <section aria-labelledby="issuers">
        <h2 id="issuers" className="mb-4 text-xl font-bold">
          {t("issuers.home.issuersTitle")}
        </h2>
        {issuers.length === 0 ? <p className="text-stone-600">{t("issuers.home.noIssuers")}</p> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {issuers.map((card) => (
            <IssuerCard key={card.issuer.id} card={card} locale={locale} t={t} />
          ))}
        </div>
        <Link href="/issuers" className="mt-4 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
          {t("issuers.all")} →
        </Link>
      </section>

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
