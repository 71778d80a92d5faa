import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { WalletCard } from "@/components/wallet/wallet-card";
import { requireUser } from "@/lib/auth/session";
import { getWalletOf } from "@/lib/custody/wallets";
import { getTranslator } from "@/lib/i18n/server";
import { getOnboardingState } from "@/lib/onboarding/state";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("dashboard.title") };
}

export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  const [{ t }, state, wallet] = await Promise.all([getTranslator(), getOnboardingState(user.id), getWalletOf(user.id)]);
  const onboardingOpen = state.nextStep !== null || state.identity.status !== "approved";
  return (
    <>
      <PageHeading title={t("dashboard.title")} lead={t("auth.signedInAs", { email: user.email })} />
      <div className="grid gap-4 sm:grid-cols-2">
        {onboardingOpen ? (
          <Card className="border-amber-200 bg-amber-50 sm:col-span-2">
            <h2 className="font-bold">{t("dashboard.onboarding")}</h2>
            <p className="mt-1 text-sm text-stone-700">{t("dashboard.onboardingLead")}</p>
            <p className="mt-2 text-sm" data-testid="dashboard-identity-status">
              {t("onboarding.steps.identity")}: {t(`onboarding.identity.status.${state.identity.status}`)}
            </p>
            <Link href="/onboarding" className="mt-3 inline-flex min-h-11 items-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white">
              {t("dashboard.continueOnboarding")} →
            </Link>
          </Card>
        ) : null}
        <div className="sm:col-span-2">
          <WalletCard address={wallet?.address ?? null} t={t} />
        </div>
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
