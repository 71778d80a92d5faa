"use server";

import { revalidatePath } from "next/cache";
import { signedInAction } from "@/lib/actions";
import { getOnboardingState, getProfile } from "@/lib/onboarding/state";
import { payoutAccountBuckets, registerPayoutAccount } from "@/lib/payouts/accounts";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { holderMatchesProfile, holderNameFromProfile } from "@/lib/payouts/kana";
import { payoutAccountSchema } from "@/lib/payouts/schemas";

/** Registers or changes the signed-in investor's own payout account (never anyone else's: no user id is taken). */
export const registerPayoutAccountAction = signedInAction(
  payoutAccountSchema,
  async (input, { user, t }) => {
    const [state, profile] = await Promise.all([getOnboardingState(user.id), getProfile(user.id)]);
    if (state.nextStep !== null || !profile) return { status: "error", message: t("payouts.onboardingFirst") };
    const fieldErrors: Record<string, string> = {};
    if (!(await findBank(input.bankCode))) fieldErrors.bankCode = t("payouts.errors.bankUnknown");
    else if (!(await findBranch(input.bankCode, input.branchCode))) fieldErrors.branchCode = t("payouts.errors.branchUnknown");
    if (!holderMatchesProfile(input.holderNameKana, profile)) {
      fieldErrors.holderNameKana = t("payouts.errors.holderMismatch", { name: holderNameFromProfile(profile) });
    }
    if (Object.keys(fieldErrors).length > 0) {
      return { status: "invalid", message: t("errors.invalid"), fieldErrors, values: { ...input } };
    }
    await registerPayoutAccount(user.id, input);
    revalidatePath("/account/payout");
    revalidatePath("/dashboard");
    return { status: "ok", message: t("payouts.saved") };
  },
  { rateLimit: (_input, { user }) => payoutAccountBuckets(user.id) },
);
