import Link from "next/link";
import { AddressText } from "@/components/own-wallets/address";
import type { Order } from "@/db/schema";
import type { FormAction } from "@/lib/actions/core";
import { explorerTxUrl } from "@/lib/chain/queries";
import { messagesFor, type Locale, type Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { yenAsBaseUnits } from "@/lib/stablecoin/authorization";
import type { StablecoinOption } from "@/lib/stablecoin/availability";
import type { PaymentView } from "@/lib/stablecoin/queries";
import { PayWithWallet, type PrepareAction } from "./pay-with-wallet";

type Props = {
  order: Pick<Order, "id" | "amountYen" | "reservationExpiresAt">;
  payment: PaymentView | null;
  /** How the owner can pay now; null for staff, or when the option is gone. */
  option: StablecoinOption | null;
  isOwner: boolean;
  /** The offering's page, where an expired reservation can be made again. */
  offeringHref: string;
  actions: { prepare: PrepareAction; submit: FormAction };
  t: Translate;
  locale: Locale;
};

const linkClass = "inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline";

/** The pay step of an unpaid stablecoin order: what is signed, the payment on its way, or why the last one failed. */
export function StablecoinPayStep({ order, payment, option, isOwner, offeringHref, actions, t, locale }: Props) {
  if (payment?.status === "submitted") {
    return (
      <p role="status" className="mt-3 rounded-lg bg-forest-50 p-3 text-sm" data-testid="stablecoin-in-flight">
        {t("stablecoin.pay.inFlight")}
        {payment.txHash ? (
          <>
            {" "}
            <a href={explorerTxUrl(payment.txHash)} className="font-semibold text-forest-700 hover:underline">
              {t("stablecoin.pay.viewTx")}
            </a>
          </>
        ) : null}
      </p>
    );
  }
  const failed =
    payment?.status === "failed" ? (
      <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="stablecoin-failed">
        {t("stablecoin.pay.failed", { reason: t(`stablecoin.failure.${payment.failure ?? "other"}`) })}
      </p>
    ) : null;
  if (order.reservationExpiresAt.getTime() <= Date.now()) {
    return (
      <div className="mt-3 space-y-2 text-sm">
        {failed}
        <p role="status">{t("stablecoin.pay.expired")}</p>
        {isOwner ? (
          <Link href={offeringHref} className={linkClass}>
            {t("stablecoin.pay.offeringLink")} →
          </Link>
        ) : null}
      </div>
    );
  }
  if (!isOwner) return failed ? <div className="mt-3">{failed}</div> : null;
  if (!option) {
    return (
      <div className="mt-3 space-y-2 text-sm">
        {failed}
        <p>{t("stablecoin.errors.unavailable")}</p>
        <Link href="/account/wallets" className={linkClass}>
          {t("stablecoin.pay.linkWallet")} →
        </Link>
      </div>
    );
  }
  const base = yenAsBaseUnits(order.amountYen, option.setup.decimals);
  const amount = formatNumber(order.amountYen, locale);
  const label = "text-xs text-stone-500";
  return (
    <section className="mt-4 space-y-3 border-t border-stone-200 pt-4" data-testid="stablecoin-pay" aria-labelledby="stablecoin-pay-heading">
      <h2 id="stablecoin-pay-heading" className="font-bold">
        {t("stablecoin.pay.heading")}
      </h2>
      <p className="text-sm text-stone-700">{t("stablecoin.buy.about")}</p>
      {failed}
      <dl className="grid gap-3 text-sm">
        <div>
          <dt className={label}>{t("stablecoin.pay.amount")}</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="stablecoin-amount">
            {t("stablecoin.pay.amountValue", { amount })}
          </dd>
        </div>
        <div>
          <dt className={label}>{t("stablecoin.pay.from")}</dt>
          <dd className="rounded-lg bg-stone-50 p-2">
            <AddressText address={option.payFrom[0]!} testId="stablecoin-from" />
          </dd>
          <dd className="mt-1 text-xs text-stone-600">{t("stablecoin.pay.fromHint")}</dd>
        </div>
        <div>
          <dt className={label}>{t("stablecoin.pay.to")}</dt>
          <dd>{option.custodial ? <AddressText address={option.custodial} /> : "—"}</dd>
        </div>
      </dl>
      <p className="text-sm text-stone-700">{t("stablecoin.pay.explain")}</p>
      <p className="text-sm text-stone-700">{t("stablecoin.pay.balance", { amount })}</p>
      <p className="wrap-anywhere text-xs text-stone-600">{t("stablecoin.pay.decimals", { base })}</p>
      <p className="wrap-anywhere text-xs text-stone-600">{t("stablecoin.pay.settlement", { settlement: option.setup.settlement, payee: option.payee })}</p>
      <p className="text-sm font-medium">{t("stablecoin.pay.deadline", { time: formatDateTime(order.reservationExpiresAt, locale) })}</p>
      <PayWithWallet orderId={order.id} payFrom={option.payFrom} prepare={actions.prepare} submit={actions.submit} m={messagesFor(locale).stablecoin.pay} retry={payment?.status === "failed"} />
    </section>
  );
}
