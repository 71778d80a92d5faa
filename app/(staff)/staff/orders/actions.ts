"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { issuerIdsOf } from "@/lib/issuers/access";
import { orderOfIssuers } from "@/lib/orders/queries";
import { requestRefund } from "@/lib/orders/refund";
import { refundSchema } from "@/lib/orders/schemas";

export const refundOrderAction = roleAction("staff", refundSchema, async ({ orderId }, { user, t }) => {
  // An order of another issuer is answered like one that cannot be refunded: nothing is asked of Stripe.
  if (!(await orderOfIssuers(orderId, await issuerIdsOf(user)))) return { status: "error", message: t("staffOrders.notRefundable") };
  const result = await requestRefund(orderId, user.id);
  if (!result.ok) return { status: "error", message: t(result.error === "paidInStablecoin" ? "stablecoin.refundRefused" : "staffOrders.notRefundable") };
  revalidatePath("/staff/orders");
  return { status: "ok", message: t("staffOrders.refundRequested", { refundId: result.refundId }) };
});
