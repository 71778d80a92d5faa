import type { Offering } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { buyerResidence, residentsView } from "@/lib/residents/view";

/** Residents' tranche and general sale counters, and the residents-only window (offering page). */
export async function ResidentCounters({ offering, t, locale }: { offering: Offering; t: Translate; locale: Locale }) {
  // A closed sale keeps nobody's units any more.
  const view = offering.status === "closed" ? null : await residentsView(offering);
  if (!view) return null;
  const municipality = localized(view.municipality, "name", locale);
  const until = formatDateTime(view.until, locale);
  return (
    <div className="space-y-1 rounded-lg border border-forest-100 bg-forest-50 p-3 text-sm" data-testid="resident-counters">
      <p className="font-bold">{t("residents.title")}</p>
      {view.phase === "window" ? (
        <p data-testid="resident-window">{t("residents.counters.window", { until, municipality })}</p>
      ) : (
        <>
          <p data-testid="resident-counter">
            {t("residents.counters.resident", { municipality, left: formatNumber(view.trancheLeft, locale), size: formatNumber(view.residentUnits, locale), until })}
          </p>
          <p data-testid="general-counter">{t("residents.counters.general", { left: formatNumber(view.generalLeft, locale) })}</p>
        </>
      )}
      <p className="text-stone-600">{t(view.phase === "window" ? "residents.counters.afterwardsWindow" : "residents.counters.afterwards", { until })}</p>
    </div>
  );
}

/** In the buy box: whether the signed-in buyer counts as a resident, and if not, from when (or from what) they can buy. */
export async function ResidentBuyNote({ offering, userId, t, locale }: { offering: Offering; userId: string; t: Translate; locale: Locale }) {
  const view = await residentsView(offering);
  if (!view) return null;
  const residence = await buyerResidence(userId, offering);
  const municipality = localized(view.municipality, "name", locale);
  const date = formatDateTime(view.until, locale);
  if (residence === "resident") {
    return (
      <p className="mb-3 rounded-lg bg-forest-50 p-3 text-sm font-semibold text-forest-800" data-testid="resident-buy-note" data-resident="yes">
        {t("residents.buy.resident", { municipality })}
      </p>
    );
  }
  return (
    <div className="mb-3 space-y-1 rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="resident-buy-note" data-resident="no">
      {residence === "unverified" ? <p>{t("residents.buy.unverified")}</p> : null}
      <p>
        {view.phase === "window" || view.generalLeft === 0
          ? t("residents.buy.fromDate", { date, municipality })
          : t("residents.buy.generalNow", { left: formatNumber(view.generalLeft, locale), date })}
      </p>
    </div>
  );
}
