import Link from "next/link";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { Card } from "@/components/ui/card";
import { explorerTxUrl, getHoldings, type OrderAllocation } from "@/lib/chain/queries";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";

const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

function OrderLine({ order, locale, t }: { order: OrderAllocation; locale: Locale; t: Translate }) {
  const held = order.chainStatus === "failed" && order.status === "allocating";
  return (
    <li className="py-3" data-testid="holdings-order">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-semibold">
          {t("chain.holdings.order", { seq: order.seq })} · {localized(order, "name", locale)} · {t("chain.holdings.units", { count: formatNumber(order.units, locale) })}
        </span>
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${order.status === "allocated" ? "bg-forest-50 text-forest-700" : "bg-stone-100 text-stone-600"}`}
          data-testid="holdings-order-status"
        >
          {t(`chain.status.${order.status}`)}
        </span>
      </div>
      {held ? <p className="mt-1 text-sm text-amber-700">{t("chain.holdings.held")}</p> : null}
      {order.txHash ? (
        <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-stone-600">
          <a href={explorerTxUrl(order.txHash)} className="font-mono text-forest-700 hover:underline" rel="noopener" data-testid="holdings-tx">
            {short(order.txHash)}
          </a>
          {order.blockNumber !== null ? <span>{t("chain.holdings.block", { number: formatNumber(order.blockNumber, locale) })}</span> : null}
          {order.allocatedAt ? (
            <span>
              {t("chain.holdings.allocatedAt")}: {formatDateTime(order.allocatedAt, locale)}
            </span>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

/** The investor's tokens: ledger figure beside the on-chain balance, and each order's issuance; refreshes itself while an order is moving. */
export async function HoldingsCard({ userId }: { userId: string }) {
  const [{ locale, t }, view] = await Promise.all([getTranslator(), getHoldings(userId)]);
  const moving = view.orders.some((order) => order.status === "paid" || (order.status === "allocating" && order.chainStatus !== "failed"));
  return (
    <Card>
      <h2 className="font-bold">{t("chain.holdings.title")}</h2>
      <p className="mt-1 text-sm text-stone-600">{t("chain.holdings.lead")}</p>
      {view.holdings.length === 0 ? <p className="mt-3 text-sm text-stone-600">{t("chain.holdings.empty")}</p> : null}
      {view.holdings.map((line) => (
        <div key={line.offeringId} className="mt-4 rounded-xl bg-stone-50 p-4" data-testid="holdings-line">
          <p className="text-sm font-semibold">
            {localized(line, "name", locale)} ({line.symbol})
          </p>
          <dl className="mt-2 grid grid-cols-2 gap-3">
            <div>
              <dt className="text-xs text-stone-500">{t("chain.holdings.ledger")}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="holdings-ledger">
                {t("chain.holdings.units", { count: formatNumber(line.ledgerUnits, locale) })}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-stone-500">{t("chain.holdings.onChain")}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="holdings-chain">
                {line.chainUnits === null ? t("chain.holdings.unavailable") : t("chain.holdings.units", { count: formatNumber(line.chainUnits, locale) })}
              </dd>
            </div>
          </dl>
          {line.chainUnits !== null ? <p className="mt-2 text-xs text-stone-500">{line.chainUnits === line.ledgerUnits ? t("chain.holdings.agree") : t("chain.holdings.differ")}</p> : null}
          {line.tokenAddress && line.ledgerUnits > 0 ? (
            <Link
              href={`/account/wallets/withdraw?offeringId=${line.offeringId}`}
              className="mt-1 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline"
              data-testid="holdings-withdraw"
            >
              {t("withdrawals.dashboardLink")} →
            </Link>
          ) : null}
        </div>
      ))}
      {view.orders.length > 0 ? (
        <>
          <h3 className="mt-5 text-sm font-bold">{t("chain.holdings.orders")}</h3>
          <ul className="divide-y divide-stone-100">
            {view.orders.map((order) => (
              <OrderLine key={order.orderId} order={order} locale={locale} t={t} />
            ))}
          </ul>
        </>
      ) : null}
      {moving ? (
        <>
          <p className="mt-2 text-xs text-stone-500">{t("chain.holdings.live")}</p>
          <AutoRefresh everyMs={3000} />
        </>
      ) : null}
    </Card>
  );
}
