import type { Metadata } from "next";
import { ProjectCard } from "@/components/projects/project-card";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";
import { listPublishedProjects } from "@/lib/projects/queries";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("projects.title") };
}

export default async function ProjectsPage() {
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listPublishedProjects()]);
  return (
    <>
      <PageHeading title={t("projects.title")} lead={t("projects.lead")} />
      <div className="grid gap-4 sm:grid-cols-2">
        {rows.map(({ project }) => (
          <ProjectCard key={project.id} project={project} locale={locale} t={t} />
        ))}
      </div>
    </>
  );
}
