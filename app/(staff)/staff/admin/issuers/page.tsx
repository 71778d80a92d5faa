import type { Metadata } from "next";
import Link from "next/link";
import { IssuerLogo } from "@/components/issuers/issuer-logo";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { listIssuersForAdmin } from "@/lib/issuers/admin";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("issuers.admin.title") };
}

export default async function AdminIssuersPage() {
  await requireRole("admin", "/staff/admin/issuers");
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listIssuersForAdmin()]);
  return (
    <>
      <PageHeading title={t("issuers.admin.title")} lead={t("issuers.admin.lead")} />
      <ButtonLink href="/staff/admin/issuers/new" className="mb-6">
        + {t("issuers.admin.new")}
      </ButtonLink>
      {rows.length === 0 ? <p className="text-stone-600">{t("issuers.admin.empty")}</p> : null}
      <ul className="space-y-3" data-testid="admin-issuers">
        {rows.map(({ issuer, staffCount, offeringCount }) => (
          <li key={issuer.id}>
            <Card className="flex flex-wrap items-center justify-between gap-3">
              <div className="flex min-w-0 items-center gap-3">
                <IssuerLogo logo={issuer.logoImageId ? { id: issuer.logoImageId, width: 40, height: 40 } : null} name={localized(issuer, "name", locale)} size={40} t={t} />
                <div className="min-w-0">
                  <p className="text-xs text-stone-500">
                    {t(`issuers.kind.${issuer.kind}`)} · {localized(issuer, "prefecture", locale)} · /{issuer.slug}
                  </p>
                  <p className="font-semibold">{localized(issuer, "name", locale)}</p>
                  <p className="text-xs text-stone-500">
                    {t("issuers.admin.staffCount", { count: staffCount })} · {t("issuers.admin.offeringCount", { count: offeringCount })}
                  </p>
                </div>
              </div>
              <Link href={`/staff/admin/issuers/${issuer.id}`} className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700">
                {t("issuers.admin.open")}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
