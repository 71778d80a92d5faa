"use server";

import { revalidatePath } from "next/cache";
import { roleAction, type ActionState } from "@/lib/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { giveUpChainTransaction, listGivenUpOrders, retryChainTransaction } from "@/lib/chain/chain-issues";
import { approveForcedTransfer, rejectForcedTransfer, requestForcedTransfer } from "@/lib/chain/forced-transfer";
import { queueTokenPause, queueWalletFreeze } from "@/lib/chain/operations";
import { operatorFromEnv, type OperationResult } from "@/lib/chain/operator";
import {
  forcedTransferDecisionSchema,
  forcedTransferRejectSchema,
  forcedTransferRequestSchema,
  freezeSchema,
  giveUpSchema,
  orderRefundSchema,
  pauseSchema,
  transactionSchema,
} from "@/lib/chain/ops-schemas";
import type { Translate } from "@/lib/i18n/catalog";
import { offeringForStaff } from "@/lib/issuers/access";
import { requestRefund } from "@/lib/orders/refund";

type Offering = NonNullable<Awaited<ReturnType<typeof offeringForStaff>>>;

/** Only staff of the offering's issuer act on it; anyone else learns nothing and changes nothing. */
async function forOffering(user: SessionUser, offeringId: string, t: Translate, run: (offering: Offering) => Promise<ActionState>): Promise<ActionState> {
  const offering = await offeringForStaff(user, offeringId);
  if (!offering) return { status: "error", message: t("chainOps.errors.notFound") };
  const state = await run(offering);
  if (state.status === "ok") revalidatePath(`/staff/offerings/${offering.id}/chain`);
  return state;
}

function outcome(result: OperationResult, t: Translate, ok: string): ActionState {
  return result.ok ? { status: "ok", message: ok } : { status: "error", message: t(`chainOps.errors.${result.error}`) };
}

export const pauseTokenAction = roleAction("staff", pauseSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) =>
    outcome(await queueTokenPause(operatorFromEnv(), { offering, staffId: user.id, paused: input.paused, reason: input.reason }), t, t("chainOps.queued")),
  ),
);

export const freezeWalletAction = roleAction("staff", freezeSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) =>
    outcome(await queueWalletFreeze(operatorFromEnv(), { offering, staffId: user.id, holder: input.holder, frozen: input.frozen, reason: input.reason }), t, t("chainOps.queued")),
  ),
);

export const retryTransactionAction = roleAction("staff", transactionSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) =>
    outcome(await retryChainTransaction(operatorFromEnv(), { offering, txId: input.chainTransactionId, staffId: user.id }), t, t("chainOps.issues.retried")),
  ),
);

export const giveUpTransactionAction = roleAction("staff", giveUpSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await giveUpChainTransaction(operatorFromEnv(), { offering, txId: input.chainTransactionId, staffId: user.id, reason: input.reason });
    return outcome(result, t, result.ok ? t("chainOps.issues.givenUp", { count: result.refundsRequested }) : "");
  }),
);

/** A refund asked again for an order whose allocation was given up (only such orders of this offering). */
export const refundGivenUpOrderAction = roleAction("staff", orderRefundSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const waiting = await listGivenUpOrders(operatorFromEnv().db, offering.id);
    if (!waiting.some((order) => order.id === input.orderId)) return { status: "error", message: t("chainOps.awaitingRefund.notRefundable") };
    const result = await requestRefund(input.orderId, user.id);
    if (!result.ok) return { status: "error", message: t(result.error === "paidInStablecoin" ? "stablecoin.refundRefused" : "chainOps.awaitingRefund.notRefundable") };
    return { status: "ok", message: t("chainOps.awaitingRefund.refundRequested", { refundId: result.refundId }) };
  }),
);

export const requestForcedTransferAction = roleAction("staff", forcedTransferRequestSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await requestForcedTransfer(operatorFromEnv(), { offering, staffId: user.id, holder: input.holder, reason: input.reason });
    return outcome(result, t, result.ok && result.newWallet ? t("chainOps.forced.requestedNewWallet") : t("chainOps.forced.requested"));
  }),
);

export const approveForcedTransferAction = roleAction("staff", forcedTransferDecisionSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) =>
    outcome(await approveForcedTransfer(operatorFromEnv(), { offering, requestId: input.requestId, staffId: user.id }), t, t("chainOps.forced.approved")),
  ),
);

export const rejectForcedTransferAction = roleAction("staff", forcedTransferRejectSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) =>
    outcome(await rejectForcedTransfer(operatorFromEnv(), { offering, requestId: input.requestId, staffId: user.id, reason: input.reason }), t, t("chainOps.forced.rejected")),
  ),
);
