"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { setWithdrawalDailyLimit } from "@/lib/withdrawals/limits";
import { withdrawalLimitSchema } from "@/lib/withdrawals/schemas";

/** Staff of the offering's issuer (or an admin) set how many units one investor may withdraw a day. */
export const setWithdrawalLimitAction = roleAction("staff", withdrawalLimitSchema, async ({ offeringId, withdrawalDailyLimitUnits }, { user, t }) => {
  const result = await setWithdrawalDailyLimit(user, offeringId, withdrawalDailyLimitUnits);
  if (!result.ok) return { status: "error", message: t("withdrawals.staff.notFound") };
  revalidatePath(`/staff/offerings/${offeringId}`);
  return { status: "ok", message: t("withdrawals.staff.saved") };
});
