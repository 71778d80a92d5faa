import { randomBytes } from "node:crypto";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { PageHeading } from "@/components/ui/card";
import { ConfirmStep } from "@/components/withdrawals/confirm-step";
import { WithdrawalHistory } from "@/components/withdrawals/withdrawal-status";
import { ChoiceForm, HoldingChoice } from "@/components/withdrawals/withdraw-steps";
import { signedInRecently, signInAgainPath } from "@/lib/auth/recent-sign-in";
import { requireUser } from "@/lib/auth/session";
import type { Locale, MessageKey, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";
import { walletForWithdrawal, walletsForWithdrawal, withdrawalOptions } from "@/lib/withdrawals/options";
import { withdrawalsOf } from "@/lib/withdrawals/queries";
import { MAX_WITHDRAWAL_UNITS, withdrawalChoiceSchema, withdrawConfirmPath } from "@/lib/withdrawals/schemas";
import { requestWithdrawalAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("withdrawals.title") };
}

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

/** The choice's field errors in the reader's language (the schema's messages are catalog keys). */
function fieldErrors(issues: { path: PropertyKey[]; message: string }[], t: Translate, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? "_form")] ??= t(issue.message as MessageKey, { max: formatNumber(MAX_WITHDRAWAL_UNITS, locale) });
  return errors;
}

/**
 * Moving tokens to an own wallet: choose the token, then the linked wallet and the units (a GET to
 * the confirm step, so "sign in again" can bring the choice back), then confirm with a fresh
 * sign-in; past withdrawals below. The server action checks everything again.
 */
export default async function WithdrawPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const values = { offeringId: one(params.offeringId), linkedWalletId: one(params.linkedWalletId), units: one(params.units) };
  const confirming = one(params.step) === "confirm";
  const here = new URLSearchParams(Object.entries({ ...values, step: one(params.step) }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const user = await requireUser(`/account/wallets/withdraw${here.size > 0 ? `?${here}` : ""}`);
  const [{ locale, t }, options, history] = await Promise.all([getTranslator(), withdrawalOptions(user.id), withdrawalsOf(user.id)]);
  const chosen = options.find((option) => option.offering.id === values.offeringId);

  let step: ReactNode;
  if (!chosen) {
    const cleared = await Promise.all(options.map(async ({ offering }) => ((await walletsForWithdrawal(user.id, offering.id)).length > 0 ? offering.id : null)));
    const withWallet = new Set(cleared.filter((id): id is string => id !== null));
    step = <HoldingChoice options={options} withWallet={withWallet} locale={locale} t={t} />;
  } else {
    const { offering, room } = chosen;
    const wallets = await walletsForWithdrawal(user.id, offering.id);
    let errors: Record<string, string> = {};
    if (confirming) {
      const parsed = withdrawalChoiceSchema.safeParse(values);
      if (parsed.success) {
        const choice = parsed.data;
        const wallet = await walletForWithdrawal(user.id, offering.id, choice.linkedWalletId);
        const count = (n: number) => t("orders.units", { count: formatNumber(n, locale) });
        if (!wallet) errors = { linkedWalletId: t("withdrawals.outcome.walletNotEligible") };
        else if (choice.units > room.free) errors = { units: t("withdrawals.outcome.insufficientUnits", { free: count(room.free) }) };
        else if (choice.units > room.left) errors = { units: t("withdrawals.outcome.dailyLimit", { limit: count(room.limit), left: count(room.left) }) };
        else if (room.refusal) errors = { _form: room.refusal === "disabled" ? t("withdrawals.outcome.disabled") : t(`withdrawals.outcome.${room.refusal}`) };
        else {
          const editHref = `/account/wallets/withdraw?${new URLSearchParams({ offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, units: String(choice.units) })}`;
          step = (
            <ConfirmStep
              offering={offering}
              wallet={wallet}
              units={choice.units}
              leftAfter={room.left - choice.units}
              signInAgain={signedInRecently(user) ? null : signInAgainPath(withdrawConfirmPath(choice))}
              requestKey={randomBytes(18).toString("base64url")}
              editHref={editHref}
              action={requestWithdrawalAction}
              locale={locale}
              t={t}
            />
          );
        }
      } else {
        errors = fieldErrors(parsed.error.issues, t, locale);
      }
    }
    step ??= <ChoiceForm offering={offering} room={room} wallets={wallets} values={values} errors={errors} locale={locale} t={t} />;
  }

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/account/wallets" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("withdrawals.back")}
      </Link>
      <PageHeading title={t("withdrawals.title")} lead={t("withdrawals.lead")} />
      {step}
      <WithdrawalHistory withdrawals={history} locale={locale} t={t} />
    </div>
  );
}
