import { Card } from "@/components/ui/card";
import { explorerAddressUrl } from "@/lib/chain/queries";
import type { Translate } from "@/lib/i18n/catalog";
import { AddressText } from "./address";

/**
 * The custodial wallet as the own-wallets page names it: the wallet the portal holds, set apart from
 * the investor's own wallets below it (no QR code here: nothing should be sent to it).
 */
export function CustodialWalletCard({ address, t }: { address: string | null; t: Translate }) {
  return (
    <Card>
      <h2 className="font-bold">{t("ownWallets.custodial.heading")}</h2>
      {address ? (
        <>
          <p className="mt-1 text-sm text-stone-600">{t("ownWallets.custodial.lead")}</p>
          <p className="mt-3 text-xs font-medium text-stone-500">{t("ownWallets.own.address")}</p>
          <AddressText address={address} testId="wallet-address" />
          <div>
            <a href={explorerAddressUrl(address)} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
              {t("ownWallets.own.explorer")} →
            </a>
          </div>
        </>
      ) : (
        <p className="mt-2 text-sm text-stone-600">{t("ownWallets.custodial.none")}</p>
      )}
    </Card>
  );
}
