import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { AddressText } from "@/components/own-wallets/address";
import { ApprovalStateBadge } from "@/components/own-wallets/approval-state";
import { CustodialWalletCard } from "@/components/own-wallets/custodial-card";
import { DevFaucet } from "@/components/own-wallets/dev-faucet";
import { LinkWallet } from "@/components/own-wallets/link-wallet";
import { RequestApprovalForm } from "@/components/own-wallets/request-approval-form";
import { ActionButton } from "@/components/ui/action-button";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getWalletOf } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { messagesFor } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { purchaseBlockers } from "@/lib/onboarding/state";
import { devFaucetLabels } from "@/lib/stablecoin/faucet";
import { linkedWalletsView, requestableOfferings } from "@/lib/wallet-links/queries";
import { siweBinding } from "@/lib/wallet-links/siwe";
import { linkWalletAction, requestApprovalAction, unlinkWalletAction, walletChallengeAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("ownWallets.title") };
}

/** The investor's wallets: the custodial one the portal holds, and own wallets linked by a signature with their approval per token. */
export default async function OwnWalletsPage() {
  const user = await requireUser("/account/wallets");
  const [{ locale, t }, custodial, linked, offerings, blockers] = await Promise.all([
    getTranslator(),
    getWalletOf(user.id),
    linkedWalletsView(user.id),
    requestableOfferings(user.id),
    purchaseBlockers(user.id),
  ]);
  const m = messagesFor(locale).ownWallets;
  const demo = env().isDemo;
  // An approval on its way on chain: the page follows it until it lands.
  const moving = linked.some((wallet) => wallet.approvals.some((approval) => approval.state === "waiting" || approval.state === "removing"));
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <Link href="/account" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("account.title")}
      </Link>
      <PageHeading title={t("ownWallets.title")} lead={t("ownWallets.lead")} />
      {moving ? <AutoRefresh everyMs={5000} /> : null}
      <CustodialWalletCard address={custodial?.address ?? null} t={t} />
      <Card>
        <h2 className="font-bold">{t("ownWallets.own.heading")}</h2>
        {linked.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("ownWallets.own.none")}</p> : null}
        <ul className="mt-3 divide-y divide-stone-100" data-testid="linked-wallets">
          {linked.map((wallet) => {
            const asked = new Set(wallet.approvals.filter((approval) => approval.state !== "rejected").map((approval) => approval.offeringId));
            const choices = offerings.filter((offering) => !asked.has(offering.id)).map((offering) => ({ id: offering.id, name: localized(offering, "name", locale) }));
            return (
              <li key={wallet.id} className="space-y-3 py-4" data-testid="linked-wallet" data-address={wallet.address}>
                <div>
                  <p className="text-xs font-medium text-stone-500">{t("ownWallets.own.address")}</p>
                  <AddressText address={wallet.address} testId="linked-wallet-address" />
                  <p className="mt-1 text-xs text-stone-500">{t("ownWallets.own.linkedAt", { date: formatDateTime(wallet.linkedAt, locale) })}</p>
                  <Link href={`/explorer/address/${wallet.address}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                    {t("ownWallets.own.explorer")} →
                  </Link>
                </div>
                <div>
                  <h3 className="text-sm font-bold">{t("ownWallets.own.approvals")}</h3>
                  {wallet.approvals.length === 0 ? <p className="mt-1 text-sm text-stone-600">{t("ownWallets.own.noApprovals")}</p> : null}
                  <ul className="mt-1 space-y-2">
                    {wallet.approvals.map((approval) => (
                      <li key={approval.id} className="text-sm" data-testid="linked-wallet-approval" data-offering={approval.offeringId}>
                        <span className="mr-2 font-medium">{localized(approval, "name", locale)}</span>
                        <ApprovalStateBadge state={approval.state} t={t} />
                        {approval.state === "rejected" && approval.reason ? <p className="mt-1 text-stone-700">{t("ownWallets.reason", { reason: approval.reason })}</p> : null}
                        <p className="mt-1 text-xs text-stone-600">{t(`ownWallets.statusHint.${approval.state}`)}</p>
                      </li>
                    ))}
                  </ul>
                </div>
                <div>
                  <h3 className="text-sm font-bold">{t("ownWallets.request.heading")}</h3>
                  <p className="mb-2 mt-1 text-xs text-stone-600">{t("ownWallets.request.lead")}</p>
                  {choices.length > 0 ? (
                    <RequestApprovalForm
                      action={requestApprovalAction}
                      linkedWalletId={wallet.id}
                      offerings={choices}
                      labels={{ offering: m.request.offering, choose: m.request.choose, submit: m.request.submit }}
                    />
                  ) : (
                    <p className="text-sm text-stone-600">{t("ownWallets.request.none")}</p>
                  )}
                </div>
                {demo ? <DevFaucet address={wallet.address} labels={devFaucetLabels(t)} /> : null}
                <ActionButton
                  action={unlinkWalletAction}
                  fields={{ linkedWalletId: wallet.id }}
                  label={t("ownWallets.unlink.button")}
                  confirm={{ question: t("ownWallets.unlink.question", { address: wallet.address }), cancel: t("ownWallets.unlink.cancel"), yes: t("ownWallets.unlink.yes") }}
                />
              </li>
            );
          })}
        </ul>
        {linked.length > 0 ? (
          <ButtonLink href="/account/wallets/withdraw" className="mt-2" data-testid="withdraw-link">
            {t("ownWallets.withdrawLink")} →
          </ButtonLink>
        ) : null}
      </Card>
      <Card>
        <h2 className="mb-2 font-bold">{t("ownWallets.link.heading")}</h2>
        {blockers.length === 0 ? (
          <LinkWallet challenge={walletChallengeAction} link={linkWalletAction} chainId={siweBinding().chainId} m={m.link} />
        ) : (
          <div className="space-y-2" data-testid="link-wallet-blocked">
            <p className="text-sm text-stone-700">{t("ownWallets.link.notApproved")}</p>
            <Link href="/onboarding" className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
              {t("ownWallets.link.onboardingLink")} →
            </Link>
          </div>
        )}
      </Card>
    </div>
  );
}
