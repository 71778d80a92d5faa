import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ClaimForm } from "@/components/perks/claim-form";
import { ClaimDetails, EligibilityNote, eligibilityText, PerkPhoto, PerkTerms } from "@/components/perks/perk-parts";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { claimsOfHolder, deliveryFromProfile, perkById, perkEligibility } from "@/lib/perks/queries";
import { claimPerkAction, claimPerkWithoutAddressAction } from "../actions";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale, t }, { id }] = await Promise.all([getTranslator(), params]);
  const perk = z.uuid().safeParse(id).success ? await perkById(id) : null;
  return { title: perk?.offeringPublic ? localized(perk, "title", locale) : t("perks.title") };
}

/** One perk as a holder sees it: photo, texts, terms, whether they may claim and why, the claim form, and their claim once made. */
export default async function PerkPage({ params }: Props) {
  const { id } = await params;
  const user = await requireUser(`/perks/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const perk = await perkById(id);
  // A draft offering's perks are staff's work in progress.
  if (!perk?.offeringPublic) notFound();
  const [{ locale, t }, eligibility, claims] = await Promise.all([getTranslator(), perkEligibility(perk, user.id), claimsOfHolder(user.id)]);
  const ownClaims = claims.filter((claim) => claim.perkId === perk.id);
  const canClaim = eligibility.status === "eligible";
  const delivery = canClaim && perk.needsAddress ? await deliveryFromProfile(user.id) : null;
  const offeringName = localized(perk, "offeringName", locale);
  const cost = formatNumber(perk.costUnits ?? 0, locale);
  const redeeming = perk.kind === "redeeming";
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/perks" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("perks.title")}
      </Link>
      <PageHeading title={localized(perk, "title", locale)} lead={t("perks.list.offering", { offering: offeringName })} />
      <Card className="space-y-4">
        {perk.status === "open" ? <PerkPhoto perk={perk} className="max-h-96" /> : null}
        <p className="whitespace-pre-wrap break-words text-stone-800" data-testid="perk-description">
          {localized(perk, "description", locale)}
        </p>
        <h2 className="font-bold">{t("perks.terms.heading")}</h2>
        <PerkTerms perk={perk} t={t} locale={locale} />
        <EligibilityNote status={eligibility.status} text={eligibilityText(perk, eligibility, offeringName, t, locale)} />
      </Card>
      {canClaim ? (
        <Card>
          <h2 className="mb-3 font-bold">{t("perks.claim.heading")}</h2>
          <ClaimForm
            action={perk.needsAddress ? claimPerkAction : claimPerkWithoutAddressAction}
            perkId={perk.id}
            delivery={delivery}
            m={{
              delivery: t("perks.claim.delivery"),
              deliveryLead: t("perks.claim.deliveryLead"),
              recipientName: t("perks.claim.recipientName"),
              recipientKana: t("perks.claim.recipientKana"),
              postalCode: t("perks.claim.postalCode"),
              address: t("perks.claim.address"),
              phone: t("perks.claim.phone"),
              submit: redeeming ? t("perks.claim.submitRedeem", { count: cost }) : t("perks.claim.submit"),
              confirm: { question: redeeming ? t("perks.claim.confirmRedeem", { count: cost }) : t("perks.claim.confirm"), cancel: t("perks.claim.back") },
              burnWarning: redeeming ? t("perks.claim.burnWarning", { count: cost }) : undefined,
            }}
          />
        </Card>
      ) : null}
      {ownClaims.length > 0 ? (
        <section data-testid="perk-own-claims">
          <Card className="space-y-4">
            <h2 className="font-bold">{t("perks.claimStatus.heading")}</h2>
            <ul className="divide-y divide-stone-100">
              {ownClaims.map((claim) => (
                <li key={claim.id} className="py-3" data-testid="holder-perk-claim">
                  <ClaimDetails claim={claim} kind={perk.kind} t={t} locale={locale} />
                </li>
              ))}
            </ul>
          </Card>
        </section>
      ) : null}
    </div>
  );
}
