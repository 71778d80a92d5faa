import type { Metadata } from "next";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { transparency } from "@/lib/cache/public-reads";
import { explorerAddressUrl } from "@/lib/chain/queries";
import { formatDate, formatDateTime, formatNumber, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("chain.transparency.title") };
}

const TONE = { ok: "bg-forest-50 text-forest-700", mismatch: "bg-red-50 text-red-700", error: "bg-amber-50 text-amber-800" } as const;

export default async function TransparencyPage() {
  const [{ locale, t }, lines] = await Promise.all([getTranslator(), transparency()]);
  return (
    <>
      <PageHeading title={t("chain.transparency.title")} lead={t("chain.transparency.lead")} />
      {lines.length === 0 ? <p className="text-stone-600">{t("chain.transparency.none")}</p> : null}
      <div className="space-y-4">
        {lines.map((line) => {
          const last = line.lastReconciliation;
          return (
            <Card key={line.slug}>
              <h2 className="flex flex-wrap items-center gap-2 text-lg font-bold">
                {localized(line, "name", locale)} ({line.symbol})
                {line.redeemedOn ? (
                  <span className="rounded-full bg-stone-100 px-2.5 py-0.5 text-xs font-semibold text-stone-700" data-testid="transparency-redeemed">
                    {t("chain.transparency.redeemed")}
                  </span>
                ) : null}
              </h2>
              {line.redeemedOn ? <p className="mt-1 text-sm text-stone-600">{t("chain.transparency.redeemedOn", { date: formatDate(line.redeemedOn, locale) })}</p> : null}
              <p className="mt-3 text-xs font-medium text-stone-500">{t("chain.transparency.contract")}</p>
              <p className="break-all font-mono text-sm" data-testid="transparency-contract">
                {line.tokenAddress}
              </p>
              <p className="mt-1 text-sm">
                <a href={explorerAddressUrl(line.tokenAddress)} className="font-semibold text-forest-700 hover:underline" rel="noopener">
                  {t("chain.transparency.viewContract")} →
                </a>
                <span className="ml-3 text-stone-500">
                  {t("chain.transparency.chainId")}: {line.chainId}
                </span>
              </p>
              <dl className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-3">
                <Stat
                  label={t("chain.transparency.totalSupply")}
                  value={line.totalSupply === null ? t("chain.transparency.unavailable") : t("chain.holdings.units", { count: formatNumber(line.totalSupply, locale) })}
                  testId="transparency-supply"
                />
                <Stat label={t("chain.transparency.yenRaised")} value={formatYen(line.yenRaised)} testId="transparency-yen" />
                <Stat label={t("chain.transparency.holders")} value={t("chain.transparency.holdersCount", { count: formatNumber(line.holders, locale) })} testId="transparency-holders" />
              </dl>
              <div className="mt-5 border-t border-stone-100 pt-4">
                <p className="text-xs font-medium text-stone-500">{t("chain.transparency.reconciliation")}</p>
                {last ? (
                  <div className="mt-1 flex flex-wrap items-center gap-2 text-sm" data-testid="transparency-reconciliation">
                    <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${TONE[last.status]}`}>{t(`chain.transparency.reconcileStatus.${last.status}`)}</span>
                    <span className="text-stone-600">{t("chain.transparency.reconciledAt", { time: formatDateTime(last.at, locale) })}</span>
                    {last.status !== "error" ? (
                      <span className="text-stone-500">
                        {t("chain.transparency.reconcileDetail", {
                          chain: formatNumber(last.supplyChain ?? 0, locale),
                          db: formatNumber(last.supplyDb ?? 0, locale),
                          holders: formatNumber(last.holdersChecked, locale),
                        })}
                      </span>
                    ) : null}
                  </div>
                ) : (
                  <p className="mt-1 text-sm text-stone-600">{t("chain.transparency.reconciliationNone")}</p>
                )}
                <p className="mt-3 text-xs text-stone-500">{t("chain.transparency.explain")}</p>
              </div>
            </Card>
          );
        })}
      </div>
    </>
  );
}
