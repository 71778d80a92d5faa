import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import { PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime, formatYen } from "@/lib/i18n/format";
import { listRecentOrders } from "@/lib/orders/queries";
import { inGroup, REFUNDABLE } from "@/lib/orders/status";
import { refundOrderAction } from "./actions";

export default async function StaffOrdersPage() {
  await requireRole("staff", "/staff/orders");
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listRecentOrders()]);
  return (
    <>
      <PageHeading title={t("staffOrders.title")} lead={t("staffOrders.lead")} />
      <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-stone-50 text-xs text-stone-500">
            <tr>
              <th className="px-3 py-2">{t("orders.placedAt")}</th>
              <th className="px-3 py-2">{t("staffOrders.investor")}</th>
              <th className="px-3 py-2">{t("orders.amount")}</th>
              <th className="px-3 py-2">{t("orders.journey")}</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ order, email }) => (
              <tr key={order.id} className="border-t border-stone-100" data-testid="staff-order-row">
                <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(order.createdAt, locale)}</td>
                <td className="px-3 py-2">{email}</td>
                <td className="px-3 py-2 tabular-nums">
                  {formatYen(order.amountYen)} ({t("orders.units", { count: order.units })})
                </td>
                <td className="px-3 py-2">
                  <Link className="text-forest-700 hover:underline" href={`/orders/${order.id}`}>
                    {t(`orders.status.${order.status}`)}
                  </Link>
                </td>
                <td className="px-3 py-2">{inGroup(REFUNDABLE, order.status) ? <ActionButton action={refundOrderAction} fields={{ orderId: order.id }} label={t("staffOrders.refund")} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
