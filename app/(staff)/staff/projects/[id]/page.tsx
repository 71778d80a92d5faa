import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SpendingList } from "@/components/projects/spending-list";
import { ProjectForm } from "@/components/staff/project-form";
import { SpendingForm } from "@/components/staff/spending-form";
import { StatusButton } from "@/components/staff/status-button";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDate, formatYen } from "@/lib/i18n/format";
import { getProjectForStaff, listOfferingOptions } from "@/lib/projects/admin";
import { tokyoDate } from "@/lib/projects/dates";
import { PROJECT_STATUSES } from "@/lib/projects/schemas";
import { recordSpendingAction, removeSpendingAction, saveProjectAction, setProjectPublishedAction } from "../actions";

export default async function StaffProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/projects/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const issuerIds = await issuerIdsOf(user);
  const [{ locale, t }, found, offerings] = await Promise.all([getTranslator(), getProjectForStaff(id, issuerIds), listOfferingOptions(issuerIds)]);
  if (!found) notFound();
  const { project, cover, updates, spending, spentYen } = found;
  const m = messagesFor(locale);
  const published = project.publishedAt !== null;
  return (
    <>
      <Link href="/staff/projects" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("projectsAdmin.back")}
      </Link>
      <PageHeading
        title={localized(project, "title", locale)}
        lead={published ? t("projectsAdmin.state.published", { date: formatDate(project.publishedAt!, locale) }) : t("projectsAdmin.state.draft")}
      />
      <div className="mb-6 flex flex-wrap items-center gap-4">
        <StatusButton
          key="publish"
          action={setProjectPublishedAction}
          label={published ? t("projectsAdmin.unpublish") : t("projectsAdmin.publish")}
          fields={{ projectId: project.id, publish: String(!published) }}
          variant={published ? "quiet" : "primary"}
          testId="project-publish-status"
        />
        {published ? (
          <Link href={`/projects/${project.slug}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
            {t("projectsAdmin.viewPublic")} →
          </Link>
        ) : null}
      </div>

      <section aria-labelledby="updates" className="mb-8">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="updates" className="text-xl font-bold">
            {t("projectsAdmin.updates.title")}
          </h2>
          <ButtonLink href={`/staff/projects/${project.id}/updates/new`}>+ {t("projectsAdmin.updates.new")}</ButtonLink>
        </div>
        {updates.length === 0 ? <p className="text-stone-600">{t("projectsAdmin.updates.empty")}</p> : null}
        <ul className="divide-y divide-stone-200 rounded-2xl border border-stone-200 bg-white">
          {updates.map((update) => (
            <li key={update.id}>
              <Link href={`/staff/projects/${project.id}/updates/${update.id}`} className="flex min-h-11 flex-wrap items-center justify-between gap-2 px-4 py-3 hover:bg-stone-50">
                <span className="font-medium">{localized(update, "title", locale)}</span>
                <span className="text-xs text-stone-500">
                  {update.publishedAt ? `${t("projectsAdmin.updates.published")} ${formatDate(update.publishedAt, locale)}` : t("projectsAdmin.updates.draft")}
                  {update.revision > 1 ? ` · ${t("projectsAdmin.updates.revision", { revision: update.revision })}` : ""}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="spending" className="mb-8">
        <h2 id="spending" className="text-xl font-bold">
          {t("projectsAdmin.spending.title")}
        </h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("projectsAdmin.spending.lead")}</p>
        <Card className="space-y-6">
          <dl className="grid grid-cols-3 gap-3">
            <Stat label={t("projectPage.budget")} value={formatYen(project.budgetYen)} />
            <Stat label={t("projectsAdmin.spending.total")} value={formatYen(spentYen)} testId="staff-spent-total" />
            <Stat label={t("projectsAdmin.spending.remaining")} value={formatYen(project.budgetYen - spentYen)} />
          </dl>
          <SpendingForm action={recordSpendingAction} projectId={project.id} today={tokyoDate(new Date())} m={m.projectsAdmin} />
          <SpendingList
            entries={spending.map((entry) => ({ ...entry, hasReceipt: entry.receiptImageId !== null }))}
            totalYen={spentYen}
            locale={locale}
            t={t}
            extra={(entry) => (
              <div className="flex flex-wrap items-center gap-3">
                {entry.receiptImageId ? (
                  <a href={`/api/images/${entry.receiptImageId}`} target="_blank" rel="noopener" className="text-sm text-forest-700 hover:underline">
                    {t("projectsAdmin.spending.receiptLink")}
                  </a>
                ) : null}
                <StatusButton action={removeSpendingAction} label={t("projectsAdmin.spending.remove")} fields={{ spendingId: entry.id }} variant="quiet" />
              </div>
            )}
          />
        </Card>
      </section>

      <section aria-labelledby="edit">
        <h2 id="edit" className="mb-3 text-xl font-bold">
          {t("projectsAdmin.editProject")}
        </h2>
        <Card>
          {cover ? (
            <figure className="mb-4">
              {/* eslint-disable-next-line @next/next/no-img-element -- our own image route */}
              <img src={`/api/images/${cover.id}`} alt={t("projectsAdmin.fields.coverCurrent")} className="max-h-48 rounded-lg border border-stone-200" />
              <figcaption className="mt-1 text-xs text-stone-500">{t("projectsAdmin.fields.coverCurrent")}</figcaption>
            </figure>
          ) : null}
          <ProjectForm
            action={saveProjectAction}
            initial={{
              projectId: project.id,
              slug: project.slug,
              titleJa: project.titleJa,
              titleEn: project.titleEn,
              summaryJa: project.summaryJa,
              summaryEn: project.summaryEn,
              bodyJa: project.bodyJa,
              bodyEn: project.bodyEn,
              budgetYen: String(project.budgetYen),
              status: project.status,
              offeringId: project.offeringId,
            }}
            offerings={offerings.map((offering) => ({ value: offering.id, label: localized(offering, "name", locale) }))}
            statuses={PROJECT_STATUSES.map((status) => ({ value: status, label: t(`projects.status.${status}`) }))}
            slugLocked={published}
            m={m.projectsAdmin}
          />
        </Card>
      </section>
    </>
  );
}
