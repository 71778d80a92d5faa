"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { requestRefund } from "@/lib/orders/refund";
import { refundSchema } from "@/lib/orders/schemas";

export const refundOrderAction = roleAction("staff", refundSchema, async ({ orderId }, { user, t }) => {
  const result = await requestRefund(orderId, user.id);
  if (!result.ok) return { status: "error", message: t("staffOrders.notRefundable") };
  revalidatePath("/staff/orders");
  return { status: "ok", message: t("staffOrders.refundRequested", { refundId: result.refundId }) };
});
