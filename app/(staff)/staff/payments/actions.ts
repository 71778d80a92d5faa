"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { staffScopeOf } from "@/lib/issuers/scope";
import { dismissException, refundException, requestTopUp } from "@/lib/orders/exceptions";
import { exceptionDismissSchema, exceptionRefundSchema } from "@/lib/orders/schemas";

export const refundExceptionAction = roleAction("staff", exceptionRefundSchema, async ({ exceptionId }, { user, t }) => {
  if (!(await refundException(exceptionId, user.id, await staffScopeOf(user)))) return { status: "error", message: t("staffPayments.notOpen") };
  revalidatePath("/staff/payments");
  return { status: "ok", message: t("staffPayments.refundQueued") };
});

/** A bank transfer short of its order: the buyer is asked to transfer the rest, with a later deadline. */
export const requestTopUpAction = roleAction("staff", exceptionRefundSchema, async ({ exceptionId }, { user, t }) => {
  if (!(await requestTopUp(exceptionId, user.id, await staffScopeOf(user)))) return { status: "error", message: t("deferredPayments.decisions.topupRefused") };
  revalidatePath("/staff/payments");
  return { status: "ok", message: t("deferredPayments.decisions.topupRequested") };
});

export const dismissExceptionAction = roleAction("staff", exceptionDismissSchema, async ({ exceptionId, note }, { user, t }) => {
  if (!(await dismissException(exceptionId, user.id, note, await staffScopeOf(user)))) return { status: "error", message: t("staffPayments.notOpen") };
  revalidatePath("/staff/payments");
  return { status: "ok", message: t("staffPayments.dismissed") };
});
