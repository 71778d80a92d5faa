import { notFound } from "next/navigation";
import { z } from "zod";
import { DisclosureForm, OfferingForm } from "@/components/staff-offerings/offering-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { getOfferingForStaff } from "@/lib/offerings/admin";
import { offeringFormValues } from "@/lib/offerings/form-values";
import { publishDisclosureAction, updateOfferingAction } from "../actions";

export default async function EditOfferingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole("staff", `/staff/offerings/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getOfferingForStaff(id)]);
  if (!found) notFound();
  const m = messagesFor(locale).offeringAdmin;
  const kinds = (["village_token", "municipal_bond"] as const).map((value) => ({ value, label: t(`offering.kind.${value}`) }));
  return (
    <div className="space-y-4">
      <PageHeading title={`${t("offeringAdmin.edit")}: ${localized(found.offering, "name", locale)}`} lead={`${t("offeringAdmin.status")}: ${t(`offering.status.${found.offering.status}`)}`} />
      <Card>
        <OfferingForm action={updateOfferingAction} offeringId={id} initial={offeringFormValues(found.offering)} m={m} kinds={kinds} />
      </Card>
      <Card>
        <h2 className="font-bold">{t("offeringAdmin.disclosure")}</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("offeringAdmin.disclosureLead")}</p>
        {found.disclosures.length === 0 ? <p className="mb-3 text-sm text-stone-600">{t("offeringAdmin.noDisclosure")}</p> : null}
        <ul className="mb-4 space-y-1 text-sm">
          {found.disclosures.map((doc) => (
            <li key={doc.id}>
              {doc.version} · {localized(doc, "title", locale)} · {formatDateTime(doc.publishedAt, locale)}
            </li>
          ))}
        </ul>
        <DisclosureForm action={publishDisclosureAction} offeringId={id} m={m} />
      </Card>
    </div>
  );
}
