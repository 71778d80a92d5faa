import Link from "next/link";
import { Card } from "@/components/ui/card";
import { explorerAddressUrl, explorerTxUrl } from "@/lib/chain/queries";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import type { WithdrawalView } from "@/lib/withdrawals/queries";
import { EmphasisedAddress } from "./address";

const TONE = {
  requested: "bg-stone-100 text-stone-700",
  submitted: "bg-amber-100 text-amber-900",
  confirmed: "bg-forest-50 text-forest-700",
  failed: "bg-red-100 text-red-800",
} as const;

const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

function StatusBadge({ status, t }: { status: WithdrawalView["status"]; t: Translate }) {
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${TONE[status]}`} data-testid="withdrawal-status">
      {t(`withdrawals.status.${status}`)}
    </span>
  );
}

/** One withdrawal as its investor follows it: status, where from and to, the transaction and the address's page once done. */
export function WithdrawalStatusCard({ withdrawal, locale, t }: { withdrawal: WithdrawalView; locale: Locale; t: Translate }) {
  const units = t("orders.units", { count: formatNumber(withdrawal.units, locale) });
  return (
    <Card className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-bold">
          {localized(withdrawal, "offeringName", locale)} · {units}
        </h2>
        <StatusBadge status={withdrawal.status} t={t} />
      </div>
      {/* A live region: the page refreshes itself while the move goes on, and the new state is read out. */}
      <p role="status" className="text-sm text-stone-700" data-testid="withdrawal-lead">
        {t(`withdrawals.status.${withdrawal.status}Lead`)}
      </p>
      {withdrawal.status === "failed" ? (
        <div className="space-y-1 text-sm">
          <Link
            href={`/account/wallets/withdraw?offeringId=${withdrawal.offeringId}`}
            className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline"
            data-testid="withdrawal-retry"
          >
            {t("withdrawals.status.tryAgain")} →
          </Link>
          {withdrawal.error ? (
            // The chain's own words, in English: kept for support, folded away from the person.
            <details className="text-xs text-stone-600">
              <summary className="flex min-h-11 cursor-pointer items-center">{t("withdrawals.status.detail")}</summary>
              <p className="break-all" data-testid="withdrawal-error">
                {withdrawal.error}
              </p>
            </details>
          ) : null}
        </div>
      ) : null}
      <dl className="grid gap-3 text-sm">
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.status.from")}</dt>
          <dd className="break-all font-mono">{withdrawal.fromAddress}</dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.status.to")}</dt>
          <dd>
            <EmphasisedAddress address={withdrawal.toAddress} testId="withdrawal-to" />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.status.at")}</dt>
          <dd>{formatDateTime(withdrawal.createdAt, locale)}</dd>
        </div>
        {withdrawal.confirmedAt ? (
          <div>
            <dt className="text-xs text-stone-500">{t("withdrawals.status.confirmedAt")}</dt>
            <dd>{formatDateTime(withdrawal.confirmedAt, locale)}</dd>
          </div>
        ) : null}
      </dl>
      {withdrawal.txHash && withdrawal.chainStatus !== "pending" ? (
        <div className="flex flex-wrap gap-x-6 text-sm">
          <a href={explorerTxUrl(withdrawal.txHash)} className="inline-flex min-h-11 flex-wrap items-center gap-x-1 font-semibold text-forest-700 hover:underline" data-testid="withdrawal-tx">
            {t("withdrawals.status.tx")}: <span className="font-mono">{short(withdrawal.txHash)}</span>
          </a>
          {withdrawal.status === "confirmed" ? (
            <a href={explorerAddressUrl(withdrawal.toAddress)} className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline" data-testid="withdrawal-address-page">
              {t("withdrawals.status.addressPage")} →
            </a>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

/** The investor's past withdrawals, newest first, each linking to its status. */
export function WithdrawalHistory({ withdrawals, locale, t }: { withdrawals: WithdrawalView[]; locale: Locale; t: Translate }) {
  return (
    <Card>
      <h2 className="font-bold">{t("withdrawals.history.heading")}</h2>
      {withdrawals.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("withdrawals.history.none")}</p> : null}
      <ul className="mt-2 divide-y divide-stone-100">
        {withdrawals.map((withdrawal) => (
          <li key={withdrawal.id} className="py-2" data-testid="withdrawal-line">
            <Link href={`/account/wallets/withdraw/${withdrawal.id}`} className="flex min-h-11 flex-wrap items-center justify-between gap-2 text-sm hover:underline">
              <span>
                {t("withdrawals.history.line", {
                  offering: localized(withdrawal, "offeringName", locale),
                  units: t("orders.units", { count: formatNumber(withdrawal.units, locale) }),
                })}{" "}
                ·{" "}
                <span className="font-mono">
                  {withdrawal.toAddress.slice(0, 6)}…{withdrawal.toAddress.slice(-4)}
                </span>{" "}
                · {formatDateTime(withdrawal.createdAt, locale)}
              </span>
              <StatusBadge status={withdrawal.status} t={t} />
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
