import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { GrantStaffForm } from "@/components/issuers/grant-staff-form";
import { IssuerForm } from "@/components/issuers/issuer-form";
import { IssuerLogo } from "@/components/issuers/issuer-logo";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { formatDate } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { getIssuerForAdmin } from "@/lib/issuers/admin";
import { ISSUER_KINDS } from "@/lib/issuers/schemas";
import { prefectureOptions } from "@/lib/residents/prefectures";
import { grantStaffAction, revokeStaffAction, saveIssuerAction } from "../actions";

export default async function AdminIssuerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole("admin", `/staff/admin/issuers/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getIssuerForAdmin(id)]);
  if (!found) notFound();
  const { issuer, logo, staff } = found;
  const m = messagesFor(locale).issuers.admin;
  const name = localized(issuer, "name", locale);
  return (
    <>
      <Link href="/staff/admin/issuers" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("issuers.admin.back")}
      </Link>
      <PageHeading title={name} lead={`${t(`issuers.kind.${issuer.kind}`)} · ${localized(issuer, "prefecture", locale)}`} />
      <Link href={`/issuers/${issuer.slug}`} className="mb-6 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
        {t("issuers.admin.publicPage")} →
      </Link>

      <section aria-labelledby="staff" className="mb-8">
        <h2 id="staff" className="text-xl font-bold">
          {t("issuers.admin.staff.title")}
        </h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("issuers.admin.staff.lead")}</p>
        <Card className="space-y-6">
          {staff.length === 0 ? <p className="text-sm text-stone-600">{t("issuers.admin.staff.empty")}</p> : null}
          {staff.length > 0 ? (
            <ul className="divide-y divide-stone-200" data-testid="issuer-staff">
              {staff.map((member) => (
                <li key={member.userId} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div className="min-w-0">
                    <p className="break-all font-medium">{member.email}</p>
                    <p className="text-xs text-stone-500">
                      {member.name ? `${member.name} · ` : ""}
                      {t("issuers.admin.staff.grantedAt")} {formatDate(member.grantedAt, locale)}
                      {member.grantedByEmail ? ` · ${t("issuers.admin.staff.grantedBy")} ${member.grantedByEmail}` : ""}
                    </p>
                  </div>
                  <StatusButton action={revokeStaffAction} label={t("issuers.admin.staff.revoke")} fields={{ issuerId: issuer.id, userId: member.userId }} variant="quiet" />
                </li>
              ))}
            </ul>
          ) : null}
          <GrantStaffForm action={grantStaffAction} issuerId={issuer.id} m={m.staff} />
        </Card>
      </section>

      <section aria-labelledby="edit">
        <h2 id="edit" className="mb-3 text-xl font-bold">
          {t("issuers.admin.editTitle")}
        </h2>
        <Card>
          {logo ? (
            <figure className="mb-4">
              <IssuerLogo logo={logo} name={name} size={96} t={t} />
              <figcaption className="mt-1 text-xs text-stone-500">{t("issuers.admin.fields.logoCurrent")}</figcaption>
            </figure>
          ) : null}
          <IssuerForm
            action={saveIssuerAction}
            initial={{
              issuerId: issuer.id,
              slug: issuer.slug,
              kind: issuer.kind,
              nameJa: issuer.nameJa,
              nameEn: issuer.nameEn,
              prefectureJa: issuer.prefectureJa,
              prefectureEn: issuer.prefectureEn,
              population: issuer.population ? String(issuer.population) : "",
              stablecoinPayee: issuer.stablecoinPayee ?? "",
              descriptionJa: issuer.descriptionJa,
              descriptionEn: issuer.descriptionEn,
              residentPrefecture: issuer.residentPrefecture ?? "",
              residentCity: issuer.residentCity ?? "",
            }}
            kinds={ISSUER_KINDS.map((kind) => ({ value: kind, label: t(`issuers.kind.${kind}`) }))}
            m={m}
            residence={{ m: messagesFor(locale).residents.issuer, prefectures: prefectureOptions(locale) }}
          />
        </Card>
      </section>
    </>
  );
}
