import Link from "next/link";
import { HydrateLater } from "@/components/ui/hydrate-later";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import type { IssuerCard as IssuerCardData } from "@/lib/issuers/public";
import { IssuerLogo } from "./issuer-logo";

/** An issuer in a list: its logo, name, kind and prefecture, linking to its public page. */
export function IssuerCard({ card, locale, t }: { card: IssuerCardData; locale: Locale; t: Translate }) {
  const { issuer } = card;
  const name = localized(issuer, "name", locale);
  return (
    <HydrateLater>
      <Link
        href={`/issuers/${issuer.slug}`}
        prefetch={false}
        className="group flex min-h-11 items-center gap-4 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-forest-600"
        data-testid="issuer-card"
      >
        <IssuerLogo logo={card.logo} name={name} size={56} t={t} />
        <div className="min-w-0">
          <p className="text-xs font-semibold text-forest-700">
            {t(`issuers.kind.${issuer.kind}`)} · {localized(issuer, "prefecture", locale)}
          </p>
          <h3 className="font-bold text-stone-900 group-hover:text-forest-700">{name}</h3>
          <p className="text-xs text-stone-500">
            {issuer.population ? `${t("issuers.population", { count: formatNumber(issuer.population, locale) })} · ` : ""}
            {t("issuers.openCount", { count: card.openOfferings })}
          </p>
        </div>
      </Link>
    </HydrateLater>
  );
}
