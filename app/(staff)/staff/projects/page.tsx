import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatYen } from "@/lib/i18n/format";
import { listProjectsForStaff } from "@/lib/projects/admin";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("projectsAdmin.title") };
}

export default async function StaffProjectsPage() {
  const user = await requireRole("staff", "/staff/projects");
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listProjectsForStaff(await issuerIdsOf(user))]);
  return (
    <>
      <PageHeading title={t("projectsAdmin.title")} lead={t("projectsAdmin.lead")} />
      <ButtonLink href="/staff/projects/new" className="mb-6">
        + {t("projectsAdmin.newProject")}
      </ButtonLink>
      {rows.length === 0 ? <p className="text-stone-600">{t("projectsAdmin.empty")}</p> : null}
      <ul className="space-y-3">
        {rows.map(({ project, updates, ...names }) => (
          <li key={project.id}>
            <Card className="flex flex-wrap items-center justify-between gap-3">
              <div className="min-w-0">
                <p className="text-xs text-stone-500">
                  {project.publishedAt ? t("projectsAdmin.state.published", { date: formatDate(project.publishedAt, locale) }) : t("projectsAdmin.state.draft")}
                  {" · "}
                  {t(`projects.status.${project.status}`)}
                  {" · "}
                  {localized(names, "offering", locale)}
                </p>
                <p className="font-semibold">{localized(project, "title", locale)}</p>
                <p className="text-xs text-stone-500">
                  {t("projects.budget")} {formatYen(project.budgetYen)} · {t("projectsAdmin.updateCount", { published: updates.published, total: updates.total })}
                </p>
              </div>
              <Link href={`/staff/projects/${project.id}`} className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700">
                {t("projectsAdmin.open")}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
