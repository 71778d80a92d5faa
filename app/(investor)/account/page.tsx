import type { Metadata } from "next";
import Link from "next/link";
import { EmailChangeForm } from "@/components/onboarding/account-forms";
import { ActionButton } from "@/components/ui/action-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { requestEmailChangeAction, signOutEverywhereAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("account.title") };
}

export default async function AccountPage() {
  const user = await requireUser("/account");
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageHeading title={t("account.title")} />
      <Card>
        <p className="text-xs font-medium text-stone-500">{t("account.email")}</p>
        <p className="font-semibold" data-testid="account-email">
          {user.email}
        </p>
        <h2 className="mt-5 font-bold">{t("account.changeEmail")}</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("account.changeEmailLead")}</p>
        <EmailChangeForm action={requestEmailChangeAction} labels={{ newEmail: t("account.newEmail"), send: t("account.sendConfirmation"), signInAgain: t("account.signInAgainLink") }} />
      </Card>
      <Card>
        <Link href="/account/payout" className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
          {t("payouts.accountLink")} →
        </Link>
        <Link href="/account/income" className="flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
          {t("statements.accountLink")} →
        </Link>
        <Link href="/account/wallets" className="flex min-h-11 items-center font-semibold text-forest-700 hover:underline" data-testid="own-wallets-link">
          {t("ownWallets.accountLink")} →
        </Link>
      </Card>
      <Card>
        <h2 className="font-bold">{t("account.sessions")}</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("account.sessionsLead")}</p>
        <ActionButton action={signOutEverywhereAction} label={t("account.signOutEverywhere")} variant="primary" />
      </Card>
    </div>
  );
}
