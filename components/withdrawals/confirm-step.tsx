import Link from "next/link";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import type { Offering } from "@/db/schema";
import type { FormAction } from "@/lib/actions/core";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import type { EligibleWallet } from "@/lib/withdrawals/queries";
import { EmphasisedAddress } from "./address";
import { WithdrawConfirmForm } from "./confirm-form";

type Props = {
  offering: Offering;
  wallet: EligibleWallet;
  units: number;
  leftAfter: number;
  /** Null when the sign-in is fresh; else where "sign in again" leads (back to this step). */
  signInAgain: string | null;
  requestKey: string;
  editHref: string;
  action: FormAction;
  locale: Locale;
  t: Translate;
};

/** What will move, where to (the address to compare), the day's limit after it, and the fresh sign-in it needs. */
export function ConfirmStep({ offering, wallet, units, leftAfter, signInAgain, requestKey, editHref, action, locale, t }: Props) {
  const count = t("orders.units", { count: formatNumber(units, locale) });
  return (
    <Card className="space-y-4">
      <h2 className="font-bold">{t("withdrawals.confirm.heading")}</h2>
      <p className="text-sm text-stone-600">{t("withdrawals.confirm.lead")}</p>
      <dl className="grid gap-3 text-sm" data-testid="withdraw-confirm">
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.confirm.offering")}</dt>
          <dd className="font-semibold">{`${localized(offering, "name", locale)} (${offering.tokenSymbol})`}</dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.confirm.units")}</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="withdraw-confirm-units">
            {count}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.confirm.address")}</dt>
          <dd className="rounded-lg bg-stone-50 p-3">
            <EmphasisedAddress address={wallet.address} testId="withdraw-confirm-address" />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.confirm.limitLeft")}</dt>
          <dd className="tabular-nums">{t("orders.units", { count: formatNumber(leftAfter, locale) })}</dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t("withdrawals.confirm.signIn")}</dt>
          <dd data-testid="withdraw-sign-in-state">{signInAgain ? t("withdrawals.confirm.signInStale") : t("withdrawals.confirm.signedInRecently")}</dd>
        </div>
      </dl>
      <p className="text-sm text-stone-700">{t("withdrawals.confirm.fee")}</p>
      <p className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("withdrawals.confirm.irreversible")}</p>
      {signInAgain ? (
        <ButtonLink href={signInAgain} data-testid="withdraw-sign-in-again">
          {t("withdrawals.confirm.signInAgain")}
        </ButtonLink>
      ) : (
        <WithdrawConfirmForm
          action={action}
          fields={{ offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, units: String(units), requestKey }}
          m={{ submit: t("withdrawals.confirm.submit", { count }), pending: t("withdrawals.confirm.pending"), signInAgain: t("withdrawals.confirm.signInAgain") }}
        />
      )}
      <Link href={editHref} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
        {t("withdrawals.confirm.edit")}
      </Link>
    </Card>
  );
}
