import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime, formatNumber, formatYen } from "@/lib/i18n/format";
import { issuerIdsOf } from "@/lib/issuers/access";
import { offeringsOfIssuers, searchStaffOrders } from "@/lib/orders/queries";
import { parseStaffOrderQuery, STAFF_ORDERS_PAGE_SIZE, searchProblems, staffOrderHref, staffOrderParams } from "@/lib/orders/staff-search";
import { inGroup, REFUNDABLE } from "@/lib/orders/status";
import { refundOrderAction } from "./actions";
import { OrderSearchForm } from "./search-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("staffOrders.title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function StaffOrdersPage({ searchParams }: Props) {
  const user = await requireRole("staff", "/staff/orders");
  const [{ locale, t }, issuerIds, raw] = await Promise.all([getTranslator(), issuerIdsOf(user), searchParams]);
  const params = staffOrderParams(raw);
  const query = parseStaffOrderQuery(params);
  const [offerings, found] = await Promise.all([offeringsOfIssuers(issuerIds), query.success ? searchStaffOrders(issuerIds, query.data.filters, query.data.page, STAFF_ORDERS_PAGE_SIZE) : null]);
  const page = query.success ? query.data.page : 1;
  const pages = Math.max(1, Math.ceil((found?.total ?? 0) / STAFF_ORDERS_PAGE_SIZE));
  return (
    <>
      <PageHeading title={t("staffOrders.title")} lead={t("staffOrders.lead")} />
      <Card className="mb-6">
        <OrderSearchForm t={t} locale={locale} params={params} offerings={offerings} problems={query.success ? {} : searchProblems(query.error, t)} />
        {query.success ? null : (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {t("staffOrderSearch.invalid")}
          </p>
        )}
      </Card>
      {found ? (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-stone-600" data-testid="order-total">
              {t("staffOrderSearch.total", { count: formatNumber(found.total, locale) })}
            </p>
            <a
              href={staffOrderHref("/staff/orders/export", params)}
              className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700"
              download
            >
              {t("staffOrderSearch.export")}
            </a>
          </div>
          {found.rows.length === 0 ? <p className="text-stone-600">{t("staffOrderSearch.empty")}</p> : null}
          {found.rows.length > 0 ? (
            <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
              <table className="w-full text-left text-sm">
                <thead className="whitespace-nowrap bg-stone-50 text-xs text-stone-500">
                  <tr>
                    <th className="px-3 py-2">{t("staffOrderSearch.columns.seq")}</th>
                    <th className="px-3 py-2">{t("orders.placedAt")}</th>
                    <th className="px-3 py-2">{t("staffOrders.investor")}</th>
                    <th className="px-3 py-2">{t("staffOrderSearch.offering")}</th>
                    <th className="px-3 py-2">{t("orders.amount")}</th>
                    <th className="px-3 py-2">{t("orders.journey")}</th>
                    <th className="px-3 py-2" />
                  </tr>
                </thead>
                <tbody>
                  {found.rows.map(({ order, email, offering }) => (
                    <tr key={order.id} className="border-t border-stone-100" data-testid="staff-order-row">
                      <td className="px-3 py-2 tabular-nums">{order.seq}</td>
                      <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(order.createdAt, locale)}</td>
                      <td className="px-3 py-2">{email}</td>
                      <td className="px-3 py-2">{locale === "ja" ? offering.nameJa : offering.nameEn}</td>
                      <td className="px-3 py-2 tabular-nums">
                        {formatYen(order.amountYen)} ({t("orders.units", { count: order.units })})
                      </td>
                      <td className="px-3 py-2">
                        <Link className="text-forest-700 hover:underline" href={`/orders/${order.id}`}>
                          {t(`orders.status.${order.status}`)}
                        </Link>
                      </td>
                      <td className="px-3 py-2">
                        {inGroup(REFUNDABLE, order.status) ? (
                          <ActionButton
                            action={refundOrderAction}
                            fields={{ orderId: order.id }}
                            label={t("staffOrders.refund")}
                            confirm={{ question: t("staffOrders.confirmRefund"), cancel: t("staffOrders.cancel") }}
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {pages > 1 ? (
            <nav aria-label={t("staffOrderSearch.pagination")} className="mt-4 flex flex-wrap items-center gap-3 text-sm" data-testid="order-pages">
              {page > 1 ? (
                <Link href={staffOrderHref("/staff/orders", params, page - 1)} rel="prev" className="text-forest-700 hover:underline">
                  ← {t("staffOrderSearch.previous")}
                </Link>
              ) : null}
              <span>{t("staffOrderSearch.page", { page, pages })}</span>
              {page < pages ? (
                <Link href={staffOrderHref("/staff/orders", params, page + 1)} rel="next" className="text-forest-700 hover:underline">
                  {t("staffOrderSearch.next")} →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}
