import type { ReactNode } from "react";
import type { Order, PaymentInstructions } from "@/db/schema";
import { env } from "@/lib/env";
import { formatDate, formatDateTime, formatYen } from "@/lib/i18n/format";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { paidAtOf } from "@/lib/orders/paid-at";
import { deferredPaymentOf, type DeferredPaymentView } from "@/lib/orders/deferred/view";

type KonbiniInstructions = Extract<PaymentInstructions, { method: "konbini" }>;
type BankInstructions = Extract<PaymentInstructions, { method: "bank_transfer" }>;
type Props = { order: Order; isOwner: boolean; t: Translate; locale: Locale };

const linkClass = "inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline";
const numberClass = "select-all break-all font-mono text-lg font-bold tracking-wider tabular-nums";

/**
 * Konbini voucher or bank account to pay to, with the deadline (konbini and bank-transfer orders).
 * The numbers and the account are the buyer's alone; staff see only that a payment is awaited. The
 * order page refreshes itself while the order is unpaid, so a payment shows without a reload.
 */
export async function DeferredPaymentPanel({ order, isOwner, t, locale }: Props) {
  const view = deferredPaymentOf(order);
  if (!view) return null;
  const { method, instructions } = view;
  if (view.state === "paid" || view.state === "refunded") {
    const paidAt = await paidAtOf(order.id);
    return <Line>{paidAt ? t(`deferredPayments.panel.paid.${method}`, { date: formatDate(paidAt, locale) }) : t(`deferredPayments.panel.paidUndated.${method}`)}</Line>;
  }
  if (view.state === "released") return <Line>{order.status === "expired" ? t(`deferredPayments.panel.expired.${method}`) : t("deferredPayments.panel.cancelled")}</Line>;
  if (!instructions || instructions.method !== method) return <Line>{t("deferredPayments.panel.preparing")}</Line>;
  if (view.overdue) return <Line>{t("deferredPayments.panel.overdue")}</Line>;
  const deadline = new Date(instructions.expiresAt);
  if (!isOwner) return <Line>{t("deferredPayments.panel.othersView", { time: formatDateTime(deadline, locale) })}</Line>;
  const demo = env().isDemo;
  return (
    <section aria-labelledby="deferred-heading" className="mt-4 space-y-4 border-t border-stone-200 pt-4" data-testid="deferred-panel">
      <h2 id="deferred-heading" className="text-lg font-bold">
        {t(method === "konbini" ? "deferredPayments.panel.konbiniHeading" : "deferredPayments.panel.bankHeading")}
      </h2>
      <p role="status" className="rounded-lg bg-amber-50 p-3 text-sm font-semibold text-amber-900">
        {t(method === "konbini" ? "deferredPayments.panel.payBy" : "deferredPayments.panel.payByBank", { time: formatDateTime(deadline, locale) })}
      </p>
      {instructions.method === "konbini" ? (
        <Konbini order={order} instructions={instructions} deadline={deadline} demo={demo} t={t} locale={locale} />
      ) : (
        <Bank order={order} instructions={instructions} view={view} deadline={deadline} demo={demo} t={t} locale={locale} />
      )}
    </section>
  );
}

function Line({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="mt-3 text-sm text-stone-700" data-testid="deferred-panel">
      {children}
    </p>
  );
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-0.5 py-2 sm:grid-cols-[10rem_1fr] sm:gap-3">
      <dt className="text-xs font-medium text-stone-500 sm:text-sm">{label}</dt>
      <dd className="min-w-0 text-base" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function Deadline({ deadline, bank = false, t, locale }: { deadline: Date; bank?: boolean; t: Translate; locale: Locale }) {
  return (
    <Row label={t(bank ? "deferredPayments.panel.deadlineBank" : "deferredPayments.panel.deadline")}>
      <time dateTime={deadline.toISOString()} className="font-semibold" data-testid="payment-deadline">
        {formatDateTime(deadline, locale)}
      </time>
    </Row>
  );
}

/** The processor's hosted page; in demo mode it is the emulator's, with the test payment buttons on it. */
function HostedLink({ href, label, demo, t }: { href: string | null; label: string; demo: boolean; t: Translate }) {
  if (!href) return null;
  return (
    <p className="text-sm">
      <a href={href} target="_blank" rel="noreferrer" className={linkClass} data-testid="deferred-hosted-link">
        {label} ↗
      </a>
      {demo ? (
        <a href={href} target="_blank" rel="noreferrer" className="ml-1 block text-xs text-stone-500 underline" data-testid="deferred-test-payment">
          {t("deferredPayments.panel.demo")}
        </a>
      ) : null}
    </p>
  );
}

type PartProps<I> = { order: Order; instructions: I; deadline: Date; demo: boolean; t: Translate; locale: Locale };

function Konbini({ order, instructions, deadline, demo, t, locale }: PartProps<KonbiniInstructions>) {
  return (
    <>
      <dl className="divide-y divide-stone-100">
        <Row label={t("deferredPayments.panel.amount")}>
          <span className="text-xl font-bold tabular-nums">{formatYen(order.amountYen)}</span>
        </Row>
        <Deadline deadline={deadline} t={t} locale={locale} />
      </dl>
      <ul className="grid gap-3 sm:grid-cols-2">
        {instructions.stores.map((store, index) => (
          <li key={store.chain} className="rounded-lg border border-stone-200 p-3">
            <h3 className="font-bold">{t(`deferredPayments.panel.stores.${store.chain}`)}</h3>
            <dl className="mt-1 space-y-1">
              <div>
                <dt className="text-xs text-stone-500">{t("deferredPayments.panel.paymentCode")}</dt>
                <dd className={numberClass} data-testid={index === 0 ? "konbini-number" : `konbini-number-${store.chain}`}>
                  {store.paymentCode ?? "—"}
                </dd>
              </div>
              {store.confirmationNumber ? (
                <div>
                  <dt className="text-xs text-stone-500">{t("deferredPayments.panel.confirmationNumber")}</dt>
                  <dd className={numberClass}>{store.confirmationNumber}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
      <HostedLink href={instructions.voucherUrl} label={t("deferredPayments.panel.voucher")} demo={demo} t={t} />
      <div>
        <h3 className="text-sm font-bold">{t("deferredPayments.panel.stepsHeading")}</h3>
        <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm text-stone-700">
          <li>{t("deferredPayments.panel.step1")}</li>
          <li>{t("deferredPayments.panel.step2")}</li>
          <li>{t("deferredPayments.panel.step3")}</li>
        </ol>
      </div>
    </>
  );
}

function Bank({ instructions, view, deadline, demo, t, locale }: PartProps<BankInstructions> & { view: DeferredPaymentView }) {
  // The smaller of the processor's figure and the portal's own count, so a late update on either side never asks for too much.
  const remaining = Math.min(instructions.amountRemainingYen, view.remainingYen);
  const type = instructions.accountType;
  const typeLabel = type === "futsu" || type === "toza" ? t(`deferredPayments.panel.accountTypes.${type}`) : type;
  return (
    <>
      {view.receivedYen > 0 ? (
        <p className="rounded-lg bg-stone-100 p-3 text-sm" data-testid="amount-received">
          {t("deferredPayments.panel.received", { received: formatYen(view.receivedYen), remaining: formatYen(remaining) })}
        </p>
      ) : null}
      <dl className="divide-y divide-stone-100">
        <Row label={t("deferredPayments.panel.remaining")}>
          <span className="text-xl font-bold tabular-nums" data-testid="amount-remaining">
            {formatYen(remaining)}
          </span>
        </Row>
        <Deadline deadline={deadline} bank t={t} locale={locale} />
        <Row label={t("deferredPayments.panel.bank")}>{t("deferredPayments.panel.bankValue", { name: instructions.bankName, code: instructions.bankCode })}</Row>
        <Row label={t("deferredPayments.panel.branch")}>{t("deferredPayments.panel.branchValue", { name: instructions.branchName, code: instructions.branchCode })}</Row>
        <Row label={t("deferredPayments.panel.accountType")}>{typeLabel}</Row>
        <Row label={t("deferredPayments.panel.accountNumber")}>
          <span className={numberClass} data-testid="bank-account-number">
            {instructions.accountNumber}
          </span>
        </Row>
        <Row label={t("deferredPayments.panel.holder")}>
          <span className="break-all font-semibold" data-testid="bank-account-holder">
            {instructions.accountHolderName}
          </span>
        </Row>
      </dl>
      <p className="text-sm text-stone-700">{t("deferredPayments.panel.sameAccount")}</p>
      <p className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">{t("deferredPayments.panel.note")}</p>
      <HostedLink href={instructions.instructionsUrl} label={t("deferredPayments.panel.instructions")} demo={demo} t={t} />
    </>
  );
}
