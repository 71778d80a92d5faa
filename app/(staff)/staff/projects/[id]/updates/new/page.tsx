import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { UpdateForm } from "@/components/staff/update-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { getProjectForStaff } from "@/lib/projects/admin";
import { saveUpdateAction } from "../../../actions";

export default async function NewUpdatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/projects/${id}/updates/new`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getProjectForStaff(id, await issuerIdsOf(user))]);
  if (!found) notFound();
  return (
    <>
      <Link href={`/staff/projects/${id}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("projectsAdmin.backToProject")}
      </Link>
      <PageHeading title={t("projectsAdmin.updates.newTitle")} lead={localized(found.project, "title", locale)} />
      <Card>
        <UpdateForm action={saveUpdateAction} projectId={id} initial={{}} images={[]} published={false} m={messagesFor(locale).projectsAdmin} />
      </Card>
    </>
  );
}
