import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatDateTime, formatYen } from "@/lib/i18n/format";
import { listOrdersOf } from "@/lib/orders/queries";
import { inGroup, UNPAID } from "@/lib/orders/status";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("orders.title") };
}

export default async function OrdersPage() {
  const user = await requireUser("/orders");
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listOrdersOf(user.id)]);
  return (
    <>
      <PageHeading title={t("orders.title")} />
      {rows.length === 0 ? <p className="text-stone-600">{t("orders.empty")}</p> : null}
      <ul className="space-y-3">
        {rows.map(({ order, offering }) => (
          <li key={order.id}>
            <Card className="flex flex-wrap items-center justify-between gap-3">
              <div>
                <p className="font-semibold">{localized(offering, "name", locale)}</p>
                <p className="text-sm text-stone-600">
                  {t("orders.units", { count: order.units })} · {formatYen(order.amountYen)} · {formatDateTime(order.createdAt, locale)}
                </p>
                {order.paymentMethod === "konbini" || order.paymentMethod === "bank_transfer" ? (
                  <p className="text-sm text-stone-600" data-testid="order-method">
                    {t(`deferredPayments.method.${order.paymentMethod}`)}
                    {inGroup(UNPAID, order.status) && order.paymentInstructions ? (
                      <span className="font-semibold text-amber-800"> · {t("deferredPayments.list.payBy", { time: formatDateTime(new Date(order.paymentInstructions.expiresAt), locale) })}</span>
                    ) : null}
                  </p>
                ) : null}
              </div>
              <div className="flex items-center gap-3">
                <span className="rounded-full bg-stone-100 px-3 py-1 text-xs font-semibold" data-testid="order-status">
                  {t(`orders.status.${order.status}`)}
                </span>
                <Link href={`/orders/${order.id}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                  {t("orders.detail")} →
                </Link>
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
