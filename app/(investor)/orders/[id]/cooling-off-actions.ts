"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signedInAction } from "@/lib/actions";
import { msg } from "@/lib/i18n/keys";
import { cancelWithinCoolingOff } from "@/lib/orders/cooling-off";

const cancelSchema = z.object({ orderId: z.uuid({ error: msg("coolingOff.errors.notFound") }) });

/** The investor cancels their own order within its cooling-off period; every refusal says what to do. */
export const cancelCoolingOffAction = signedInAction(
  cancelSchema,
  async ({ orderId }, { user, t }) => {
    const result = await cancelWithinCoolingOff(user.id, orderId);
    if (!result.ok) return { status: "error", message: t(`coolingOff.errors.${result.error}`) };
    revalidatePath(`/orders/${orderId}`);
    return { status: "ok", message: t(`coolingOff.done.${result.outcome}`) };
  },
  { rateLimit: (_input, { user }) => [{ key: `cooling-off:${user.id}`, limit: 20, windowSeconds: 600 }] },
);
