import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { AddressText } from "@/components/own-wallets/address";
import { ApprovalStateBadge } from "@/components/own-wallets/approval-state";
import { RejectApprovalForm } from "@/components/own-wallets/reject-form";
import { ActionButton } from "@/components/ui/action-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { staffApprovalsFor, type StaffApprovalRow } from "@/lib/wallet-links/approvals";
import { approveLinkedWalletAction, rejectLinkedWalletAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("ownWallets.staff.title") };
}

function ApprovalItem({ row, offeringId, locale, t }: { row: StaffApprovalRow; offeringId: string; locale: Locale; t: Translate }) {
  const fields = { offeringId, approvalId: row.id };
  return (
    <li className="grid gap-3 py-4 sm:grid-cols-2" data-testid="staff-wallet-approval" data-state={row.state} data-address={row.address}>
      <div className="min-w-0 space-y-1 text-sm">
        <ApprovalStateBadge state={row.state} t={t} />
        <p className="font-semibold">
          {row.name ?? row.email} <span className="font-normal text-stone-600">{row.name ? row.email : ""}</span>
        </p>
        <AddressText address={row.address} testId="staff-wallet-address" />
        <p className="text-stone-600">
          {t("ownWallets.staff.linkedAt", { date: formatDateTime(row.linkedAt, locale) })} · {t("ownWallets.staff.requestedAt", { date: formatDateTime(row.requestedAt, locale) })}
        </p>
        <p className="text-stone-600">{t("ownWallets.staff.units", { units: t("orders.units", { count: formatNumber(row.units, locale) }) })}</p>
        {row.decidedAt ? <p className="text-stone-600">{t("ownWallets.staff.decidedAt", { date: formatDateTime(row.decidedAt, locale) })}</p> : null}
        {row.reason ? <p className="text-stone-600">{t("ownWallets.reason", { reason: row.reason })}</p> : null}
        {row.allowlistTxHash ? (
          <Link href={`/explorer/tx/${row.allowlistTxHash}`} className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
            {t("ownWallets.staff.tx")} →
          </Link>
        ) : null}
      </div>
      <div className="min-w-0 space-y-3">
        {row.state === "requested" ? (
          <>
            <ActionButton
              action={approveLinkedWalletAction}
              fields={fields}
              label={t("ownWallets.staff.approve")}
              variant="primary"
              confirm={{ question: t("ownWallets.staff.approveConfirm", { address: row.address }), cancel: t("ownWallets.staff.cancel") }}
            />
            <details className="text-sm">
              <summary className="flex min-h-11 cursor-pointer items-center text-stone-700 underline-offset-4 hover:underline">{t("ownWallets.staff.reject")}</summary>
              <RejectApprovalForm
                action={rejectLinkedWalletAction}
                fields={fields}
                label={t("ownWallets.staff.rejectReason")}
                button={t("ownWallets.staff.reject")}
                confirm={{ question: t("ownWallets.staff.rejectConfirm"), cancel: t("ownWallets.staff.cancel") }}
              />
            </details>
          </>
        ) : null}
        {row.state === "failed" ? (
          <Link href={`/staff/offerings/${offeringId}/chain`} className="inline-flex min-h-11 items-center text-sm font-semibold text-red-700 underline">
            {t("ownWallets.staff.chainPage")}
          </Link>
        ) : null}
      </div>
    </li>
  );
}

/** Investors' own wallets asking for this offering's allowlist: staff of its issuer approve or decline them. */
export default async function StaffWalletApprovalsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/wallets`);
  if (!z.uuid().safeParse(id).success) notFound();
  const found = await staffApprovalsFor(user, id);
  if (!found) notFound();
  const { offering, approvals } = found;
  const { locale, t } = await getTranslator();
  const requested = approvals.filter((row) => row.state === "requested");
  const decided = approvals.filter((row) => row.state !== "requested");
  const moving = approvals.some((row) => row.state === "waiting" || row.state === "removing");
  return (
    <div className="space-y-4">
      {/* An allowlisting on its way: the page follows it until it lands on chain. */}
      {moving ? <AutoRefresh everyMs={5000} /> : null}
      <Link href={`/staff/offerings/${offering.id}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("ownWallets.staff.back")}
      </Link>
      <PageHeading title={`${t("ownWallets.staff.title")}: ${localized(offering, "name", locale)}`} lead={t("ownWallets.staff.lead")} />
      {approvals.length === 0 ? (
        <Card>
          <p className="text-sm text-stone-600">{t("ownWallets.staff.none")}</p>
        </Card>
      ) : null}
      {[
        { key: "requested", title: t("ownWallets.staff.requested"), rows: requested },
        { key: "decided", title: t("ownWallets.staff.decided"), rows: decided },
      ]
        .filter((group) => group.rows.length > 0)
        .map((group) => (
          <Card key={group.key}>
            <h2 className="font-bold">{group.title}</h2>
            <ul className="divide-y divide-stone-100" data-testid={`staff-wallet-approvals-${group.key}`}>
              {group.rows.map((row) => (
                <ApprovalItem key={row.id} row={row} offeringId={offering.id} locale={locale} t={t} />
              ))}
            </ul>
          </Card>
        ))}
    </div>
  );
}
