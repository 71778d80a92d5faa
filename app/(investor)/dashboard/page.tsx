import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("dashboard.title") };
}

export default async function DashboardPage() {
  const [user, { t }] = await Promise.all([requireUser("/dashboard"), getTranslator()]);
  return (
    <>
      <PageHeading title={t("dashboard.title")} lead={t("auth.signedInAs", { email: user.email })} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Card className="sm:col-span-2 border-amber-200 bg-amber-50">
          <h2 className="font-bold">{t("dashboard.onboarding")}</h2>
          <p className="mt-1 text-sm text-stone-700">{t("dashboard.onboardingLead")}</p>
        </Card>
        <Card>
          <h2 className="font-bold">{t("dashboard.holdings")}</h2>
          <p className="mt-2 text-sm text-stone-600">{t("dashboard.holdingsEmpty")}</p>
        </Card>
        <Card>
          <h2 className="font-bold">{t("dashboard.orders")}</h2>
          <p className="mt-2 text-sm text-stone-600">{t("dashboard.ordersEmpty")}</p>
          <Link href="/" className="mt-3 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
            {t("dashboard.browse")} →
          </Link>
        </Card>
      </div>
    </>
  );
}
