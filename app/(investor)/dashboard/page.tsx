import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { HoldingsCard } from "@/components/chain/holdings-card";
import { DashboardPerks } from "@/components/perks/dashboard-perks";
import { DashboardVotes } from "@/components/votes/dashboard-votes";
import { WalletCard } from "@/components/wallet/wallet-card";
import { requireUser } from "@/lib/auth/session";
import { getWalletOf } from "@/lib/custody/wallets";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { getOnboardingState } from "@/lib/onboarding/state";
import { formatYen } from "@/lib/i18n/format";
import { listOrdersOf } from "@/lib/orders/queries";
import { needsPayoutAccount } from "@/lib/payouts/accounts";
import { hasBondIncome } from "@/lib/statements/queries";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("dashboard.title") };
}

export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  const [{ locale, t }, state, wallet, orders, payoutTodo, bondIncome] = await Promise.all([
    getTranslator(),
    getOnboardingState(user.id),
    getWalletOf(user.id),
    listOrdersOf(user.id),
    needsPayoutAccount(user.id),
    hasBondIncome(user.id),
  ]);
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
            <ButtonLink href="/onboarding" className="mt-3">
              {t("dashboard.continueOnboarding")} →
            </ButtonLink>
          </Card>
        ) : null}
        {payoutTodo ? (
          <Card className="border-amber-200 bg-amber-50 sm:col-span-2">
            <h2 className="font-bold" data-testid="dashboard-payout-todo">
              {t("payouts.todoTitle")}
            </h2>
            <p className="mt-1 text-sm text-stone-700">{t("payouts.todoLead")}</p>
            <ButtonLink href="/account/payout" className="mt-3">
              {t("payouts.todoLink")} →
            </ButtonLink>
          </Card>
        ) : null}
        <div className="sm:col-span-2">
          <WalletCard address={wallet?.address ?? null} t={t} />
        </div>
        <HoldingsCard userId={user.id} />
        <DashboardPerks userId={user.id} />
        <DashboardVotes userId={user.id} />
        {bondIncome ? (
          <Card>
            <h2 className="font-bold" data-testid="dashboard-income">
              {t("statements.dashboardTitle")}
            </h2>
            <p className="mt-1 text-sm text-stone-600">{t("statements.dashboardLead")}</p>
            <Link href="/account/income" className="mt-2 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
              {t("statements.dashboardLink")} →
            </Link>
          </Card>
        ) : null}
        <Card>
          <h2 className="font-bold">{t("dashboard.orders")}</h2>
          {orders.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("dashboard.ordersEmpty")}</p> : null}
          <ul className="mt-2 space-y-1 text-sm">
            {orders.slice(0, 3).map(({ order, offering }) => (
              <li key={order.id}>
                <Link href={`/orders/${order.id}`} className="flex justify-between gap-2 hover:underline">
                  <span>
                    {localized(offering, "name", locale)} · {t("orders.units", { count: order.units })} · {formatYen(order.amountYen)}
                  </span>
                  <span className="font-semibold">{t(`orders.status.${order.status}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex flex-wrap gap-x-6">
            {orders.length > 0 ? (
              <Link href="/orders" className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                {t("orders.title")} →
              </Link>
            ) : null}
            <Link href="/notifications" className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
              {t("notifications.title")} →
            </Link>
            <Link href="/" className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
              {t("dashboard.browse")} →
            </Link>
          </div>
        </Card>
      </div>
    </>
  );
}
