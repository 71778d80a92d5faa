import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { staffScopeOf } from "@/lib/issuers/scope";
import { getStaffOverview } from "@/lib/staff/overview";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("staff.title") };
}

const LIVE_SECTIONS = new Set<string>(["reviews", "orders", "payments", "offerings", "projects", "register", "audit"]);

export default async function StaffHomePage() {
  const user = await requireRole("staff", "/staff");
  const scope = await staffScopeOf(user);
  const [{ locale, t }, overview] = await Promise.all([getTranslator(), getStaffOverview(scope)]);
  const sections = ["reviews", "orders", "payments", "offerings", "projects", "register", "audit"] as const;
  return (
    <>
      <PageHeading title={t("staff.title")} lead={t("staff.lead")} />
      <p className="mb-4 text-sm text-stone-700" data-testid="staff-issuers">
        {scope.all
          ? t("issuers.scope.admin")
          : overview.issuers.length > 0
            ? t("issuers.scope.member", { issuers: overview.issuers.map((issuer) => localized(issuer, "name", locale)).join(locale === "ja" ? "、" : ", ") })
            : t("issuers.scope.none")}
      </p>
      <Card>
        <dl className="grid grid-cols-2 gap-4">
          <Stat label={t("staff.investors")} value={formatNumber(overview.investorCount, locale)} />
          <Stat label={t("staff.openOrders")} value={formatNumber(overview.openOrderCount, locale)} />
          <Stat label={t("staff.payments")} value={formatNumber(overview.undecidedPaymentCount, locale)} />
        </dl>
      </Card>
      <ul className="mt-6 grid gap-3 sm:grid-cols-2">
        {sections.map((section) => (
          <li key={section} className="flex min-h-14 items-center justify-between rounded-xl border border-stone-200 bg-white px-4 py-3">
            {LIVE_SECTIONS.has(section) ? (
              <Link href={`/staff/${section}`} className="font-medium text-forest-700 hover:underline">
                {t(`staff.${section}`)} →
              </Link>
            ) : (
              <>
                <span className="font-medium">{t(`staff.${section}`)}</span>
                <span className="text-xs text-stone-500">{t("staff.soon")}</span>
              </>
            )}
          </li>
        ))}
        {scope.all ? (
          <li className="flex min-h-14 items-center justify-between rounded-xl border border-stone-200 bg-white px-4 py-3">
            <Link href="/staff/admin/issuers" className="font-medium text-forest-700 hover:underline">
              {t("issuers.admin.title")} →
            </Link>
          </li>
        ) : null}
      </ul>
    </>
  );
}
