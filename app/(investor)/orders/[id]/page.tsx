import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { CoolingOffPanel } from "@/components/orders/cooling-off-panel";
import { DeferredPaymentPanel } from "@/components/orders/deferred-payment-panel";
import { StablecoinPayStep } from "@/components/stablecoin/pay-step";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { allocationHoldOf, explorerTxUrl } from "@/lib/chain/queries";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatDateTime, formatYen } from "@/lib/i18n/format";
import { getOrderForViewer } from "@/lib/orders/queries";
import { IN_PROGRESS, inGroup, PAID_OR_AFTER, UNPAID } from "@/lib/orders/status";
import { stablecoinOptionFor } from "@/lib/stablecoin/availability";
import { journeySteps } from "@/lib/stablecoin/journey";
import { latestStablecoinPayment } from "@/lib/stablecoin/queries";
import { prepareStablecoinAction, submitStablecoinAction } from "./actions";

export default async function OrderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ checkout?: string }> }) {
  const [{ id }, { checkout }] = await Promise.all([params, searchParams]);
  const user = await requireUser(`/orders/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getOrderForViewer(id, user)]);
  if (!found) notFound();
  const { order, offering, issuer, disclosure, journey, heldPayment } = found;
  const inCoin = order.paymentMethod === "stablecoin";
  const isOwner = order.userId === user.id;
  const [hold, payment, option] = await Promise.all([
    allocationHoldOf(order),
    inCoin ? latestStablecoinPayment(order.id) : null,
    inCoin && isOwner && inGroup(UNPAID, order.status) ? stablecoinOptionFor(user.id, order.offeringId) : null,
  ]);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <Link href="/orders" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("orders.back")}
      </Link>
      <PageHeading title={`${t("orders.order")} · ${localized(offering, "name", locale)}`} />
      {/* A voucher or a transfer may take days: its page looks again every 10 s, not every 2 s. */}
      {inGroup(IN_PROGRESS, order.status) && !hold ? <AutoRefresh everyMs={inGroup(UNPAID, order.status) && order.paymentInstructions ? 10_000 : undefined} /> : null}
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="text-2xl font-bold" data-testid="order-status">
            {t(`orders.status.${order.status}`)}
          </span>
          <span className="text-lg tabular-nums">
            {t("orders.units", { count: order.units })} · {formatYen(order.amountYen)}
          </span>
        </div>
        {heldPayment ? (
          <p role="status" className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="held-payment">
            {t(`orders.heldPayment.${heldPayment.kind}`)}
            {locale === "ja" ? "" : " "}
            {/* A short transfer is completed by paying the rest; staff may still refund it instead. */}
            {heldPayment.kind === "underpaid_transfer" && heldPayment.status === "open" ? t("deferredPayments.panel.underpaidOpen") : t(`orders.heldPaymentStatus.${heldPayment.status}`)}
          </p>
        ) : null}
        {hold ? (
          <p role="status" className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="allocation-hold">
            {t(`orders.allocationHold.${hold}`)}
          </p>
        ) : null}
        {inCoin && inGroup(UNPAID, order.status) ? (
          <StablecoinPayStep
            order={order}
            payment={payment}
            option={option}
            isOwner={isOwner}
            offeringHref={`/offerings/${offering.slug}`}
            actions={{ prepare: prepareStablecoinAction, submit: submitStablecoinAction }}
            t={t}
            locale={locale}
          />
        ) : null}
        <DeferredPaymentPanel order={order} isOwner={isOwner} t={t} locale={locale} />
        {order.status === "awaiting_payment" && order.paymentMethod === "card" ? (
          <div className="mt-3 space-y-2 text-sm">
            <p role="status">{checkout === "cancelled" ? t("orders.cancelledReturn") : t("orders.waiting")}</p>
            {order.checkoutUrl && order.reservationExpiresAt > new Date() ? <ButtonLink href={order.checkoutUrl}>{t("orders.payNow")}</ButtonLink> : null}
          </div>
        ) : null}
      </Card>
      <CoolingOffPanel order={order} isOwner={isOwner} t={t} locale={locale} />
      <Card>
        <h2 className="mb-3 font-bold">{t("orders.journey")}</h2>
        <ol className="space-y-2 border-l-2 border-forest-100 pl-4" data-testid="order-journey">
          {journeySteps(journey).map((step) => (
            <li key={step.id} className="text-sm" data-testid={step.kind === "settled" ? "journey-settled" : undefined}>
              <span className="font-semibold">
                {step.kind === "status"
                  ? t(`orders.status.${step.status}`)
                  : step.kind === "signed"
                    ? t("stablecoin.journey.signed")
                    : step.kind === "coolingOff"
                      ? t("coolingOff.journey")
                      : t("stablecoin.journey.settled")}
              </span>
              <time className="ml-2 text-stone-500" dateTime={step.at.toISOString()}>
                {formatDateTime(step.at, locale)}
              </time>
              {step.kind === "settled" && step.txHash ? (
                <a
                  href={explorerTxUrl(step.txHash)}
                  className="ml-2 inline-flex min-h-11 items-center font-mono text-xs text-forest-700 hover:underline"
                  aria-label={`${t("stablecoin.pay.viewTx")} ${step.txHash.slice(0, 10)}…`}
                  data-testid="journey-tx"
                >
                  {step.txHash.slice(0, 10)}…
                </a>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
      {inGroup(PAID_OR_AFTER, order.status) ? (
        <Card>
          <h2 className="font-bold">{t("orders.receipt")}</h2>
          <p className="mb-3 mt-1 text-sm text-stone-600">{t("orders.receiptLead")}</p>
          <dl className="grid grid-cols-3 gap-2 text-sm">
            <dt className="text-stone-500">{t("orders.receiptNumber")}</dt>
            <dd className="col-span-2 font-mono">{order.seq.toString().padStart(8, "0")}</dd>
            <dt className="text-stone-500">{t("orders.placedAt")}</dt>
            <dd className="col-span-2">{formatDateTime(order.createdAt, locale)}</dd>
            <dt className="text-stone-500">{t("orders.price")}</dt>
            <dd className="col-span-2">
              {formatYen(offering.priceYen)} × {order.units}
            </dd>
            <dt className="text-stone-500">{t("orders.amount")}</dt>
            <dd className="col-span-2 font-semibold">{formatYen(order.amountYen)}</dd>
            <dt className="text-stone-500">{t("orders.disclosureVersion")}</dt>
            <dd className="col-span-2">{disclosure ? `${localized(disclosure, "title", locale)} (${disclosure.version})` : "—"}</dd>
            <dt className="text-stone-500">{t("orders.issuer")}</dt>
            <dd className="col-span-2">{localized(issuer, "name", locale)}</dd>
          </dl>
        </Card>
      ) : null}
    </div>
  );
}
