"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { signedInAction, type ActionState } from "@/lib/actions";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { requestWithdrawal, type WithdrawalRefusal } from "@/lib/withdrawals/request";
import { withdrawalRequestSchema } from "@/lib/withdrawals/schemas";

// An investor withdraws only their own units to their own wallet: the user comes from the session, never from the form.

function refusalState(outcome: WithdrawalRefusal, t: Translate, locale: Locale): ActionState<{ signInAgain: string }> {
  const units = (count: number) => t("orders.units", { count: formatNumber(count, locale) });
  switch (outcome.status) {
    case "signInAgain":
      return { status: "error", message: t("withdrawals.outcome.signInAgain"), data: { signInAgain: outcome.path } };
    case "insufficientUnits":
      return { status: "error", message: t("withdrawals.outcome.insufficientUnits", { free: units(outcome.free) }) };
    case "dailyLimit":
      return { status: "error", message: t("withdrawals.outcome.dailyLimit", { limit: units(outcome.limit), left: units(outcome.left) }) };
    case "tooManyToday":
      return { status: "error", message: t("withdrawals.outcome.tooManyToday", { max: formatNumber(outcome.max, locale) }) };
    default:
      return { status: "error", message: t(`withdrawals.outcome.${outcome.status}`) };
  }
}

/** The confirm step's submit: one withdrawal per request key, then its status page. */
export const requestWithdrawalAction = signedInAction<typeof withdrawalRequestSchema, unknown>(withdrawalRequestSchema, async (input, { user, t, locale }) => {
  const outcome = await requestWithdrawal({ user, ...input });
  if (outcome.status !== "requested") return refusalState(outcome, t, locale);
  revalidatePath("/account/wallets/withdraw");
  revalidatePath("/dashboard");
  redirect(`/account/wallets/withdraw/${outcome.withdrawal.id}`);
});
