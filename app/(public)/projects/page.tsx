import type { Metadata } from "next";
import { ProjectCard } from "@/components/projects/project-card";
import { PageHeading } from "@/components/ui/card";
import { publishedProjects } from "@/lib/cache/public-reads";
import { getTranslator } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { locale, t } = await getTranslator();
  return { title: t("projects.title"), alternates: { types: { "application/atom+xml": `/feed.xml${locale === "en" ? "?lang=en" : ""}` } } };
}

export default async function ProjectsPage() {
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), publishedProjects()]);
  return (
    <>
      <PageHeading title={t("projects.title")} lead={t("projects.lead")} />
      <div className="grid gap-4 sm:grid-cols-2">
        {rows.map(({ project, cover, figures }) => (
          <ProjectCard key={project.id} project={project} cover={cover} figures={figures} locale={locale} t={t} />
        ))}
      </div>
      <a href={`/feed.xml${locale === "en" ? "?lang=en" : ""}`} className="mt-6 inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        {t("projectPage.feed")}
      </a>
    </>
  );
}
