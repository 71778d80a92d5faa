import { ButtonLink } from "@/components/ui/button-link";
import { Card, Stat } from "@/components/ui/card";
import { HydrateLater } from "@/components/ui/hydrate-later";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatNumber, formatYen, percentOf } from "@/lib/i18n/format";
import type { OfferingSummary } from "@/lib/offerings/queries";

export function OfferingCard({ offering, locale, t, showLink = true }: { offering: OfferingSummary; locale: Locale; t: Translate; showLink?: boolean }) {
  const percent = percentOf(offering.raisedYen, offering.targetYen);
  return (
    <HydrateLater>
      <Card className="border-forest-100">
        <div className="flex flex-wrap items-center gap-2 text-xs font-semibold">
          <span className="rounded-full bg-forest-50 px-2.5 py-1 text-forest-700">{t(`offering.kind.${offering.kind}`)}</span>
          <span className="rounded-full bg-stone-100 px-2.5 py-1 text-stone-600">{t(`offering.status.${offering.status}`)}</span>
          <span className="text-stone-500">
            {t("offering.symbol")}: {offering.tokenSymbol}
          </span>
        </div>
        <h3 className="mt-3 text-xl font-bold text-stone-900">{localized(offering, "name", locale)}</h3>
        <p className="mt-1 text-sm text-stone-600">{localized(offering, "description", locale)}</p>
        <div className="mt-5">
          <div className="mb-2 flex items-baseline justify-between text-sm">
            <span className="font-semibold text-forest-700" data-testid="offering-progress">
              {t("offering.progressLabel", { percent })}
            </span>
            <span className="text-stone-500">
              {t("offering.target")} {formatYen(offering.targetYen)}
            </span>
          </div>
          <ProgressBar percent={percent} label={t("offering.progress")} />
        </div>
        <dl className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label={t("offering.price")} value={formatYen(offering.priceYen)} testId="offering-price" />
          <Stat label={t("offering.raised")} value={formatYen(offering.raisedYen)} testId="offering-raised" />
          <Stat label={t("offering.unitsLeft")} value={t("offering.units", { count: formatNumber(offering.unitsLeft, locale) })} />
          <Stat label={t("offering.investors")} value={formatNumber(offering.investorCount, locale)} testId="offering-investors" />
          <Stat label={t("offering.deadline")} value={formatDate(offering.closesAt, locale)} testId="offering-deadline" />
        </dl>
        <p className="mt-4 text-xs text-stone-500">
          {t("offering.limits", {
            min: offering.minUnitsPerOrder,
            max: formatNumber(offering.maxUnitsPerOrder, locale),
            yearlyCap: formatYen(offering.yearlyCapYenPerInvestor),
          })}
        </p>
        {showLink ? (
          <ButtonLink href={`/offerings/${offering.slug}`} prefetch={false} className="mt-5">
            {t("offering.details")}
          </ButtonLink>
        ) : null}
      </Card>
    </HydrateLater>
  );
}
