import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { UpdateArticle } from "@/components/projects/update-article";
import { StatusButton } from "@/components/staff/status-button";
import { UpdateForm } from "@/components/staff/update-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { getUpdateForStaff } from "@/lib/projects/updates";
import { saveUpdateAction, setUpdatePublishedAction } from "../../../actions";

export default async function StaffUpdatePage({ params }: { params: Promise<{ id: string; updateId: string }> }) {
  const { id, updateId } = await params;
  const user = await requireRole("staff", `/staff/projects/${id}/updates/${updateId}`);
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(updateId).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getUpdateForStaff(updateId, await issuerIdsOf(user))]);
  if (!found || found.update.projectId !== id) notFound();
  const { update, images, revisions } = found;
  const published = update.publishedAt !== null;
  const title = localized(update, "title", locale);
  const figures = Object.fromEntries(update.figures.map((figure) => [`figure_${figure.kind}`, String(figure.value)]));
  return (
    <>
      <Link href={`/staff/projects/${id}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("projectsAdmin.backToProject")}
      </Link>
      <PageHeading
        title={t("projectsAdmin.updates.editTitle")}
        lead={`${published ? t("projectsAdmin.updates.published") : t("projectsAdmin.updates.draft")} · ${t("projectsAdmin.updates.revision", { revision: update.revision })}`}
      />
      <div className="mb-6">
        <StatusButton
          key="publish"
          action={setUpdatePublishedAction}
          label={published ? t("projectsAdmin.updates.withdraw") : t("projectsAdmin.updates.publish")}
          fields={{ updateId: update.id, publish: String(!published) }}
          variant={published ? "quiet" : "primary"}
          testId="update-publish-status"
        />
      </div>

      <section aria-labelledby="preview" className="mb-8">
        <h2 id="preview" className="text-xl font-bold">
          {t("projectsAdmin.updates.preview")}
        </h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("projectsAdmin.updates.previewLead")}</p>
        <Card className="border-dashed">
          <div data-testid="update-preview">
            <UpdateArticle update={{ ...update, images }} locale={locale} t={t} />
          </div>
        </Card>
      </section>

      <section aria-labelledby="edit" className="mb-8">
        <h2 id="edit" className="mb-3 text-xl font-bold">
          {t("projectsAdmin.updates.edit")}
        </h2>
        <Card>
          <UpdateForm
            action={saveUpdateAction}
            projectId={id}
            initial={{ updateId: update.id, titleJa: update.titleJa, titleEn: update.titleEn, bodyJa: update.bodyJa, bodyEn: update.bodyEn, ...figures }}
            images={images.map((image, i) => ({ id: image.id, alt: t("projectPage.photo", { title, n: i + 1 }) }))}
            published={published}
            m={messagesFor(locale).projectsAdmin}
          />
        </Card>
      </section>

      <section aria-labelledby="revisions">
        <h2 id="revisions" className="mb-3 text-xl font-bold">
          {t("projectsAdmin.updates.revisions")}
        </h2>
        {revisions.length === 0 ? <p className="text-sm text-stone-600">{t("projectsAdmin.updates.revisionsEmpty")}</p> : null}
        <ol className="space-y-3">
          {revisions.map((revision) => (
            <li key={revision.id}>
              <details className="rounded-xl border border-stone-200 bg-white px-4 py-3">
                <summary className="min-h-11 cursor-pointer py-2 text-sm font-medium">
                  {t("projectsAdmin.updates.revisionEntry", { revision: revision.revision, date: formatDateTime(revision.supersededAt, locale) })}
                </summary>
                <UpdateArticle update={{ ...revision, id: `${update.id}-r${revision.revision}`, publishedAt: null, editedAt: null, images: [] }} locale={locale} t={t} />
              </details>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
