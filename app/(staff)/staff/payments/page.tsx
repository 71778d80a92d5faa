import Link from "next/link";
import { TransferDecisions, TransferFigures } from "@/components/deferred-payments/transfer-decisions";
import { DismissForm } from "@/components/orders/dismiss-form";
import { ActionButton } from "@/components/ui/action-button";
import { PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { formatDateTime, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { staffScopeOf } from "@/lib/issuers/scope";
import { listPaymentExceptions } from "@/lib/orders/exceptions";
import { dismissExceptionAction, refundExceptionAction, requestTopUpAction } from "./actions";

const isTransfer = (kind: string) => kind === "underpaid_transfer" || kind === "unapplied_transfer";

/** Every payment the portal could not apply as it is, with the staff decision it needs. */
const SYSTEM_NOTES = ["paid_in_full", "payment_cancelled"] as const;
/** A case the portal ended itself carries `system:<reason>` instead of a staff member's words. */
function systemNote(note: string): (typeof SYSTEM_NOTES)[number] | null {
  const reason = note.startsWith("system:") ? note.slice("system:".length) : null;
  return SYSTEM_NOTES.find((known) => known === reason) ?? null;
}

export default async function StaffPaymentsPage() {
  const user = await requireRole("staff", "/staff/payments");
  const scope = await staffScopeOf(user);
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listPaymentExceptions(scope)]);
  return (
    <>
      <PageHeading title={t("staffPayments.title")} lead={t("staffPayments.lead")} />
      {scope.all ? null : <p className="mb-4 text-sm text-stone-600">{t("issuers.scope.paymentsNote")}</p>}
      {rows.length === 0 ? <p className="text-sm text-stone-600">{t("staffPayments.none")}</p> : null}
      <ul className="grid gap-3">
        {rows.map(({ exception, orderStatus, ...names }) => (
          <li key={exception.id} className="rounded-2xl border border-stone-200 bg-white p-4 text-sm" data-testid="payment-exception">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <strong>{t(`staffPayments.kind.${exception.kind}`)}</strong>
              <span className="text-xs text-stone-500">
                {formatDateTime(exception.createdAt, locale)} · {t(`staffPayments.status.${exception.status}`)}
              </span>
            </div>
            <p className="mt-1 text-stone-700">{t(`staffPayments.explain.${exception.kind}`)}</p>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-stone-600">
              <dt>{t("staffPayments.amount")}</dt>
              <dd className="tabular-nums">
                {exception.amountYen > 0 ? formatYen(exception.amountYen) : "—"}
                {exception.currency && exception.currency !== "jpy" ? ` (${exception.currency})` : ""}
              </dd>
              {isTransfer(exception.kind) ? <TransferFigures exception={exception} t={t} /> : null}
              {exception.orderId ? (
                <>
                  <dt>{t("staffPayments.order")}</dt>
                  <dd>
                    <Link className="text-forest-700 hover:underline" href={`/orders/${exception.orderId}`}>
                      {localized(names, "offeringName", locale) ?? exception.orderId}
                    </Link>
                    {orderStatus ? ` · ${t(`orders.status.${orderStatus}`)}` : ""}
                  </dd>
                </>
              ) : null}
              <dt>{t("staffPayments.payment")}</dt>
              <dd className="break-all font-mono">
                {exception.paymentIntentId ?? "—"} · {exception.stripeEventId}
              </dd>
              {exception.resolutionNote ? (
                <>
                  <dt>{t("staffPayments.note")}</dt>
                  <dd>{systemNote(exception.resolutionNote) ? t(`staffPayments.systemNote.${systemNote(exception.resolutionNote)!}`) : exception.resolutionNote}</dd>
                </>
              ) : null}
            </dl>
            {isTransfer(exception.kind) && (exception.status === "open" || exception.status === "topup_requested") ? (
              <div className="mt-3 flex flex-wrap items-center gap-4">
                <TransferDecisions exception={exception} actions={{ topUp: requestTopUpAction, refund: refundExceptionAction }} t={t} />
                {exception.status === "open" ? <DismissForm action={dismissExceptionAction} exceptionId={exception.id} label={t("staffPayments.dismiss")} noteLabel={t("staffPayments.note")} /> : null}
              </div>
            ) : exception.status === "open" ? (
              <div className="mt-3 flex flex-wrap items-center gap-4">
                {exception.amountYen > 0 && exception.paymentIntentId ? (
                  <ActionButton
                    action={refundExceptionAction}
                    fields={{ exceptionId: exception.id }}
                    label={t("staffPayments.refund")}
                    variant="primary"
                    confirm={{ question: t("staffPayments.confirmRefund"), cancel: t("staffPayments.cancel") }}
                  />
                ) : null}
                <DismissForm action={dismissExceptionAction} exceptionId={exception.id} label={t("staffPayments.dismiss")} noteLabel={t("staffPayments.note")} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
