import { Card } from "@/components/ui/card";
import { walletPresentation } from "@/lib/custody/display";
import type { Translate } from "@/lib/i18n/catalog";
import { CopyButton } from "./copy-button";

export async function WalletCard({ address, t }: { address: string | null; t: Translate }) {
  if (!address) {
    return (
      <Card>
        <h2 className="font-bold">{t("wallet.title")}</h2>
        <p className="mt-2 text-sm text-stone-600">{t("wallet.none")}</p>
      </Card>
    );
  }
  const { qrSvg, explorerLink } = await walletPresentation(address);
  return (
    <Card>
      <h2 className="font-bold">{t("wallet.title")}</h2>
      <p className="mt-1 text-sm text-stone-600">{t("wallet.lead")}</p>
      <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-center">
        {/* The SVG is generated on the server from the address alone. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a QR code SVG built on the server from a checksummed address */}
        <div role="img" aria-label={t("wallet.qr")} className="size-36 shrink-0 rounded-lg border border-stone-200 bg-white p-1" dangerouslySetInnerHTML={{ __html: qrSvg }} />
        <div className="min-w-0">
          <p className="text-xs font-medium text-stone-500">{t("wallet.address")}</p>
          <p className="break-all font-mono text-sm" data-testid="wallet-address">
            {address}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <CopyButton text={address} label={t("wallet.copy")} copiedLabel={t("wallet.copied")} />
            <a href={explorerLink} className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-semibold text-forest-700 hover:underline" rel="noopener">
              {t("wallet.explorer")} →
            </a>
          </div>
        </div>
      </div>
    </Card>
  );
}
