"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { staffScopeOf } from "@/lib/issuers/scope";
import { dismissException, refundException } from "@/lib/orders/exceptions";
import { exceptionDismissSchema, exceptionRefundSchema } from "@/lib/orders/schemas";

export const refundExceptionAction = roleAction("staff", exceptionRefundSchema, async ({ exceptionId }, { user, t }) => {
  if (!(await refundException(exceptionId, user.id, await staffScopeOf(user)))) return { status: "error", message: t("staffPayments.notOpen") };
  revalidatePath("/staff/payments");
  return { status: "ok", message: t("staffPayments.refundQueued") };
});

export const dismissExceptionAction = roleAction("staff", exceptionDismissSchema, async ({ exceptionId, note }, { user, t }) => {
  if (!(await dismissException(exceptionId, user.id, note, await staffScopeOf(user)))) return { status: "error", message: t("staffPayments.notOpen") };
  revalidatePath("/staff/payments");
  return { status: "ok", message: t("staffPayments.dismissed") };
});
