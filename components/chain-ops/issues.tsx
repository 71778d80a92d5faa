import Link from "next/link";
import { StatusButton } from "@/components/staff/status-button";
import { Card } from "@/components/ui/card";
import type { FormAction } from "@/lib/actions/core";
import type { ChainIssue, IssueOrder } from "@/lib/chain/chain-issues";
import { explorerTxUrl } from "@/lib/chain/queries";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import { ReasonForm } from "./reason-form";
import { chainKindKey } from "@/lib/chain/kinds";

const STATE_TONE = { waiting: "bg-stone-100 text-stone-700", stuck: "bg-amber-100 text-amber-900", failed: "bg-red-100 text-red-800" } as const;

function OrderList({ orders, t }: { orders: IssueOrder[]; t: Translate }) {
  if (orders.length === 0) return <p className="text-sm text-stone-500">{t("chainOps.issues.noOrders")}</p>;
  return (
    <ul className="space-y-1 text-sm">
      {orders.map((order) => (
        <li key={order.id} data-testid="chain-issue-order">
          <Link className="font-mono text-forest-700 hover:underline" href={`/orders/${order.id}`}>
            #{order.seq.toString().padStart(8, "0")}
          </Link>{" "}
          {order.email} · {t("orders.units", { count: order.units })} · {t(`orders.status.${order.status}`)}
        </li>
      ))}
    </ul>
  );
}

export function IssuesSection({ offeringId, issues, locale, t, retry, giveUp }: { offeringId: string; issues: ChainIssue[]; locale: Locale; t: Translate; retry: FormAction; giveUp: FormAction }) {
  return (
    <Card>
      <h2 className="font-bold">{t("chainOps.issues.heading")}</h2>
      <p className="mb-3 mt-1 text-sm text-stone-600">{t("chainOps.issues.lead")}</p>
      {issues.length === 0 ? <p className="text-sm text-stone-600">{t("chainOps.issues.none")}</p> : null}
      <ul className="space-y-4">
        {issues.map((issue) => {
          const fields = { offeringId, chainTransactionId: issue.id };
          const canGiveUp = issue.status === "failed" || issue.status === "pending";
          const holderMove = issue.kind === "withdrawal" || issue.kind === "gas_topup";
          // A failed forced transfer needs a new request; a failed withdrawal is final (the holder asks again).
          const canRetry = !((issue.kind === "forced_transfer" || holderMove) && issue.status === "failed");
          return (
            <li key={issue.id} className="space-y-2 rounded-xl border border-stone-200 p-4" data-testid="chain-issue">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-semibold">{t(`chainOps.issues.kind.${chainKindKey(issue.kind)}`)}</span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${STATE_TONE[issue.state]}`} data-testid="chain-issue-state">
                  {t(`chainOps.issues.state.${issue.state}`)}
                </span>
                <span className="text-stone-500">
                  {t("chainOps.issues.createdAt")} {formatDateTime(issue.createdAt, locale)} · {t("chainOps.issues.attempts")} {issue.attempts}
                </span>
                {issue.txHash ? (
                  <a className="font-mono text-xs text-forest-700 hover:underline" href={explorerTxUrl(issue.txHash)}>
                    {issue.txHash.slice(0, 10)}…
                  </a>
                ) : null}
              </div>
              {holderMove ? (
                <p className="text-sm text-stone-700" data-testid="chain-issue-note">
                  {t(`withdrawals.issues.${issue.kind as "withdrawal" | "gas_topup"}`)}
                </p>
              ) : null}
              {issue.plain !== "none" ? (
                <p className="text-sm text-stone-800" data-testid="chain-issue-error">
                  {t(`chainOps.errorText.${issue.plain}`)}
                </p>
              ) : null}
              {issue.error ? (
                <details className="text-xs text-stone-600">
                  <summary className="cursor-pointer">{t("chainOps.issues.raw")}</summary>
                  <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all">{issue.error}</pre>
                </details>
              ) : null}
              <div>
                <h3 className="text-xs font-medium text-stone-500">{t("chainOps.issues.orders")}</h3>
                <OrderList orders={issue.orders} t={t} />
              </div>
              <div className="flex flex-wrap items-start gap-6">
                {canRetry ? <StatusButton action={retry} label={t("chainOps.issues.retry")} fields={fields} testId="chain-issue-retried" /> : null}
                {canGiveUp ? (
                  <div className="min-w-64 flex-1">
                    <ReasonForm
                      action={giveUp}
                      fields={fields}
                      submitLabel={issue.kind === "allocate" && issue.orders.length > 0 ? t("chainOps.issues.giveUpRefund") : t("chainOps.issues.giveUp")}
                      reasonLabel={t("chainOps.reason")}
                      variant="quiet"
                      testId="chain-issue-give-up"
                    />
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

export function AwaitingRefundSection({ offeringId, orders, t, refund }: { offeringId: string; orders: IssueOrder[]; t: Translate; refund: FormAction }) {
  if (orders.length === 0) return null;
  return (
    <Card>
      <h2 className="font-bold">{t("chainOps.awaitingRefund.heading")}</h2>
      <p className="mb-3 mt-1 text-sm text-stone-600">{t("chainOps.awaitingRefund.lead")}</p>
      <ul className="space-y-3">
        {orders.map((order) => (
          <li key={order.id} className="flex flex-wrap items-center gap-3 text-sm" data-testid="awaiting-refund">
            <span className="font-mono">#{order.seq.toString().padStart(8, "0")}</span>
            <span>{order.email}</span>
            <span>{t("orders.units", { count: order.units })}</span>
            <StatusButton
              action={refund}
              label={t("chainOps.awaitingRefund.refund")}
              fields={{ offeringId, orderId: order.id }}
              variant="quiet"
              confirm={{ question: t("chainOps.awaitingRefund.confirmRefund"), cancel: t("chainOps.awaitingRefund.cancel") }}
            />
          </li>
        ))}
      </ul>
    </Card>
  );
}
