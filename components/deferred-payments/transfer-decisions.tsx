import type { FormAction } from "@/lib/actions/core";
import type { PaymentException } from "@/db/schema";
import { ActionButton } from "@/components/ui/action-button";
import { formatYen } from "@/lib/i18n/format";
import type { Translate } from "@/lib/i18n/catalog";

const yenIn = (detail: PaymentException["detail"], key: string): number | null => {
  const value = detail?.[key];
  return typeof value === "number" && Number.isInteger(value) ? value : null;
};

/**
 * A transfer case's yen: what arrived (a short transfer) or what the balance holds (unapplied money),
 * which is what the case holds, and what is still missing, from the case's detail.
 */
function transferAmounts(exception: Pick<PaymentException, "amountYen" | "detail">): { received: number; remaining: number | null } {
  return { received: exception.amountYen, remaining: yenIn(exception.detail, "remainingYen") };
}

/** The amounts a bank-transfer case is about, as rows of the case's list. */
export function TransferFigures({ exception, t }: { exception: PaymentException; t: Translate }) {
  const { received, remaining } = transferAmounts(exception);
  const expected = yenIn(exception.detail, "expectedYen");
  // A closed case holds no money any more (its amount is 0): what arrived and what was missing are history, not to act on.
  const live = exception.kind === "underpaid_transfer" && (exception.status === "open" || exception.status === "topup_requested");
  return (
    <>
      {exception.kind === "underpaid_transfer" && expected !== null ? (
        <>
          <dt>{t("deferredPayments.decisions.expected")}</dt>
          <dd className="tabular-nums">{formatYen(expected)}</dd>
        </>
      ) : null}
      {live ? (
        <>
          <dt>{t("deferredPayments.decisions.received")}</dt>
          <dd className="tabular-nums" data-testid="transfer-received">
            {formatYen(received)}
          </dd>
        </>
      ) : null}
      {live && remaining !== null ? (
        <>
          <dt>{t("deferredPayments.decisions.remaining")}</dt>
          <dd className="tabular-nums" data-testid="transfer-remaining">
            {formatYen(remaining)}
          </dd>
        </>
      ) : null}
      {exception.stripeCustomerId ? (
        <>
          <dt>{t("deferredPayments.decisions.customer")}</dt>
          <dd className="break-all font-mono">{exception.stripeCustomerId}</dd>
        </>
      ) : null}
    </>
  );
}

/**
 * Staff decisions on a bank-transfer case, each behind a confirm step: a short transfer is topped
 * up or refunded with its order cancelled; money no order took is refunded from the balance.
 */
export function TransferDecisions({ exception, actions, t }: { exception: PaymentException; actions: { topUp: FormAction; refund: FormAction }; t: Translate }) {
  const { received, remaining } = transferAmounts(exception);
  const fields = { exceptionId: exception.id };
  const cancel = t("staffPayments.cancel");
  if (exception.kind === "underpaid_transfer") {
    return (
      <>
        {exception.status === "open" ? (
          <ActionButton
            action={actions.topUp}
            fields={fields}
            label={t("deferredPayments.decisions.askRest")}
            variant="primary"
            confirm={{ question: t("deferredPayments.decisions.confirmAskRest", { remaining: remaining === null ? "—" : formatYen(remaining) }), cancel }}
          />
        ) : null}
        <ActionButton
          action={actions.refund}
          fields={fields}
          label={t("deferredPayments.decisions.refundAndCancel")}
          confirm={{ question: t("deferredPayments.decisions.confirmRefundAndCancel", { received: formatYen(received) }), cancel }}
        />
      </>
    );
  }
  if (exception.kind === "unapplied_transfer") {
    return (
      <ActionButton
        action={actions.refund}
        fields={fields}
        label={t("deferredPayments.decisions.refundBalance")}
        variant="primary"
        confirm={{ question: t("deferredPayments.decisions.confirmRefundBalance", { amount: formatYen(received) }), cancel }}
      />
    );
  }
  return null;
}
