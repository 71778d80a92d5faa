"use server";

import { revalidatePath } from "next/cache";
import { signedInAction } from "@/lib/actions";
import type { PaymentTypedData } from "@/lib/stablecoin/authorization";
import { prepareStablecoinPayment, submitStablecoinPayment } from "@/lib/stablecoin/payment";
import { preparePaymentSchema, submitPaymentSchema } from "@/lib/stablecoin/schemas";

/** The typed data the buyer's wallet signs for this order (only the order's owner gets it). */
export const prepareStablecoinAction = signedInAction(preparePaymentSchema, async (input, { user, t }) => {
  const result = await prepareStablecoinPayment(user, input.orderId, { from: input.from });
  if (!result.ok) return { status: "error", message: t(`stablecoin.errors.${result.error}`) };
  return { status: "ok", data: { typedData: result.typedData satisfies PaymentTypedData } };
});

/** The signed authorisation: checked again against the order, then sent with the allocation by the settlement job. */
// Each submission checks a signature and reads the chain: bounded per account.
export const submitStablecoinAction = signedInAction(
  submitPaymentSchema,
  async ({ orderId, ...authorization }, { user, t }) => {
    const result = await submitStablecoinPayment(user, { orderId, authorization });
    if (!result.ok) return { status: "error", message: t(`stablecoin.errors.${result.error}`) };
    revalidatePath(`/orders/${orderId}`);
    return { status: "ok", message: t("stablecoin.pay.sent") };
  },
  { rateLimit: (_input, { user }) => [{ key: `stablecoin-pay:${user.id}`, limit: 20, windowSeconds: 600 }] },
);
