import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BondTermSheet } from "@/components/bonds/term-sheet";
import { OfferingCard } from "@/components/offerings/offering-card";
import { ResidentBuyNote, ResidentCounters } from "@/components/offerings/resident-counters";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { BuyForm } from "@/components/orders/buy-form";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import { publicBondSheet } from "@/lib/bonds/terms";
import { getCurrentUser } from "@/lib/auth/session";
import { issuers as issuerCards, offeringBySlug } from "@/lib/cache/public-reads";
import { explorerAddressUrl } from "@/lib/chain/queries";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { getOnboardingState } from "@/lib/onboarding/state";
import { deferredMethodsOf } from "@/lib/orders/deferred/availability";
import { bankTransferDeadline, konbiniDays } from "@/lib/orders/deferred/schedule";
import { currentDisclosure, yenCommittedOfUser } from "@/lib/orders/reserve";
import { buyerResidence, residentsView } from "@/lib/residents/view";
import { stablecoinOptionFor } from "@/lib/stablecoin/availability";
import { buyAction } from "./actions";

const DAY_MS = 24 * 60 * 60 * 1000;

type Props = { params: Promise<{ slug: string }> };

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, offering] = await Promise.all([getTranslator(), offeringBySlug((await params).slug)]);
  return offering ? { title: localized(offering, "name", locale) } : {};
}

export default async function OfferingPage({ params }: Props) {
  const { slug } = await params;
  const [{ locale, t }, offering, user, issuers] = await Promise.all([getTranslator(), offeringBySlug(slug), getCurrentUser(), issuerCards()]);
  if (!offering) notFound();
  const issuer = issuers.find((card) => card.issuer.id === offering.villageId)?.issuer;
  const bond = offering.kind === "municipal_bond" ? await publicBondSheet(offering) : null;
  let buy: React.ReactNode;
  const now = new Date();
  if (offering.status !== "open") {
    buy = <p className="text-sm text-stone-600">{t("buy.errors.notOpen")}</p>;
  } else if (!offering.tokenAddress) {
    // No units are sold before the token contract exists (placeOrder refuses too).
    buy = <p className="text-sm text-stone-600">{t("launch.public.preparing")}</p>;
  } else if (!user) {
    buy = <ButtonLink href={`/sign-in?callbackUrl=${encodeURIComponent(`/offerings/${slug}`)}`}>{t("buy.signInFirst")}</ButtonLink>;
  } else {
    const [state, disclosure, spent, coin, residents, residence] = await Promise.all([
      getOnboardingState(user.id),
      currentDisclosure(offering.id),
      yenCommittedOfUser(user.id, offering.id),
      stablecoinOptionFor(user.id, offering.id),
      residentsView(offering, now),
      buyerResidence(user.id, offering),
    ]);
    // Nothing this buyer may buy before the residents' time ends: the note above says from when, and no form invites a refusal.
    const waitForResidents = residents !== null && residence !== "resident" && (residents.phase === "window" || residents.generalLeft === 0);
    buy =
      state.blockers.length > 0 || !disclosure ? (
        <div className="space-y-2 text-sm" data-testid="buy-blocked">
          <p className="font-semibold">{t("buy.onboardingFirst")}</p>
          <ul className="list-disc pl-5 text-stone-700">
            {state.blockers.map((blocker) => (
              <li key={blocker}>{t(`buy.blockers.${blocker}`)}</li>
            ))}
          </ul>
          <Link href="/onboarding" className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
            {t("dashboard.continueOnboarding")} →
          </Link>
        </div>
      ) : waitForResidents ? null : (
        <BuyForm
          action={buyAction}
          offeringId={offering.id}
          priceYen={offering.priceYen}
          min={offering.minUnitsPerOrder}
          max={offering.maxUnitsPerOrder}
          remainingYen={Math.max(0, offering.yearlyCapYenPerInvestor - spent)}
          disclosure={{ id: disclosure.id, version: disclosure.version, title: localized(disclosure, "title", locale), body: localized(disclosure, "body", locale) }}
          m={messagesFor(locale).buy}
          methods={{
            deferred: deferredMethodsOf(offering, now),
            payFrom: coin?.payFrom[0],
            // Near the close the voucher and the transfer get fewer days: the hint says what this order would get.
            days: { konbini: konbiniDays(now, offering.closesAt), bank_transfer: Math.max(1, Math.floor((bankTransferDeadline(now, offering.closesAt).getTime() - now.getTime()) / DAY_MS)) },
            m: { stablecoin: messagesFor(locale).stablecoin.buy, deferred: messagesFor(locale).deferredPayments.buy },
          }}
        />
      );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-5">
      {/* Units left and progress stay current while a buyer decides. */}
      {offering.status === "open" ? <AutoRefresh everyMs={15_000} /> : null}
      <div className="space-y-4 lg:col-span-3">
        <OfferingCard offering={offering} locale={locale} t={t} showLink={false} />
        <ResidentCounters offering={offering} t={t} locale={locale} />
        {issuer ? (
          <p className="text-sm text-stone-600" data-testid="offering-issuer">
            {t("launch.issuer")}:{" "}
            <Link href={`/issuers/${issuer.slug}`} className="font-semibold text-forest-700 hover:underline">
              {localized(issuer, "name", locale)}
            </Link>
          </p>
        ) : null}
        <p className="text-sm text-stone-600">
          {t("offering.window")}: {formatDateTime(offering.opensAt, locale)} – {formatDateTime(offering.closesAt, locale)}
        </p>
        <div className="text-sm" data-testid="offering-contract">
          <span className="text-stone-500">{t("launch.public.contract")}: </span>
          {offering.tokenAddress ? (
            <>
              <span className="break-all font-mono text-xs">{offering.tokenAddress}</span>{" "}
              <a href={explorerAddressUrl(offering.tokenAddress)} target="_blank" rel="noreferrer" className="whitespace-nowrap font-semibold text-forest-700 hover:underline">
                {t("launch.public.explorer")}
              </a>
            </>
          ) : (
            <span className="text-stone-600">{t("launch.public.preparing")}</span>
          )}
        </div>
        {bond ? <BondTermSheet sheet={bond} name={localized(offering, "name", locale)} issuer={localized(bond.issuer, "name", locale)} t={t} /> : null}
      </div>
      <Card className="h-fit lg:col-span-2">
        <h2 className="mb-3 text-lg font-bold">{t("buy.title")}</h2>
        {user && offering.status === "open" ? <ResidentBuyNote offering={offering} userId={user.id} t={t} locale={locale} /> : null}
        {buy}
        {offering.status === "open" && offering.coolingOffDays > 0 ? (
          <p className="mt-3 text-xs text-stone-600" data-testid="offering-cooling-off">
            {t("coolingOff.offering", { days: offering.coolingOffDays })}
          </p>
        ) : null}
      </Card>
    </div>
  );
}
