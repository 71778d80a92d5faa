import Link from "next/link";
import { ProjectForm } from "@/components/staff/project-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { listOfferingOptions } from "@/lib/projects/admin";
import { PROJECT_STATUSES } from "@/lib/projects/schemas";
import { saveProjectAction } from "../actions";

export default async function NewProjectPage() {
  const user = await requireRole("staff", "/staff/projects/new");
  const [{ locale, t }, offerings] = await Promise.all([getTranslator(), listOfferingOptions(await issuerIdsOf(user))]);
  return (
    <>
      <Link href="/staff/projects" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("projectsAdmin.back")}
      </Link>
      <PageHeading title={t("projectsAdmin.newProjectTitle")} />
      <Card>
        <ProjectForm
          action={saveProjectAction}
          initial={{ offeringId: offerings.length === 1 ? offerings[0]!.id : "" }}
          offerings={offerings.map((offering) => ({ value: offering.id, label: localized(offering, "name", locale) }))}
          statuses={PROJECT_STATUSES.map((status) => ({ value: status, label: t(`projects.status.${status}`) }))}
          slugLocked={false}
          m={messagesFor(locale).projectsAdmin}
        />
      </Card>
    </>
  );
}
