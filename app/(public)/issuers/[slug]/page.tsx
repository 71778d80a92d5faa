import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IssuerLogo } from "@/components/issuers/issuer-logo";
import { OfferingCard } from "@/components/offerings/offering-card";
import { ProjectCard } from "@/components/projects/project-card";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { publicIssuer } from "@/lib/cache/public-reads";

type Props = { params: Promise<{ slug: string }> };

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, found] = await Promise.all([getTranslator(), publicIssuer((await params).slug)]);
  return found ? { title: localized(found.issuer, "name", locale), description: localized(found.issuer, "description", locale) } : {};
}

/** An issuer's public page: who it is, its offerings (drafts never) with their progress, and its published projects. */
export default async function IssuerPage({ params }: Props) {
  const { slug } = await params;
  const [{ locale, t }, found] = await Promise.all([getTranslator(), publicIssuer(slug)]);
  if (!found) notFound();
  const { issuer, logo, offerings, projects } = found;
  const name = localized(issuer, "name", locale);
  return (
    <div className="space-y-12">
      <section className="flex flex-col gap-5 rounded-3xl bg-forest-800 px-6 py-10 text-white sm:flex-row sm:items-center sm:px-10">
        <IssuerLogo logo={logo} name={name} size={96} t={t} />
        <div>
          <p className="text-sm font-medium text-forest-100">
            {t(`issuers.kind.${issuer.kind}`)} · {localized(issuer, "prefecture", locale)}
          </p>
          <h1 className="mt-1 text-3xl font-bold tracking-tight sm:text-4xl">{name}</h1>
          <p className="mt-4 max-w-2xl leading-relaxed text-forest-50">{localized(issuer, "description", locale)}</p>
          {issuer.population ? (
            <p className="mt-4 text-sm text-forest-100" data-testid="issuer-population">
              {t("issuers.population", { count: formatNumber(issuer.population, locale) })}
            </p>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="offerings">
        <h2 id="offerings" className="mb-4 text-xl font-bold">
          {t("issuers.offeringsTitle")}
        </h2>
        {offerings.length === 0 ? <p className="text-stone-600">{t("issuers.noOfferings")}</p> : null}
        <div className="space-y-4">
          {offerings.map((offering) => (
            <OfferingCard key={offering.id} offering={offering} locale={locale} t={t} />
          ))}
        </div>
      </section>

      <section aria-labelledby="projects">
        <h2 id="projects" className="mb-4 text-xl font-bold">
          {t("issuers.projectsTitle")}
        </h2>
        {projects.length === 0 ? <p className="text-stone-600">{t("issuers.noProjects")}</p> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {projects.map(({ project, cover, figures }) => (
            <ProjectCard key={project.id} project={project} cover={cover} figures={figures} locale={locale} t={t} />
          ))}
        </div>
      </section>
    </div>
  );
}
