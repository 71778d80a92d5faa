"use server";

import { redirect } from "next/navigation";
import { signedInAction } from "@/lib/actions";
import { formatDate, formatDateTime, formatYen } from "@/lib/i18n/format";
import { placeOrder } from "@/lib/orders/reserve";
import { purchaseSchema } from "@/lib/orders/schemas";

/** Reserve the units and go to Checkout (or to the order's page: to sign a stablecoin payment, or to see how to pay at a konbini or by transfer); every refusal says what to change. */
export const buyAction = signedInAction(purchaseSchema, async (input, { user, locale, t }) => {
  const result = await placeOrder({ id: user.id, email: user.email, locale }, input);
  if (result.ok) redirect(result.nextUrl);
  switch (result.error) {
    case "onboarding":
      return { status: "error", message: [t("buy.errors.onboarding"), ...result.blockers.map((b) => t(`buy.blockers.${b}`))].join(" ") };
    case "belowMin":
      return { status: "invalid", fieldErrors: { units: t("buy.errors.belowMin", { min: result.min }) } };
    case "aboveMax":
      return { status: "invalid", fieldErrors: { units: t("buy.errors.aboveMax", { max: result.max }) } };
    case "yearlyCap":
      return { status: "invalid", fieldErrors: { units: t("buy.errors.yearlyCap", { remaining: formatYen(result.remainingYen) }) } };
    case "soldOut":
      return { status: "invalid", fieldErrors: { units: t("buy.errors.soldOut", { units: result.unitsLeft }) } };
    case "residentsOnly":
      return { status: "error", message: t("residents.errors.residentsOnly", { date: formatDateTime(result.until, locale) }) };
    case "stablecoinUnavailable":
      return { status: "error", message: t("stablecoin.buy.unavailable") };
    case "methodUnavailable":
      return { status: "error", message: t("deferredPayments.buy.unavailable") };
    case "konbiniAmount":
      return { status: "invalid", fieldErrors: { units: t("deferredPayments.buy.konbiniAmount", { min: formatYen(result.minYen), max: formatYen(result.maxYen) }) } };
    case "notStarted":
      return { status: "error", message: t("buy.errors.notStarted", { date: formatDate(result.opensAt, locale) }) };
    default:
      return { status: "error", message: t(`buy.errors.${result.error}`) };
  }
});
