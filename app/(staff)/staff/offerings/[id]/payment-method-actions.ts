"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { paymentMethodsSchema, setPaymentMethods } from "@/lib/offerings/payment-methods";

/** Staff of the offering's issuer (or an admin) choose whether it takes konbini and bank transfer besides card. */
export const setPaymentMethodsAction = roleAction("staff", paymentMethodsSchema, async ({ offeringId, konbini, bankTransfer }, { user, t }) => {
  const result = await setPaymentMethods(offeringId, user, { konbini, bankTransfer });
  if (!result.ok) return { status: "error", message: t("deferredPayments.staff.notFound") };
  revalidatePath(`/staff/offerings/${offeringId}`);
  return { status: "ok", message: t("deferredPayments.staff.saved") };
});
