import type { Metadata } from "next";
import Link from "next/link";
import { ClaimDetails, EligibilityNote, eligibilityText } from "@/components/perks/perk-parts";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { claimsOfHolder, perksForHolder } from "@/lib/perks/queries";
import type { PerkForHolder } from "@/lib/perks/types";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("perks.title") };
}

function PerkCard({ item, t, locale }: { item: PerkForHolder; t: Translate; locale: Locale }) {
  const { perk, eligibility } = item;
  const offeringName = localized(item, "offeringName", locale);
  return (
    <li data-testid="perk-card" data-perk-id={perk.id}>
      <Card className="space-y-2">
        <p className="text-xs text-stone-500">
          {t("perks.list.offering", { offering: offeringName })} · {t(`perks.kind.${perk.kind}`)}
        </p>
        <h3 className="font-bold break-words">{localized(perk, "title", locale)}</h3>
        <EligibilityNote status={eligibility.status} text={eligibilityText(perk, eligibility, offeringName, t, locale)} />
        <Link href={`/perks/${perk.id}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline" data-testid="perk-card-link">
          {t("perks.list.open")} →
        </Link>
      </Card>
    </li>
  );
}

/** The holder's perks: those claimable now and why, those not and why not, and their claims as they move. */
export default async function PerksPage() {
  const user = await requireUser("/perks");
  const [{ locale, t }, items, claims] = await Promise.all([getTranslator(), perksForHolder(user.id), claimsOfHolder(user.id)]);
  const claimable = items.filter((item) => item.eligibility.status === "eligible");
  const others = items.filter((item) => item.eligibility.status !== "eligible" && item.eligibility.status !== "claimed");
  return (
    <div className="space-y-6">
      <PageHeading title={t("perks.title")} lead={t("perks.lead")} />
      {items.length === 0 && claims.length === 0 ? <p className="text-stone-600">{t("perks.list.none")}</p> : null}
      <section aria-labelledby="claimable-heading" className="space-y-3">
        <h2 id="claimable-heading" className="text-lg font-bold">
          {t("perks.list.claimable")}
        </h2>
        {claimable.length === 0 ? <p className="text-sm text-stone-600">{t("perks.list.noneClaimable")}</p> : null}
        <ul className="grid gap-3 sm:grid-cols-2" data-testid="perks-claimable">
          {claimable.map((item) => (
            <PerkCard key={item.perk.id} item={item} t={t} locale={locale} />
          ))}
        </ul>
      </section>
      {others.length > 0 ? (
        <section aria-labelledby="other-heading" className="space-y-3">
          <h2 id="other-heading" className="text-lg font-bold">
            {t("perks.list.notClaimable")}
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2" data-testid="perks-not-claimable">
            {others.map((item) => (
              <PerkCard key={item.perk.id} item={item} t={t} locale={locale} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="claims-heading" className="space-y-3">
        <h2 id="claims-heading" className="text-lg font-bold">
          {t("perks.list.claims")}
        </h2>
        {claims.length === 0 ? <p className="text-sm text-stone-600">{t("perks.list.noClaims")}</p> : null}
        <ul className="space-y-3" data-testid="perk-claims-of-holder">
          {claims.map((claim) => (
            <li key={claim.id} data-testid="holder-perk-claim" data-perk-id={claim.perkId}>
              <Card className="space-y-2">
                <Link href={`/perks/${claim.perkId}`} className="inline-flex min-h-11 items-center font-bold break-words text-forest-700 hover:underline">
                  {localized({ titleJa: claim.perkTitleJa, titleEn: claim.perkTitleEn }, "title", locale)}
                </Link>
                <ClaimDetails claim={claim} kind={claim.perkKind} t={t} locale={locale} />
              </Card>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
