import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getAddress } from "viem";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { getExplorerAddress, internalExplorerEnabled } from "@/lib/chain/explorer";
import { formatNumber } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";
import { chainKindKey } from "@/lib/chain/kinds";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("chain.explorer.addressTitle") };
}

/** The dev stack's stand-in for a block explorer; live mode links to CHAIN_EXPLORER_URL instead. */
export default async function ExplorerAddressPage({ params }: { params: Promise<{ address: string }> }) {
  const { address: raw } = await params;
  if (!internalExplorerEnabled() || !/^0x[0-9a-fA-F]{40}$/.test(raw)) notFound();
  const address = getAddress(raw.toLowerCase());
  const [{ locale, t }, view] = await Promise.all([getTranslator(), getExplorerAddress(address)]);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <PageHeading title={t("chain.explorer.addressTitle")} lead={t("chain.explorer.lead")} />
      <Card>
        <p className="text-xs font-medium text-stone-500">{view.isContract ? t("chain.explorer.contract") : t("chain.explorer.account")}</p>
        <p className="break-all font-mono text-sm" data-testid="explorer-address">
          {address}
        </p>
        {!view.reachable ? <p className="mt-2 text-sm text-amber-700">{t("chain.explorer.unreachable")}</p> : null}
        <dl className="mt-4 grid grid-cols-2 gap-4">
          {view.nativeBalance !== null ? <Stat label={t("chain.explorer.nativeBalance")} value={view.nativeBalance} /> : null}
          {view.transactionCount !== null && !view.isContract ? <Stat label={t("chain.explorer.txCount")} value={formatNumber(view.transactionCount, locale)} /> : null}
          {view.token ? (
            <Stat
              label={`${t("chain.explorer.supply")} (${view.token.symbol})`}
              value={t("chain.holdings.units", { count: formatNumber(Number(view.token.totalSupply), locale) })}
              testId="explorer-supply"
            />
          ) : null}
        </dl>
      </Card>
      {view.holdings.length > 0 ? (
        <Card>
          <h2 className="font-bold">{t("chain.explorer.holdings")}</h2>
          <ul className="mt-2 divide-y divide-stone-100">
            {view.holdings.map((line) => (
              <li key={line.tokenAddress} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
                <Link href={`/explorer/address/${line.tokenAddress}`} className="font-semibold text-forest-700 hover:underline">
                  {line.symbol}
                </Link>
                <span className="tabular-nums" data-testid="explorer-balance">
                  {t("chain.holdings.units", { count: formatNumber(Number(line.balance), locale) })}
                </span>
                <span className="text-xs text-stone-500">
                  {line.allowlisted ? t("chain.explorer.allowlisted") : t("chain.explorer.notAllowlisted")}
                  {line.frozen ? ` · ${t("chain.explorer.frozen")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <h2 className="font-bold">{t("chain.explorer.recent")}</h2>
        {view.recent.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("chain.explorer.noRecent")}</p> : null}
        <ul className="mt-2 divide-y divide-stone-100">
          {view.recent.map((tx) => (
            <li key={tx.hash} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
              <Link href={`/explorer/tx/${tx.hash}`} className="font-mono text-forest-700 hover:underline">
                {tx.hash.slice(0, 14)}…{tx.hash.slice(-6)}
              </Link>
              <span>
                {t(`chain.explorer.kind.${chainKindKey(tx.kind)}`)} · {t(`chain.explorer.txStatus.${tx.status}`)}
              </span>
              <span className="text-xs text-stone-500">{tx.blockNumber === null ? "" : t("chain.holdings.block", { number: formatNumber(tx.blockNumber, locale) })}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
