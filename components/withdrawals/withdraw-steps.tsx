import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import type { Offering } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import type { HoldingOption, Room } from "@/lib/withdrawals/options";
import type { EligibleWallet } from "@/lib/withdrawals/queries";
import { EmphasisedAddress } from "./address";

/** The steps of the withdrawal page before the confirm button: choose the token, then the wallet and units. */

const PAGE = "/account/wallets/withdraw";
const linkClass = "inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline";

const unitsText = (count: number, t: Translate, locale: Locale) => t("orders.units", { count: formatNumber(count, locale) });

/** Why nothing of this token may move now, or null. */
function roomRefusal(room: Room, t: Translate): string | null {
  if (room.refusal) return room.refusal === "disabled" ? t("withdrawals.choose.limitOff") : t(`withdrawals.outcome.${room.refusal}`);
  if (room.free <= 0) return t("withdrawals.choose.noneFree");
  if (room.left <= 0) return t("withdrawals.choose.limitReached");
  return null;
}

/** The held tokens; `withWallet` names those the investor has a wallet cleared to receive. */
export function HoldingChoice({ options, withWallet, locale, t }: { options: HoldingOption[]; withWallet: ReadonlySet<string>; locale: Locale; t: Translate }) {
  return (
    <Card>
      <h2 className="font-bold">{t("withdrawals.choose.heading")}</h2>
      {options.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("withdrawals.choose.none")}</p> : null}
      <ul className="mt-2 divide-y divide-stone-100">
        {options.map(({ offering, room }) => {
          const refusal = roomRefusal(room, t);
          return (
            <li key={offering.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="withdraw-holding">
              <div className="text-sm">
                <p className="font-semibold">{`${localized(offering, "name", locale)} (${offering.tokenSymbol})`}</p>
                <p className="text-stone-600">{t("withdrawals.choose.free", { count: unitsText(room.free, t, locale) })}</p>
                {room.refusal === null ? (
                  <p className="text-stone-600">{t("withdrawals.choose.limitLeft", { count: unitsText(room.left, t, locale), limit: unitsText(room.limit, t, locale) })}</p>
                ) : null}
                {refusal ? <p className="text-amber-800">{refusal}</p> : null}
                {!refusal && !withWallet.has(offering.id) ? <p className="text-amber-800">{t("withdrawals.choose.noWallet")}</p> : null}
              </div>
              {refusal ? null : withWallet.has(offering.id) ? (
                <Link href={`${PAGE}?offeringId=${offering.id}`} className={buttonClass("primary")}>
                  {t("withdrawals.choose.select")}
                </Link>
              ) : (
                <Link href="/account/wallets" className={linkClass}>
                  {t("withdrawals.choose.linkWallets")} →
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

type FormProps = {
  offering: Offering;
  room: Room;
  wallets: EligibleWallet[];
  values: { linkedWalletId?: string; units?: string };
  errors: Record<string, string>;
  locale: Locale;
  t: Translate;
};

/** Wallet and units, sent as a GET to the confirm step (nothing secret in it); the server checks them there. */
export function ChoiceForm({ offering, room, wallets, values, errors, locale, t }: FormProps) {
  const refusal = roomRefusal(room, t);
  return (
    <Card className="space-y-4">
      <h2 className="font-bold">{t("withdrawals.form.heading")}</h2>
      <p className="text-sm">
        {t("withdrawals.form.offering")}: <span className="font-semibold">{localized(offering, "name", locale)}</span>
      </p>
      {refusal ? <p className="text-sm text-amber-800">{refusal}</p> : null}
      {wallets.length === 0 ? (
        <div className="space-y-2 text-sm" data-testid="withdraw-no-wallet">
          <p>{t("withdrawals.form.noWallet")}</p>
          <Link href="/account/wallets" className={linkClass}>
            {t("withdrawals.form.linkWallets")} →
          </Link>
        </div>
      ) : (
        <form method="get" action={PAGE} className="space-y-4" data-testid="withdraw-choice-form">
          <input type="hidden" name="offeringId" value={offering.id} />
          <input type="hidden" name="step" value="confirm" />
          <fieldset aria-describedby={errors.linkedWalletId ? "linkedWalletId-error" : undefined}>
            <legend className="text-sm font-medium text-stone-800">{t("withdrawals.form.wallet")}</legend>
            <div className="mt-2 space-y-2">
              {wallets.map((wallet) => (
                <label
                  key={wallet.linkedWalletId}
                  className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 py-2 has-[:checked]:border-forest-600 has-[:checked]:bg-forest-50"
                >
                  <input
                    type="radio"
                    name="linkedWalletId"
                    value={wallet.linkedWalletId}
                    defaultChecked={values.linkedWalletId ? values.linkedWalletId === wallet.linkedWalletId : wallets.length === 1}
                    className="accent-forest-700"
                  />
                  <EmphasisedAddress address={wallet.address} />
                </label>
              ))}
            </div>
            {errors.linkedWalletId ? (
              <p id="linkedWalletId-error" role="alert" className="mt-1 text-sm text-red-700">
                {errors.linkedWalletId}
              </p>
            ) : null}
          </fieldset>
          <Field name="units" label={t("withdrawals.form.units")} error={errors.units}>
            <input
              id="units"
              name="units"
              inputMode="numeric"
              autoComplete="off"
              defaultValue={values.units ?? ""}
              aria-invalid={errors.units ? true : undefined}
              aria-describedby={errors.units ? "units-hint units-error" : "units-hint"}
              className="mt-1 block min-h-11 w-40 rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600"
            />
            <p id="units-hint" className="mt-1 text-xs text-stone-500">
              {t("withdrawals.form.unitsHint", { free: unitsText(room.free, t, locale), left: unitsText(room.left, t, locale) })}
            </p>
          </Field>
          {errors._form ? (
            <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="withdraw-choice-error">
              {errors._form}
            </p>
          ) : null}
          <button type="submit" className={buttonClass("primary")}>
            {t("withdrawals.form.next")}
          </button>
        </form>
      )}
      <Link href={PAGE} className={linkClass}>
        {t("withdrawals.form.changeOffering")}
      </Link>
    </Card>
  );
}
