import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CancelClaimForm, ShipClaimForm } from "@/components/perks/claim-steps";
import { burnState, ClaimStatusBadge, PerkPhoto, PerkTerms } from "@/components/perks/perk-parts";
import { PerkForm } from "@/components/perks/perk-form";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading } from "@/components/ui/card";
import type { PerkClaim } from "@/db/schema";
import { requireRole } from "@/lib/auth/session";
import { messagesFor, type Locale, type Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { claimsOfPerk } from "@/lib/perks/queries";
import type { ClaimStep } from "@/lib/perks/steps";
import { perkFormValues, perkOfferingForStaff, perkOfOffering, type StaffPerk } from "@/lib/perks/ui-queries";
import { cancelClaimAction, shipClaimAction, updatePerkAction, withdrawPerkAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("perksStaff.title") };
}

type Claim = PerkClaim & { email: string; step: ClaimStep };

/** One claim as staff work it: who, how many, where to, its state, and the step it can take next. */
function ClaimRow({ claim, perk, t, locale }: { claim: Claim; perk: StaffPerk; t: Translate; locale: Locale }) {
  const fields = { offeringId: perk.offeringId, claimId: claim.id };
  const burn = perk.kind === "redeeming" ? burnState(claim) : null;
  const { step } = claim;
  const open = step === "to_ship" || step === "awaiting_burn" || step === "burn_failed";
  return (
    <li className="grid gap-3 py-4 md:grid-cols-[1.2fr_1.5fr_1fr_1.3fr]" data-testid="perk-claim" data-claim-id={claim.id} data-step={step}>
      <div className="min-w-0 text-sm">
        <p className="text-xs text-stone-500 md:hidden">{t("perksStaff.claims.holder")}</p>
        {claim.recipientName ? <p className="font-semibold break-words">{claim.recipientName}</p> : null}
        {claim.recipientKana ? <p className="text-stone-600">{claim.recipientKana}</p> : null}
        <p className={claim.recipientName ? "break-all text-stone-600" : "font-semibold break-all"}>{claim.email}</p>
        <p className="text-stone-600">
          {t("perksStaff.claims.units")}: {t("perksStaff.claims.unitsValue", { count: formatNumber(claim.units, locale) })}
        </p>
        <p className="text-xs text-stone-500">
          {t("perksStaff.claims.claimedAt")}: {formatDateTime(claim.createdAt, locale)}
        </p>
      </div>
      <div className="min-w-0 text-sm">
        <p className="text-xs text-stone-500 md:hidden">{t("perksStaff.claims.delivery")}</p>
        {claim.address ? (
          <address className="not-italic break-words">
            〒{claim.postalCode} {claim.address}
            <br />
            {claim.phone}
          </address>
        ) : (
          <p className="text-stone-600">{t("perksStaff.claims.noAddress")}</p>
        )}
      </div>
      <div className="min-w-0 space-y-1 text-sm">
        <p className="text-xs text-stone-500 md:hidden">{t("perksStaff.claims.status")}</p>
        <ClaimStatusBadge status={claim.status} label={open ? t(`perksStaff.claims.step.${step as "to_ship" | "awaiting_burn" | "burn_failed"}`) : t(`perks.claimStatus.status.${claim.status}`)} />
        {claim.trackingNumber ? (
          <p className="font-mono break-all" data-testid="perk-claim-tracking">
            {claim.trackingNumber}
          </p>
        ) : null}
        {claim.cancelReason ? (
          <p className="whitespace-pre-wrap text-stone-600" data-testid="perk-claim-cancel-reason">
            {claim.cancelReason}
          </p>
        ) : null}
        {burn ? (
          <p className="text-xs text-stone-600" data-testid="perk-claim-burn" data-state={burn}>
            {t(`perks.claimStatus.burn.${burn}`, {
              count: formatNumber(claim.units, locale),
              date: formatDateTime((burn === "restored" ? claim.restoredAt : claim.burnedAt) ?? claim.createdAt, locale),
            })}
          </p>
        ) : null}
      </div>
      <div className="min-w-0 space-y-3">
        {step === "to_ship" ? <ShipClaimForm action={shipClaimAction} fields={fields} label={t("perksStaff.claims.trackingNumber")} button={t("perksStaff.claims.ship")} /> : null}
        {step === "awaiting_burn" ? <p className="text-sm text-stone-600">{t("perksStaff.claims.waitingBurn")}</p> : null}
        {step === "burn_failed" ? (
          <p className="text-sm text-red-700" data-testid="perk-claim-burn-failed">
            {t("perksStaff.claims.burnFailed")}{" "}
            <Link href={`/staff/offerings/${perk.offeringId}/chain`} className="font-semibold underline">
              {t("perksStaff.claims.chainPage")}
            </Link>
          </p>
        ) : null}
        {claim.status === "claimed" ? (
          <details className="text-sm">
            <summary className="flex min-h-11 cursor-pointer items-center text-stone-700 underline-offset-4 hover:underline" data-testid="perk-cancel-open">
              {t("perksStaff.claims.cancel")}
            </summary>
            <CancelClaimForm
              action={cancelClaimAction}
              fields={fields}
              label={t("perksStaff.claims.reason")}
              button={t("perksStaff.claims.cancel")}
              confirm={{ question: t("perksStaff.claims.cancelConfirm"), cancel: t("perksStaff.confirmCancel") }}
            />
          </details>
        ) : null}
      </div>
    </li>
  );
}

/** One perk: its terms and edit form, withdrawing it, its claims (ship, cancel) and the packing list. Staff of the issuer only. */
export default async function StaffPerkPage({ params }: { params: Promise<{ id: string; perkId: string }> }) {
  const { id, perkId } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/perks/${perkId}`);
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(perkId).success) notFound();
  const offering = await perkOfferingForStaff(user, id);
  const perk = offering ? await perkOfOffering(offering.id, perkId) : null;
  if (!offering || !perk) notFound();
  const [{ locale, t }, claims] = await Promise.all([getTranslator(), claimsOfPerk(perk.id, offering.id)]);
  const base = `/staff/offerings/${offering.id}/perks`;
  const count = (step: ClaimStep) => formatNumber(claims.filter((claim) => claim.step === step).length, locale);
  const kinds = (["holding", "redeeming"] as const).map((value) => ({ value, label: t(`perks.kind.${value}`) }));
  return (
    <div className="space-y-4">
      <Link href={base} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("perksStaff.backToList")}
      </Link>
      <PageHeading title={localized(perk, "title", locale)} lead={`${localized(offering, "name", locale)} · ${t(`perksStaff.status.${perk.status}`)}`} />
      <Card className="space-y-4">
        <div className={perk.photoImageId ? "grid gap-4 sm:grid-cols-[1fr_2fr]" : ""}>
          <PerkPhoto perk={perk} />
          <PerkTerms perk={perk} t={t} locale={locale} />
        </div>
        {perk.status === "open" ? (
          <StatusButton
            action={withdrawPerkAction}
            label={t("perksStaff.withdraw")}
            fields={{ offeringId: offering.id, perkId: perk.id }}
            variant="quiet"
            testId="perk-withdraw"
            confirm={{ question: t("perksStaff.withdrawConfirm"), cancel: t("perksStaff.confirmCancel") }}
          />
        ) : null}
      </Card>
      <Card>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
          <h2 className="font-bold">{t("perksStaff.claims.heading")}</h2>
          <div className="sm:max-w-sm sm:text-right">
            <a
              href={`${base}/${perk.id}/packing-list`}
              download
              className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700"
              data-testid="perk-packing-list"
            >
              {t("perksStaff.claims.packingList")}
            </a>
            <p className="mt-1 text-xs text-stone-500">{t("perksStaff.claims.packingListNote")}</p>
          </div>
        </div>
        {claims.length === 0 ? <p className="mt-3 text-sm text-stone-600">{t("perksStaff.claims.empty")}</p> : null}
        {claims.length > 0 ? (
          <p className="mt-3 text-sm font-medium text-stone-800" data-testid="perk-claims-summary">
            {t(perk.kind === "redeeming" ? "perksStaff.claims.summary" : "perksStaff.claims.summaryHolding", {
              toShip: count("to_ship"),
              awaitingBurn: count("awaiting_burn"),
              burnFailed: count("burn_failed"),
            })}
          </p>
        ) : null}
        {claims.length > 0 ? (
          <div className="mt-3 hidden gap-3 border-b border-stone-200 pb-2 text-xs text-stone-500 md:grid md:grid-cols-[1.2fr_1.5fr_1fr_1.3fr]" aria-hidden="true">
            <span>{t("perksStaff.claims.holder")}</span>
            <span>{t("perksStaff.claims.delivery")}</span>
            <span>{t("perksStaff.claims.status")}</span>
            <span />
          </div>
        ) : null}
        <ul className="divide-y divide-stone-100" data-testid="perk-claims">
          {claims.map((claim) => (
            <ClaimRow key={claim.id} claim={claim} perk={perk} t={t} locale={locale} />
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-3 font-bold">{t("perksStaff.form.editHeading")}</h2>
        <PerkForm action={updatePerkAction} offeringId={offering.id} perkId={perk.id} initial={perkFormValues(perk)} kinds={kinds} m={messagesFor(locale).perksStaff.form} />
      </Card>
    </div>
  );
}
