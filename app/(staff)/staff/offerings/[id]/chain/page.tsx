import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ForcedTransfersSection, TokenSection, WalletsSection } from "@/components/chain-ops/controls";
import { AwaitingRefundSection, IssuesSection } from "@/components/chain-ops/issues";
import { PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { listChainIssues, listGivenUpOrders } from "@/lib/chain/chain-issues";
import { listForcedTransfers } from "@/lib/chain/forced-transfer";
import { readTokenState } from "@/lib/chain/operations";
import { operatorFromEnv } from "@/lib/chain/operator";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { offeringForStaff } from "@/lib/issuers/access";
import {
  approveForcedTransferAction,
  freezeWalletAction,
  giveUpTransactionAction,
  pauseTokenAction,
  refundGivenUpOrderAction,
  rejectForcedTransferAction,
  requestForcedTransferAction,
  retryTransactionAction,
} from "./actions";

/** Operating one offering's token, for staff of its issuer only (anyone else: not found). */
export default async function ChainOperationsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/chain`);
  if (!z.uuid().safeParse(id).success) notFound();
  const offering = await offeringForStaff(user, id);
  if (!offering) notFound();
  const op = operatorFromEnv();
  const [{ locale, t }, state, issues, givenUp, transfers] = await Promise.all([
    getTranslator(),
    readTokenState(op, offering),
    listChainIssues(op, offering),
    listGivenUpOrders(op.db, offering.id),
    listForcedTransfers(op.db, offering.id),
  ]);
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}`} className="text-sm text-forest-700 hover:underline">
        ← {t("chainOps.back")}
      </Link>
      <PageHeading title={`${t("chainOps.title")}: ${localized(offering, "name", locale)}`} lead={t("chainOps.lead")} />
      <TokenSection offeringId={offering.id} state={state} t={t} pause={pauseTokenAction} />
      <IssuesSection offeringId={offering.id} issues={issues} locale={locale} t={t} retry={retryTransactionAction} giveUp={giveUpTransactionAction} />
      <AwaitingRefundSection offeringId={offering.id} orders={givenUp} t={t} refund={refundGivenUpOrderAction} />
      <WalletsSection offeringId={offering.id} state={state} t={t} freeze={freezeWalletAction} />
      <ForcedTransfersSection
        offeringId={offering.id}
        hasToken={Boolean(state.token)}
        transfers={transfers}
        viewerId={user.id}
        locale={locale}
        t={t}
        request={requestForcedTransferAction}
        approve={approveForcedTransferAction}
        reject={rejectForcedTransferAction}
      />
    </div>
  );
}
