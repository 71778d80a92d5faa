import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/session";
import { isCarryOverRun } from "@/lib/coupons/carry-over-run";
import { issuerPayoutSettingsOf } from "@/lib/coupons/issuer-settings";
import { couponRunDetail } from "@/lib/coupons/queries";
import { formatDateTime, formatNumber, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { offeringForStaff } from "@/lib/issuers/access";
import { formatCalendarDate } from "@/lib/i18n/format";
import { approveRunAction, cancelRunAction, markAllPaidAction, markPaymentFailedAction, markPaymentPaidAction } from "../actions";
import { ReasonConfirmForm } from "../forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("coupons.title") };
}

type Props = { params: Promise<{ id: string; runId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const STATUSES = ["in_file", "waiting_account", "paid", "failed", "carried"] as const;

/** One coupon run: totals, every holder's payment, and the steps (approve, file, paid, failed, cancel). Staff of the issuer only. */
export default async function CouponRunPage({ params, searchParams }: Props) {
  const { id, runId } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/coupons/${runId}`);
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(runId).success) notFound();
  const offering = await offeringForStaff(user, id);
  if (!offering) notFound();
  const query = await searchParams;
  const page = Math.max(1, Number.parseInt(typeof query.page === "string" ? query.page : "1", 10) || 1);
  const [{ locale, t }, detail, settings] = await Promise.all([getTranslator(), couponRunDetail(offering.id, runId, page), issuerPayoutSettingsOf(offering.villageId)]);
  if (!detail) notFound();
  const { run } = detail;
  const base = `/staff/offerings/${offering.id}/coupons`;
  const fields = { offeringId: offering.id, runId: run.id };
  const cancel = t("coupons.actions.confirmCancel");
  const ownRun = run.preparedBy === user.id;
  const carryOver = await isCarryOverRun(getDb(), run);
  const paymentDay = formatCalendarDate(run.paymentDate, locale);
  const registerHref = `/staff/register?${new URLSearchParams({ offering: offering.id, ...(carryOver ? {} : { at: `${detail.recordDate}T23:59` }) })}`;
  const owedLater = (detail.byStatus.waiting_account?.count ?? 0) + (detail.byStatus.failed?.count ?? 0) > 0;
  return (
    <div className="space-y-4">
      <nav className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <Link href={base} className="text-forest-700 hover:underline">
          ← {t("coupons.backToRuns")}
        </Link>
        <Link href={registerHref} className="text-forest-700 hover:underline" data-testid="coupon-run-register">
          {carryOver ? t("coupons.detail.registerNow") : t("coupons.detail.register", { date: formatCalendarDate(detail.recordDate, locale) })} →
        </Link>
      </nav>
      <PageHeading
        title={`${carryOver ? t("coupons.detail.carryOverTitle", { date: paymentDay }) : t("coupons.detail.title", { number: run.paymentNumber, date: paymentDay })}: ${localized(offering, "name", locale)}`}
        lead={`${carryOver ? t("coupons.detail.carryOverKind") : t(`coupons.detail.kind.${run.kind}`)} · ${t(`coupons.run.status.${run.status}`)}`}
      />
      <Card>
        <h2 className="mb-3 font-bold">{t("coupons.detail.totals")}</h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="coupon-run-totals">
          <Stat label={t("coupons.detail.holders")} value={formatNumber(run.holders, locale)} />
          <Stat label={t("coupons.detail.gross")} value={formatYen(run.grossYen)} testId="run-gross" />
          <Stat label={t("coupons.detail.national")} value={formatYen(run.nationalTaxYen)} />
          <Stat label={t("coupons.detail.local")} value={formatYen(run.localTaxYen)} />
          <Stat label={t("coupons.detail.net")} value={formatYen(run.netYen)} testId="run-net" />
          <Stat label={t("coupons.detail.principal")} value={formatYen(run.principalYen)} />
          <Stat label={t("coupons.detail.carriedIn")} value={formatYen(run.carriedInYen)} />
        </dl>
        <ul className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-700">
          {STATUSES.filter((status) => detail.byStatus[status]).map((status) => (
            <li key={status}>{t("coupons.detail.byStatus", { status: t(`coupons.payment.status.${status}`), count: detail.byStatus[status]!.count, yen: formatYen(detail.byStatus[status]!.yen) })}</li>
          ))}
        </ul>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-stone-500">{t("coupons.detail.preparedBy")}</dt>
          <dd>
            {detail.preparedByEmail} · {formatDateTime(run.preparedAt, locale)}
          </dd>
          {run.approvedAt ? (
            <>
              <dt className="text-stone-500">{t("coupons.detail.approvedBy")}</dt>
              <dd>
                {detail.approvedByEmail} · {formatDateTime(run.approvedAt, locale)}
              </dd>
            </>
          ) : null}
          {run.fileCreatedAt ? (
            <>
              <dt className="text-stone-500">{t("coupons.detail.fileCreatedAt")}</dt>
              <dd>{formatDateTime(run.fileCreatedAt, locale)}</dd>
            </>
          ) : null}
          {run.closedAt ? (
            <>
              <dt className="text-stone-500">{t("coupons.detail.closedAt")}</dt>
              <dd>{formatDateTime(run.closedAt, locale)}</dd>
            </>
          ) : null}
          {run.status === "cancelled" ? (
            <>
              <dt className="text-stone-500">{t("coupons.detail.cancelledBy")}</dt>
              <dd>{detail.cancelledByEmail ?? "—"}</dd>
              <dt className="text-stone-500">{t("coupons.detail.cancelReason")}</dt>
              <dd className="whitespace-pre-wrap" data-testid="coupon-cancel-reason">
                {run.cancelReason ?? "—"}
              </dd>
            </>
          ) : null}
        </dl>
        {run.status !== "prepared" && run.status !== "cancelled" && owedLater ? <p className="mt-4 text-sm text-stone-600">{t("coupons.detail.waitingNote")}</p> : null}
      </Card>
      {run.status === "prepared" ? (
        <Card className="space-y-4">
          <p className="text-sm text-stone-600">{t("coupons.detail.previewNote")}</p>
          {ownRun ? (
            <p className="text-sm font-medium text-amber-900" data-testid="coupon-own-run">
              {t("coupons.actions.ownRun")}
            </p>
          ) : (
            <StatusButton action={approveRunAction} label={t("coupons.actions.approve")} fields={fields} testId="coupon-approve" confirm={{ question: t("coupons.actions.approveConfirm"), cancel }} />
          )}
          <ReasonConfirmForm
            action={cancelRunAction}
            fields={fields}
            label={t("coupons.actions.cancel")}
            reasonLabel={t("coupons.actions.reason")}
            confirm={{ question: t("coupons.actions.cancelConfirm"), cancel }}
            testId="coupon-cancel"
          />
        </Card>
      ) : null}
      {run.status === "approved" ? (
        <Card className="space-y-4">
          <p className="text-sm text-stone-600">{t("coupons.actions.downloadNote")}</p>
          {run.fileCreatedAt ? (
            <p className="text-sm font-medium text-amber-900" data-testid="coupon-file-downloaded">
              {t("coupons.actions.downloadedBefore", { date: formatDateTime(run.fileCreatedAt, locale) })}
            </p>
          ) : null}
          {settings ? (
            <a
              href={`${base}/${run.id}/file`}
              download
              className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700"
              data-testid="coupon-file"
            >
              {t("coupons.actions.download")}
            </a>
          ) : (
            <p className="text-sm font-medium text-amber-900" data-testid="coupon-no-settings">
              {t("coupons.errors.noSettings")}{" "}
              <Link href={base} className="underline">
                {t("coupons.backToRuns")}
              </Link>
            </p>
          )}
          <StatusButton
            action={markAllPaidAction}
            label={t("coupons.actions.markAllPaid")}
            fields={fields}
            testId="coupon-mark-all"
            confirm={{ question: t("coupons.actions.markAllConfirm"), cancel }}
          />
        </Card>
      ) : null}
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="coupon-payments">
            <thead className="text-xs text-stone-500">
              <tr>
                <th className="py-2 pr-3">{t("coupons.detail.holder")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.units")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.gross")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.national")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.local")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.net")}</th>
                <th className="py-2 pr-3 text-right">{t("coupons.detail.principal")}</th>
                <th className="py-2 pr-3">{t("coupons.detail.status")}</th>
                <th className="py-2 pr-3">{t("coupons.detail.account")}</th>
                <th className="py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100 align-top">
              {detail.payments.map((payment) => (
                <tr key={payment.id} data-testid="coupon-payment">
                  <td className="py-2 pr-3" data-testid="payment-holder">
                    {payment.holder}
                    {payment.carriedFromId ? <span className="ml-1 rounded bg-stone-100 px-1 text-xs">{t("coupons.detail.carried")}</span> : null}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">{formatNumber(payment.units, locale)}</td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums" data-testid="payment-gross">
                    {formatYen(payment.grossYen)}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums" data-testid="payment-national">
                    {formatYen(payment.nationalTaxYen)}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums" data-testid="payment-local">
                    {formatYen(payment.localTaxYen)}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums" data-testid="payment-net">
                    {formatYen(payment.netYen)}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">{formatYen(payment.principalYen)}</td>
                  <td className="py-2 pr-3" data-testid="coupon-payment-status">
                    {t(`coupons.payment.status.${payment.status}`)}
                    {payment.failureReason ? <span className="block text-xs text-stone-500">{`${t("coupons.detail.failureReason")}: ${payment.failureReason}`}</span> : null}
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs">{payment.account ?? t("coupons.detail.noAccount")}</td>
                  <td className="space-y-2 py-2">
                    {run.status === "approved" && payment.status === "in_file" ? (
                      <>
                        <StatusButton
                          action={markPaymentPaidAction}
                          label={t("coupons.actions.markPaid")}
                          fields={{ ...fields, paymentId: payment.id }}
                          variant="quiet"
                          confirm={{ question: t("coupons.actions.markPaidConfirm"), cancel }}
                        />
                        <details className="text-sm">
                          <summary className="cursor-pointer text-stone-700 underline-offset-4 hover:underline">{t("coupons.actions.markFailed")}</summary>
                          <div className="mt-2 w-64">
                            <ReasonConfirmForm
                              action={markPaymentFailedAction}
                              fields={{ ...fields, paymentId: payment.id }}
                              label={t("coupons.actions.markFailed")}
                              reasonLabel={t("coupons.actions.reason")}
                              confirm={{ question: t("coupons.actions.markFailedConfirm"), cancel }}
                              testId="coupon-fail"
                            />
                          </div>
                        </details>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {detail.pages > 1 ? (
          <nav className="mt-4 flex items-center gap-4 text-sm">
            {page > 1 ? (
              <Link href={`?page=${page - 1}`} className="text-forest-700 hover:underline">
                ← {t("coupons.detail.previous")}
              </Link>
            ) : null}
            <span>{t("coupons.detail.page", { page, pages: detail.pages })}</span>
            {page < detail.pages ? (
              <Link href={`?page=${page + 1}`} className="text-forest-700 hover:underline">
                {t("coupons.detail.next")} →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}
